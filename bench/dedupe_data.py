"""A labelled set of people with realistic duplicates and hard negatives, for the dedupe benchmark.

    .venv/bin/python bench/dedupe_data.py --people 5000 --seed 5 --output people.csv

Deterministic from the seed (Faker and `random` seeded alike). Each row carries its true
`entity_id` (rows of one person share it) and `kind`: `original` for a person's first record, the
corruption class for a duplicate (`typo`, `swapped`, `nickname`, `missing`, `moved`,
`new_employer`, `phone_format`, `company_suffix`, `combined` = two of them at once), or a hard
negative: `household` (a different person at the same address with the same surname, often the
same landline) and `namesake` (same first and last name, otherwise a different person). Hard
negatives are distinct entities: a matcher that joins them is wrong.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
from faker import Faker

# Locale → ISO country of the people generated with it (their phones and addresses).
LOCALES = {
    "en_GB": "GB",
    "en_US": "US",
    "de_DE": "DE",
    "fr_FR": "FR",
    "es_ES": "ES",
    "it_IT": "IT",
    "nl_NL": "NL",
}
LOCALE_WEIGHTS = [30, 25, 15, 10, 8, 6, 6]

DUPLICATE_KINDS = [
    "typo",
    "swapped",
    "nickname",
    "missing",
    "moved",
    "new_employer",
    "phone_format",
    "company_suffix",
    "combined",
]
NEGATIVE_KINDS = ["household", "namesake"]

# Common given names and their usual short forms, for the nickname corruption. Written out here:
# the point of the benchmark is to test the matcher's own nickname table, not share it.
NICKNAMES = {
    "Robert": ["Bob", "Rob", "Bobby"],
    "William": ["Bill", "Will", "Billy"],
    "Richard": ["Rick", "Dick", "Rich"],
    "James": ["Jim", "Jimmy", "Jamie"],
    "John": ["Jack", "Johnny"],
    "Michael": ["Mike", "Mick"],
    "Thomas": ["Tom", "Tommy"],
    "Charles": ["Charlie", "Chuck"],
    "Christopher": ["Chris"],
    "Daniel": ["Dan", "Danny"],
    "Matthew": ["Matt"],
    "Anthony": ["Tony"],
    "Joseph": ["Joe"],
    "David": ["Dave"],
    "Steven": ["Steve"],
    "Stephen": ["Steve"],
    "Edward": ["Ed", "Ted", "Eddie"],
    "Andrew": ["Andy", "Drew"],
    "Benjamin": ["Ben"],
    "Samuel": ["Sam"],
    "Alexander": ["Alex"],
    "Nicholas": ["Nick"],
    "Jonathan": ["Jon"],
    "Timothy": ["Tim"],
    "Patrick": ["Pat"],
    "Peter": ["Pete"],
    "Gregory": ["Greg"],
    "Kenneth": ["Ken"],
    "Ronald": ["Ron"],
    "Donald": ["Don"],
    "Lawrence": ["Larry"],
    "Elizabeth": ["Liz", "Beth", "Betty", "Lizzie"],
    "Margaret": ["Maggie", "Peggy", "Meg"],
    "Katherine": ["Kate", "Kathy", "Katie"],
    "Catherine": ["Cathy", "Kate"],
    "Jennifer": ["Jen", "Jenny"],
    "Jessica": ["Jess"],
    "Rebecca": ["Becky", "Becca"],
    "Susan": ["Sue"],
    "Patricia": ["Pat", "Patty", "Trish"],
    "Deborah": ["Debbie", "Deb"],
    "Victoria": ["Vicky", "Tori"],
    "Samantha": ["Sam"],
    "Alexandra": ["Alex"],
    "Christine": ["Chris"],
    "Kimberly": ["Kim"],
    "Abigail": ["Abby"],
    "Johannes": ["Hans"],
    "Friedrich": ["Fritz"],
    "Wolfgang": ["Wolf"],
    "Alexandre": ["Alex"],
    "Francisco": ["Paco"],
    "José": ["Pepe"],
    "Giuseppe": ["Beppe"],
}

# Legal suffixes written the ways people type them; the company_suffix corruption swaps one
# spelling for another (or drops the suffix).
SUFFIX_VARIANTS = [
    ["Ltd", "Limited", "Ltd.", "LTD"],
    ["PLC", "plc", "Public Limited Company"],
    ["Inc", "Inc.", "Incorporated"],
    ["LLC", "L.L.C.", "llc"],
    ["GmbH", "G.m.b.H.", "Gesellschaft mit beschränkter Haftung"],
    ["AG", "Aktiengesellschaft"],
    ["SA", "S.A.", "Société Anonyme"],
    ["SARL", "S.A.R.L.", "Sàrl"],
    ["SAS", "S.A.S.", "Société par actions simplifiée"],
    ["S.Com.", "S. Com.", "Sociedad Comanditaria"],
    ["S.L.", "SL", "Sociedad Limitada"],
    ["S.p.A.", "SpA", "Società per Azioni"],
    ["S.r.l.", "Srl", "SRL"],
    ["B.V.", "BV", "Besloten Vennootschap"],
    ["Group", "Grp"],
]
# Legal forms Faker already writes that the corruption leaves alone (no common variants).
OTHER_LEGAL_FORMS = ["GbR", "OHG", "mbH", "KG", "KGaA", "e.V.", "NV", "N.V.", "S.Com.", "e figli"]
# Added to company names that Faker generates without a legal suffix, per country.
COUNTRY_SUFFIXES = {
    "GB": ["Ltd", "PLC", "Limited"],
    "US": ["Inc", "LLC", "Inc."],
    "DE": ["GmbH", "AG"],
    "FR": ["SA", "SARL"],
    "ES": ["S.L.", "SA"],
    "IT": ["S.p.A.", "S.r.l."],
    "NL": ["B.V."],
}

FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "gmx.de"]


@dataclass(frozen=True)
class Row:
    record_id: str
    entity_id: int
    kind: str
    first_name: str
    last_name: str
    email: str
    phone: str
    company: str
    street: str
    postcode: str
    city: str
    country: str
    birthdate: str  # ISO date or ""


FIELDS = [f.name for f in fields(Row)]
PERSON_FIELDS = FIELDS[3:]


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        for index, locale in enumerate(LOCALES):
            faker = Faker(locale)
            faker.seed_instance(seed * 1000 + index)
            self.fakers[locale] = faker
        self.entity = 0
        self.record = 0

    # --- building blocks -------------------------------------------------------------------
    def _locale(self) -> str:
        return self.rng.choices(list(LOCALES), weights=LOCALE_WEIGHTS)[0]

    def _phone(self, country: str) -> str:
        """A valid number of the country (mobile or landline), in E.164 or international form."""
        kind = self.rng.choice(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
        example = phonenumbers.example_number_for_type(country, kind)
        assert example is not None
        digits = phonenumbers.national_significant_number(example)  # Italy keeps its 0
        for _ in range(50):
            keep = max(2, len(digits) - 6)
            candidate = digits[:keep] + "".join(
                self.rng.choice("0123456789") for _ in range(len(digits) - keep)
            )
            number = phonenumbers.parse(f"+{example.country_code}{candidate}")
            if phonenumbers.is_valid_number(number):
                style = self.rng.choice(
                    [
                        phonenumbers.PhoneNumberFormat.E164,
                        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                    ]
                )
                return phonenumbers.format_number(number, style)
        return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)

    def _company(self, faker: Faker, country: str) -> str:
        name = str(faker.company()).strip()
        known = [variant for group in SUFFIX_VARIANTS for variant in group] + OTHER_LEGAL_FORMS
        has_suffix = any(name.endswith(" " + variant) for variant in known)
        if not has_suffix:
            name = f"{name} {self.rng.choice(COUNTRY_SUFFIXES[country])}"
        return name

    @staticmethod
    def _ascii_local(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
        return "".join(c for c in folded if c.isascii() and c.isalnum())

    def _company_domain(self, company: str) -> str:
        words = [w for w in company.split() if w[0].isalpha()][:2]
        stem = "".join(self._ascii_local(w) for w in words if len(w) > 2) or "company"
        return (
            f"{stem[:20]}.{self.rng.choice(['com', 'co.uk', 'de', 'fr', 'es', 'it', 'nl', 'io'])}"
        )

    def _email(self, first: str, last: str, domain: str) -> str:
        f, lname = self._ascii_local(first), self._ascii_local(last)
        pattern = self.rng.choice(["{f}.{l}", "{f}{l}", "{i}{l}", "{f}_{l}", "{f}.{l}{n}"])
        local = pattern.format(f=f, l=lname, i=f[:1], n=self.rng.randint(1, 99))
        return f"{local}@{domain}"

    def _birthdate(self) -> str:
        start = date(1950, 1, 1)
        return (start + timedelta(days=self.rng.randint(0, 365 * 55))).isoformat()

    def _address(self, faker: Faker) -> tuple[str, str, str]:
        street = ", ".join(part.strip() for part in str(faker.street_address()).splitlines())
        return street, str(faker.postcode()), str(faker.city())

    def _new_row(self, entity_id: int, kind: str, **values: str) -> Row:
        self.record += 1
        return Row(record_id=f"r{self.record:07d}", entity_id=entity_id, kind=kind, **values)

    def person(self, *, locale: str | None = None, **overrides: str) -> Row:
        locale = locale or self._locale()
        faker = self.fakers[locale]
        country = LOCALES[locale]
        first = overrides.pop("first_name", None) or str(faker.first_name())
        last = overrides.pop("last_name", None) or str(faker.last_name())
        company = self._company(faker, country)
        work = self.rng.random() < 0.6
        domain = self._company_domain(company) if work else self.rng.choice(FREE_MAIL)
        street, postcode, city = self._address(faker)
        values = {
            "first_name": first,
            "last_name": last,
            "email": self._email(first, last, domain),
            "phone": self._phone(country),
            "company": company,
            "street": street,
            "postcode": postcode,
            "city": city,
            "country": country,
            "birthdate": self._birthdate() if self.rng.random() < 0.85 else "",
        }
        values.update(overrides)
        self.entity += 1
        return self._new_row(self.entity, "original", **values)

    # --- corruptions ------------------------------------------------------------------------
    def _typo(self, text: str) -> str:
        """One or two edits (insert, delete, substitute, transpose) away from `text`."""
        chars = list(text)
        edits = self.rng.choice([1, 1, 2]) if len(text) >= 6 else 1
        for _ in range(edits):
            if len(chars) < 3:
                break
            at = self.rng.randrange(1, len(chars))  # first letter kept: people get it right
            op = self.rng.choice(["insert", "delete", "substitute", "transpose"])
            letter = self.rng.choice("abcdefghiklmnoprstuvy")
            if op == "insert":
                chars.insert(at, letter)
            elif op == "delete":
                del chars[at]
            elif op == "substitute":
                chars[at] = letter if chars[at] != letter else "e"
            elif at + 1 < len(chars):
                chars[at], chars[at + 1] = chars[at + 1], chars[at]
            else:
                chars[at - 1], chars[at] = chars[at], chars[at - 1]
        return "".join(chars)

    def _national_phone(self, phone: str, country: str) -> str:
        number = phonenumbers.parse(phone, country)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def _resuffix(self, company: str) -> str:
        for group in SUFFIX_VARIANTS:
            for variant in sorted(group, key=len, reverse=True):
                if company.endswith(" " + variant):
                    stem = company[: -len(variant) - 1]
                    others = [v for v in group if v != variant] + [""]
                    new = self.rng.choice(others)
                    return f"{stem} {new}".strip() if new else stem.rstrip(" ,")
        return company + " Ltd"

    def corrupt(self, row: Row, kind: str, locale: str) -> dict[str, str] | None:
        """The changed fields of a duplicate of `row` of class `kind` (None: not applicable)."""
        faker = self.fakers[locale]
        if kind == "typo":
            target = self.rng.choice(["first_name", "last_name", "both"])
            changes = {}
            if target in ("first_name", "both"):
                changes["first_name"] = self._typo(row.first_name)
            if target in ("last_name", "both"):
                changes["last_name"] = self._typo(row.last_name)
            if self.rng.random() < 0.3:
                changes["street"] = self._typo(row.street)
            return changes
        if kind == "swapped":
            return {"first_name": row.last_name, "last_name": row.first_name}
        if kind == "nickname":
            options = NICKNAMES.get(row.first_name)
            return {"first_name": self.rng.choice(options)} if options else None
        if kind == "missing":
            optional = ["email", "phone", "company", "street", "postcode", "city", "birthdate"]
            return dict.fromkeys(self.rng.sample(optional, self.rng.randint(2, 3)), "")
        if kind == "moved":
            street, postcode, city = self._address(faker)
            changes = {"street": street, "postcode": postcode, "city": city}
            if self.rng.random() < 0.5:  # a landline stays behind
                changes["phone"] = self._phone(row.country)
            return changes
        if kind == "new_employer":
            company = self._company(faker, row.country)
            domain = self._company_domain(company)
            changes = {
                "company": company,
                "email": self._email(row.first_name, row.last_name, domain),
            }
            if self.rng.random() < 0.5:  # a work phone goes with the job
                changes["phone"] = self._phone(row.country)
            return changes
        if kind == "phone_format":
            if not row.phone:
                return None
            return {"phone": self._national_phone(row.phone, row.country)}
        if kind == "company_suffix":
            return {"company": self._resuffix(row.company)}
        if kind == "combined":
            first, second = self.rng.sample(
                ["typo", "swapped", "nickname", "missing", "moved", "new_employer", "phone_format"],
                2,
            )
            changes = {}
            for part in (first, second):
                current = replace(row, **changes)
                more = self.corrupt(current, part, locale)
                if more is None:
                    more = self.corrupt(current, "phone_format", locale) or {}
                changes.update(more)
            return changes
        raise ValueError(kind)

    def household_member(self, row: Row, locale: str) -> Row:
        """Someone else at the same address with the same surname (partner, child, parent)."""
        faker = self.fakers[locale]
        first = str(faker.first_name())
        while first == row.first_name or first[:3] == row.first_name[:3]:
            first = str(faker.first_name())
        shares_landline = self.rng.random() < 0.4
        domain = row.email.split("@")[1] if row.email and self.rng.random() < 0.3 else None
        return self.person(
            locale=locale,
            first_name=first,
            last_name=row.last_name,
            street=row.street,
            postcode=row.postcode,
            city=row.city,
            **({"phone": row.phone} if shares_landline and row.phone else {}),
            **({"email": self._email(first, row.last_name, domain)} if domain else {}),
        )

    def namesake(self, row: Row, locale: str) -> Row:
        """A different person with the same first and last name."""
        return self.person(locale=locale, first_name=row.first_name, last_name=row.last_name)


def generate(
    people: int,
    seed: int,
    *,
    duplicate_rate: float = 0.35,
    household_rate: float = 0.08,
    namesake_rate: float = 0.04,
) -> list[Row]:
    """`people` distinct base people, duplicates of about `duplicate_rate` of them (one class
    each, a few with two duplicates) and extra distinct people as hard negatives; shuffled."""
    gen = _Generator(seed)
    base: list[tuple[Row, str]] = []
    for _ in range(people):
        locale = gen._locale()
        base.append((gen.person(locale=locale), locale))
    rows = [row for row, _ in base]
    # Nicknames need a name with a short form: those people are drawn from the ones that have one.
    nicknamable = [(row, loc) for row, loc in base if row.first_name in NICKNAMES]
    for row, locale in base:
        if gen.rng.random() >= duplicate_rate:
            continue
        copies = 2 if gen.rng.random() < 0.15 else 1
        for _ in range(copies):
            kind = gen.rng.choice(DUPLICATE_KINDS)
            source, source_locale = row, locale
            if kind == "nickname" and source.first_name not in NICKNAMES and nicknamable:
                source, source_locale = gen.rng.choice(nicknamable)
            changes = gen.corrupt(source, kind, source_locale)
            if changes is None:
                kind, changes = "typo", gen.corrupt(source, "typo", source_locale)
            assert changes is not None
            values = {name: getattr(source, name) for name in PERSON_FIELDS} | changes
            rows.append(gen._new_row(source.entity_id, kind, **values))
    for row, locale in gen.rng.sample(base, int(people * household_rate)):
        rows.append(replace(gen.household_member(row, locale), kind="household"))
    for row, locale in gen.rng.sample(base, int(people * namesake_rate)):
        rows.append(replace(gen.namesake(row, locale), kind="namesake"))
    gen.rng.shuffle(rows)
    return rows


def write_csv(rows: Sequence[Row], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(asdict(row) for row in rows)


def read_csv(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Row(**{**record, "entity_id": int(record["entity_id"])})  # type: ignore[arg-type]
            for record in csv.DictReader(handle)
        ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = generate(args.people, args.seed)
    write_csv(rows, args.output)
    print(f"{len(rows)} rows, {len({r.entity_id for r in rows})} people -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
