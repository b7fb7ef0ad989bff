"""Duplicate matching: who is who, scored from every signal two records share (or contradict).

Public contract (the duplicate benchmark calls it):

- `Person` / `Company`: plain values built from a contact, lead or account (`person_of`,
  `company_of`) or from a mapping (`person_from_row`, `company_from_row`);
- `score_people(a, b)` / `score_companies(a, b)` -> `Match(score 0..1, reasons)`;
- `keys_of(person)` / `company_keys_of(company)`: blocking keys — only records sharing a key are
  ever compared, never all pairs;
- `DEFAULT_THRESHOLD`: the score from which a pair is called a likely duplicate, and
  `DEFAULT_WEIGHTS`: each signal's evidence (a `MatchRule` row may override both per record type).

Scoring is Fellegi-Sunter in spirit: every agreeing signal adds evidence, every contradicting one
(different birthdates, another first name at the same address) takes some away, and the sum goes
through a logistic curve so the score reads as a confidence between 0 and 1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import phonenumbers
from rapidfuzz import fuzz

from rapport.quality.cleaning.normalize import company_key as company_key
from rapport.quality.cleaning.normalize import domain_of as domain_of

# The scan builds a Person for every record it compares (millions at a time), and names, street
# words, employers and domains repeat from record to record: their normalisations are pure, so
# they are memoised (bounded, so a scan's memory stays flat).
_MEMO = 200_000
_company_key = lru_cache(maxsize=_MEMO)(company_key)
_domain_of = lru_cache(maxsize=_MEMO)(domain_of)
# What the cleaning app stores for a phone it could read: E.164, nothing to parse again.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")

# The score from which a pair is proposed as a likely duplicate (entry check, scan, bench F1).
DEFAULT_THRESHOLD = 0.7


@dataclass(frozen=True)
class Weights:
    """Evidence each signal adds (positive) or removes (negative), in log-odds units."""

    email: float = 4.0  # the same address
    email_local: float = 1.0  # the same local part at another domain (moved company)
    phone: float = 3.0  # the same number, in E.164
    name: float = 2.5  # the same first and last name (fuzzy)
    nickname: float = 2.0  # Bob / Robert with the same last name
    transposed: float = 1.5  # first and last name swapped
    other_first_name: float = -1.5  # the same last name, another first name
    other_last_name: float = -2.5  # last names that do not look alike at all
    company: float = 1.0  # the same company (key) or web domain
    address: float = 1.5  # the same street and postal code
    birthdate: float = 2.0  # the same birthdate
    other_birthdate: float = -5.0  # two known, different birthdates: two people
    household: float = -3.0  # the same address and last name, another first name
    bias: float = -3.0  # the prior: most pairs sharing a block are not duplicates


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Match:
    """How likely two records are the same, and why."""

    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Person:
    """A contact or lead reduced to what matching compares (all folded and normalised)."""

    record_type: str = "contact"
    object_id: int | None = None
    first: str = ""
    last: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    company: str = ""  # company_key of the employer's name
    domain: str = ""  # web or e-mail domain of the employer (free-mail domains left out)
    street: str = ""
    postal_code: str = ""
    birthdate: date | None = None
    external_id: str = ""
    name: str = ""  # the name as written, for display


@dataclass(frozen=True)
class Company:
    """An account reduced to what matching compares."""

    record_type: str = "account"
    object_id: int | None = None
    key: str = ""
    domain: str = ""
    phones: tuple[str, ...] = ()
    street: str = ""
    postal_code: str = ""
    external_id: str = ""
    name: str = ""


# --- normalisation -------------------------------------------------------------------------
# Company keys and web domains are the cleaning app's (the same keys its normalisers store).
# E-mail and phone get lenient local versions: the cleaning ones refuse what they cannot read
# (ValueError), while matching must still compare what old or imported records hold.


@lru_cache(maxsize=_MEMO)
def fold(text: str) -> str:
    """Lower case, accents off, only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[0-9a-zß]+", plain))


# Free-mail domains say nothing about an employer.
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "yandex.ru",
        "orange.fr",
        "free.fr",
        "t-online.de",
    ]
)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def normalize_phone(number: str, region: str | None = None) -> str:
    """E.164 when phonenumbers can parse it (the record's country as the default region),
    otherwise the digits alone so the same typing still matches."""
    number = (number or "").strip()
    if not number:
        return ""
    if _E164.fullmatch(number):
        return number
    try:
        parsed = phonenumbers.parse(number, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", number)
    return digits if len(digits) >= 6 else ""


# Common English given-name hypocorisms, condensed by hand from the public-domain "nicknames"
# list of Old Dominion University's Nickname and Diminutive Names Lookup (carltonnorthern/
# nicknames on GitHub, Apache-2.0): each canonical name with the short forms people go by.
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "william": ("bill", "billy", "will", "willy", "liam"),
    "elizabeth": ("liz", "lizzy", "beth", "betty", "eliza", "libby", "betsy", "lisa"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"),
    "james": ("jim", "jimmy", "jamie"),
    "john": ("jack", "johnny", "jon"),
    "jonathan": ("jon", "jonny", "nathan"),
    "margaret": ("maggie", "meg", "peggy", "marge", "greta"),
    "katherine": ("kate", "kathy", "katie", "kat", "kitty"),
    "catherine": ("cathy", "kate", "cat", "katie"),
    "michael": ("mike", "mikey", "mick"),
    "thomas": ("tom", "tommy"),
    "joseph": ("joe", "joey"),
    "charles": ("charlie", "chuck", "chas"),
    "christopher": ("chris", "kit", "topher"),
    "christine": ("chris", "chrissy", "tina"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davy"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "anthony": ("tony",),
    "andrew": ("andy", "drew"),
    "steven": ("steve",),
    "stephen": ("steve",),
    "matthew": ("matt",),
    "nicholas": ("nick", "nicky"),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "patty", "trish", "tricia"),
    "alexander": ("alex", "al", "sasha", "xander"),
    "alexandra": ("alex", "sasha", "lexi"),
    "benjamin": ("ben", "benny"),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam", "sammy"),
    "timothy": ("tim", "timmy"),
    "gregory": ("greg",),
    "jennifer": ("jen", "jenny"),
    "jessica": ("jess", "jessie"),
    "rebecca": ("becky", "becca"),
    "susan": ("sue", "susie"),
    "deborah": ("deb", "debbie"),
    "victoria": ("vicky", "tori"),
    "frederick": ("fred", "freddie"),
    "henry": ("hank", "harry"),
    "lawrence": ("larry",),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "kenneth": ("ken", "kenny"),
    "peter": ("pete",),
    "raymond": ("ray",),
    "gerald": ("gerry", "jerry"),
    "barbara": ("barb", "babs"),
    "dorothy": ("dot", "dottie"),
    "theodore": ("ted", "teddy", "theo"),
    "josephine": ("jo", "josie"),
    "abigail": ("abby",),
    "megan": ("meg",),
    "johann": ("hans",),
    "johannes": ("hans", "jan"),
    "francesco": ("franco",),
    "giuseppe": ("beppe", "peppe"),
}
_CANONICAL: dict[str, set[str]] = {}
for _name, _shorts in _NICKNAMES.items():
    for _n in (_name, *_shorts):
        _CANONICAL.setdefault(_n, set()).add(_name)


def canonical_first(first: str) -> str:
    """The formal name a first name is short for (the name itself when not a known nickname;
    the alphabetically first formal name when ambiguous, e.g. Chris)."""
    names = _CANONICAL.get(first)
    return min(names) if names else first


def same_first_name(a: str, b: str) -> tuple[bool, bool]:
    """(alike, by nickname): fuzzy-equal first names, or one a nickname of the other."""
    if not a or not b:
        return False, False
    if a == b or fuzz.ratio(a, b) >= 88:
        return True, False
    if _CANONICAL.get(a, {a}) & _CANONICAL.get(b, {b}):
        return True, True
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):  # Ann / Annie
        return True, True
    if (len(a) == 1 or len(b) == 1) and a[0] == b[0]:  # an initial
        return True, True
    return False, False


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0] if text else ""


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _street(value: str) -> str:
    # "12 Main Street" = "12 main st": fold and shorten the usual street words.
    words = {"street": "st", "road": "rd", "avenue": "ave", "strasse": "str", "straße": "str"}
    return " ".join(words.get(w, w) for w in fold(value).split())


def person_from_row(row: Mapping[str, Any]) -> Person:
    """A Person from a mapping with contact/lead field names (`first_name`, `last_name`,
    `email`, `secondary_email`, `phone`, `mobile`, `company`, `website`, `street`,
    `postal_code`, `country`, `birthdate`, plus optional `id`, `record_type`, `external_id`)."""
    region = str(row.get("country") or "") or None
    emails = tuple(
        dict.fromkeys(
            e
            for e in (normalize_email(str(row.get(k) or "")) for k in ("email", "secondary_email"))
            if e
        )
    )
    phones = tuple(
        dict.fromkeys(
            p
            for p in (normalize_phone(str(row.get(k) or ""), region) for k in ("phone", "mobile"))
            if p
        )
    )
    domain = _domain_of(str(row.get("website") or ""))
    if not domain:
        for email in emails:
            if _domain_of(email) not in FREE_MAIL:
                domain = _domain_of(email)
                break
    first = fold(str(row.get("first_name") or ""))
    last = fold(str(row.get("last_name") or ""))
    object_id = row.get("id")
    return Person(
        record_type=str(row.get("record_type") or "contact"),
        object_id=int(object_id) if object_id not in (None, "") else None,
        first=first,
        last=last,
        emails=emails,
        phones=phones,
        company=_company_key(str(row.get("company") or "")),
        domain="" if domain in FREE_MAIL else domain,
        street=_street(str(row.get("street") or "")),
        postal_code=fold(str(row.get("postal_code") or "")).replace(" ", ""),
        birthdate=_date(row.get("birthdate")),
        external_id=str(row.get("external_id") or ""),
        name=f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip(),
    )


PERSON_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postal_code",
    "country",
)


def person_of(obj: Any) -> Person:
    """A Person from a Contact (employer from its account) or a Lead (its company field)."""
    row: dict[str, Any] = {name: getattr(obj, name, "") for name in PERSON_FIELDS}
    row["record_type"] = "lead" if hasattr(obj, "converted_contact_id") else "contact"
    row["country"] = str(getattr(obj, "country", "") or "")
    row["secondary_email"] = getattr(obj, "secondary_email", "")
    row["mobile"] = getattr(obj, "mobile", "")
    row["birthdate"] = getattr(obj, "birthdate", None)
    if row["record_type"] == "lead":
        row["company"] = obj.company
        row["website"] = obj.website
    else:
        account = obj.account if getattr(obj, "account_id", None) else None
        row["company"] = account.name if account is not None else ""
        row["website"] = account.website if account is not None else ""
    return person_from_row(row)


def company_from_row(row: Mapping[str, Any]) -> Company:
    """A Company from a mapping with account field names (`name`, `website`, `phone`, `street`,
    `postal_code`, `country`, optional `id`, `external_id`)."""
    object_id = row.get("id")
    phone = normalize_phone(str(row.get("phone") or ""), str(row.get("country") or "") or None)
    return Company(
        object_id=int(object_id) if object_id not in (None, "") else None,
        key=_company_key(str(row.get("name") or "")),
        domain=_domain_of(str(row.get("website") or "")),
        phones=(phone,) if phone else (),
        street=_street(str(row.get("street") or "")),
        postal_code=fold(str(row.get("postal_code") or "")).replace(" ", ""),
        external_id=str(row.get("external_id") or ""),
        name=str(row.get("name") or ""),
    )


def company_of(obj: Any) -> Company:
    """A Company from an Account."""
    row = {
        name: getattr(obj, name, "")
        for name in ("id", "name", "website", "phone", "street", "postal_code")
    }
    row["country"] = str(getattr(obj, "country", "") or "")
    return company_from_row(row)


# --- blocking keys ---------------------------------------------------------------------------


def _prefix(text: str, n: int = 4) -> str:
    return text.replace(" ", "")[:n]


def keys_of(person: Person) -> set[str]:
    """Blocking keys: two people are compared only when they share one of these."""
    keys = {f"e:{e}" for e in person.emails}
    keys |= {f"p:{p}" for p in person.phones}
    last = _prefix(person.last)
    first = canonical_first(_first_word(person.first))
    if last:
        keys.add(f"n:{last}|{first[:1]}")
        if person.domain:
            keys.add(f"d:{person.domain}|{last}")
        if person.postal_code:
            keys.add(f"a:{person.postal_code}|{last}")
            if first:  # names swapped on one of the two records
                keys.add(f"a:{person.postal_code}|{_prefix(person.first)}")
    if person.company:
        # The same address name at the same employer, whatever the domain (a private address
        # beside the work one, an employer without a web site).
        keys |= {f"l:{e.split('@', 1)[0]}|{_prefix(person.company, 12)}" for e in person.emails}
    if person.birthdate:
        # Either initial, so a typo in one name or swapped names still meet.
        born = person.birthdate.isoformat()
        keys |= {f"b:{born}|{initial[:1]}" for initial in (first, person.last) if initial}
    if first and person.last:
        # First and last name swapped on one of the two records.
        keys.add(f"n:{_prefix(person.first)}|{person.last[:1]}")
    return keys


# Bare name keys (`n:`) put everyone called "Schmidt, J…" in one block. A name alone never
# reaches the threshold (its evidence, at most `name`, is below `-bias`): a pair can only be a
# duplicate when another signal agrees too, and every such signal has a key of its own qualified
# by the name or the employer (e-mail, phone, employer domain, address, birthdate, e-mail name at
# the employer). So candidates — for the entry check, imports and the batch scan alike — come
# from those qualified keys only, which keeps them in proportion to the real duplicates instead
# of to the size of the commonest surnames.
NAME_ONLY_PREFIX = "n:"


def is_scan_key(key: str) -> bool:
    """Whether candidates are found by this key (see NAME_ONLY_PREFIX)."""
    return not key.startswith(NAME_ONLY_PREFIX)


def name_keys_needed(weights: Weights, threshold: float) -> bool:
    """Whether, with these weights (an administrator may raise one), a pair sharing nothing but
    a name key could still reach the threshold — the name, plus the e-mail name or the employer
    (both together have their own key) — so candidates must come from every key after all."""
    best = (
        weights.bias
        + max(weights.name, weights.nickname, weights.transposed, 0.0)
        + max(weights.email_local, weights.company, 0.0)
    )
    return _squash(best) >= threshold


def candidate_keys(keys: set[str], weights: Weights, threshold: float) -> set[str]:
    """The keys to look candidates up by: the qualified ones, or all when the rule needs it."""
    if name_keys_needed(weights, threshold):
        return set(keys)
    return {key for key in keys if is_scan_key(key)}


def company_keys_of(company: Company) -> set[str]:
    """Blocking keys for accounts."""
    keys: set[str] = set()
    if company.key:
        keys.add(f"k:{company.key}")
    if company.domain:
        keys.add(f"d:{company.domain}")
    keys |= {f"p:{p}" for p in company.phones}
    if company.postal_code and company.street:
        keys.add(f"a:{company.postal_code}|{_prefix(company.street, 8)}")
    return keys


# --- scoring ---------------------------------------------------------------------------------


def _squash(evidence: float) -> float:
    return round(1.0 / (1.0 + math.exp(-evidence)), 4)


def score_people(a: Person, b: Person, weights: Weights = DEFAULT_WEIGHTS) -> Match:
    """How likely two people are the same person, with the reasons for and against."""
    evidence = weights.bias
    reasons: list[str] = []

    shared_emails = set(a.emails) & set(b.emails)
    if shared_emails:
        evidence += weights.email
        reasons.append("same e-mail")
    else:
        locals_a = {e.split("@", 1)[0] for e in a.emails}
        locals_b = {e.split("@", 1)[0] for e in b.emails}
        if locals_a & locals_b:
            evidence += weights.email_local
            reasons.append("same e-mail name at another domain")

    if set(a.phones) & set(b.phones):
        evidence += weights.phone
        reasons.append("same phone")

    first_a, first_b = _first_word(a.first), _first_word(b.first)
    last_alike = bool(a.last and b.last) and fuzz.ratio(a.last, b.last) >= 85
    first_alike, by_nickname = same_first_name(first_a, first_b)
    if last_alike and first_alike:
        if by_nickname:
            evidence += weights.nickname
            reasons.append(f"same name ({first_a} / {first_b})")
        else:
            evidence += weights.name
            reasons.append("same name")
    elif a.first and b.first and fold(f"{a.first} {a.last}") == fold(f"{b.last} {b.first}"):
        evidence += weights.transposed
        reasons.append("same name, first and last swapped")
    elif last_alike and first_a and first_b:
        evidence += weights.other_first_name
        reasons.append("different first name")
    elif a.last and b.last and fuzz.ratio(a.last, b.last) < 60:
        evidence += weights.other_last_name
        reasons.append("different last name")

    if (a.company and a.company == b.company) or (a.domain and a.domain == b.domain):
        evidence += weights.company
        reasons.append("same company")

    same_address = bool(a.postal_code and a.street) and (
        a.postal_code == b.postal_code and fuzz.ratio(a.street, b.street) >= 90
    )
    if same_address:
        evidence += weights.address
        reasons.append("same address")
        if last_alike and first_a and first_b and not first_alike:
            evidence += weights.household
            reasons.append("household: another person at the same address")

    if a.birthdate and b.birthdate:
        if a.birthdate == b.birthdate:
            evidence += weights.birthdate
            reasons.append("same birthdate")
        else:
            evidence += weights.other_birthdate
            reasons.append("different birthdates")

    return Match(_squash(evidence), reasons)


def score_companies(a: Company, b: Company, weights: Weights = DEFAULT_WEIGHTS) -> Match:
    """How likely two accounts are the same company."""
    evidence = weights.bias
    reasons: list[str] = []
    if a.key and b.key:
        ratio = fuzz.token_sort_ratio(a.key, b.key)
        if ratio >= 95:
            evidence += weights.name
            reasons.append("same name")
        elif ratio >= 85:
            evidence += weights.name / 2
            reasons.append("similar name")
        elif ratio < 50:
            evidence += weights.other_last_name
            reasons.append("different name")
    if a.domain and a.domain == b.domain:
        evidence += weights.email
        reasons.append("same web domain")
    if set(a.phones) & set(b.phones):
        evidence += weights.phone
        reasons.append("same phone")
    if (
        a.postal_code
        and a.street
        and a.postal_code == b.postal_code
        and fuzz.ratio(a.street, b.street) >= 90
    ):
        evidence += weights.address
        reasons.append("same address")
    return Match(_squash(evidence), reasons)


def weights_from(overrides: Mapping[str, float] | None) -> Weights:
    """The default weights with some signals changed (unknown names are ignored)."""
    if not overrides:
        return DEFAULT_WEIGHTS
    known = {k: float(v) for k, v in overrides.items() if k in Weights.__dataclass_fields__}
    return replace(DEFAULT_WEIGHTS, **known)
