"""`rapport demo`: thousands of accounts (some in group hierarchies) and their contacts.

Also the plumbing the sales demo steps share (customers, pipeline, leads, activities): who sells,
each seller's habit, the year the history covers, the size knob, and bulk inserts that keep the
timestamps the demo gives them.

Each seller's habit is the one the usage history gives the same person (`rapport.insights.demo`),
so a rep who signs in every day also touches leads within hours, logs many calls, completes the
methodology steps and fills the fields; a drifting rep does all of that less and less as the year
goes on; a rep who stopped using Rapport leaves leads untouched and steps overdue from then on.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.duration import duration_microseconds
from faker import Faker

from rapport.access.models import Role, User
from rapport.core.models import PicklistValue
from rapport.customers.models import Account, Contact
from rapport.demo.builder import DemoContext, demo_step

if TYPE_CHECKING:
    from rapport.insights.demo import Habit

HISTORY_DAYS = 365
BATCH_SIZE = 2000
# The size knob: 1.0 builds the full demo (thousands of each record type); tests use a fraction.
SCALE_SETTING = "DEMO_SALES_SCALE"
ACCOUNTS = 3000


# --- Shared by the sales demo steps. -----------------------------------------------------------


def demo_scale() -> float:
    """How big the sales demo is: settings.DEMO_SALES_SCALE, 1.0 (the full demo) by default."""
    return float(getattr(settings, SCALE_SETTING, 1.0))


def scaled(count: int) -> int:
    """`count` at the demo's scale, at least one."""
    return max(1, round(count * demo_scale()))


@dataclass(frozen=True)
class SalesHabit:
    """How a seller works over the year, from the usage habit of the same person.

    `laxness(day)` is 0 for a diligent seller and 1 for one who has given up on the CRM; every
    step of the demo reads its odds (time to first touch, calls logged, steps done on time,
    fields filled) from it, so the differences between reps are consistent across record types.
    """

    kind: str  # diligent, steady, drifting, stopped: the usage history's label
    usage: Habit

    def laxness(self, day: int) -> float:
        """0 (diligent) to 1 (not using the CRM) on `day` (0 = a year ago)."""
        engagement = self.usage.engagement(min(max(day, 0), HISTORY_DAYS - 1))
        return min(1.0, max(0.0, (0.95 - engagement) / 0.83))

    def works_on(self, day: int) -> bool:
        """Whether the seller still logs anything on `day` (a stopped seller does not)."""
        return min(day, HISTORY_DAYS - 1) < self.usage.stop_at


@dataclass(frozen=True)
class Seller:
    """A sales rep or a sales team's manager, with their team and habit."""

    user: User
    team_key: str
    habit: SalesHabit
    is_manager: bool
    zone: ZoneInfo


def sales_habits(ctx: DemoContext) -> dict[int, SalesHabit]:
    """Each person's habit, the same one the usage history gives them (same seed, same label)."""
    # The usage history (a higher layer) owns the habits; asking it keeps the two demos telling
    # one story about each person instead of two unrelated random draws.
    from rapport.insights.demo import _habits

    people = sorted(ctx.people, key=lambda person: person.pk)
    usage = _habits(people, random.Random(f"{ctx.seed}:usage"))
    return {pk: SalesHabit(kind=habit.kind, usage=habit) for pk, habit in usage.items()}


def sellers(ctx: DemoContext) -> list[Seller]:
    """The sales reps and sales managers of the demo's sales teams, by id."""
    habits = sales_habits(ctx)
    team_keys = {team.pk: key for key, team in ctx.teams.items() if key.startswith("sales-")}
    found = [
        Seller(
            user=person,
            team_key=team_keys[person.team_id],
            habit=habits[person.pk],
            is_manager=person.role is not None and person.role.key == Role.Key.SALES_MANAGER,
            zone=ZoneInfo(person.office.timezone if person.office else "UTC"),
        )
        for person in sorted(ctx.people, key=lambda person: person.pk)
        if person.team_id in team_keys
        and person.role is not None
        and person.role.key in {Role.Key.SALES_REP, Role.Key.SALES_MANAGER}
    ]
    if not found:
        raise CommandError("The sales demo needs the demo organisation's sales teams first.")
    return found


@dataclass(frozen=True)
class Timeline:
    """The year the demo history covers, ending now."""

    now: datetime
    start: datetime  # HISTORY_DAYS days ago, midnight UTC

    @property
    def today(self) -> date:
        return self.now.date()

    def day_of(self, at: datetime) -> int:
        """The day index of `at`: 0 a year ago, HISTORY_DAYS today."""
        return (at - self.start).days

    def date_of(self, day: int) -> date:
        return (self.start + timedelta(days=day)).date()

    def at(self, day: int, hour: float, zone: ZoneInfo) -> datetime:
        """`hour` o'clock local time in `zone` on `day`, in UTC."""
        local = datetime.combine(self.date_of(day), time(0), tzinfo=zone)
        return (local + timedelta(hours=hour)).astimezone(UTC)

    def working_day(self, day: int) -> int:
        """`day`, or the Monday after it when it falls on a weekend."""
        weekday = self.date_of(day).weekday()
        return day + (7 - weekday if weekday >= 5 else 0)


def timeline() -> Timeline:
    """The demo's year, anchored on now (UTC)."""
    now = timezone.now().astimezone(UTC).replace(microsecond=0)
    start = datetime.combine(now.date() - timedelta(days=HISTORY_DAYS), time(0), tzinfo=UTC)
    return Timeline(now=now, start=start)


def picklist(key: str) -> dict[str, PicklistValue]:
    """The active values of a picklist, by value key."""
    values = {
        value.key: value
        for value in PicklistValue.objects.filter(picklist__key=key, is_active=True)
    }
    if not values:
        raise CommandError(f"The sales demo needs the “{key}” picklist and its values.")
    return values


@dataclass(frozen=True)
class _RowSpec:
    defaults: dict[str, Any]  # attname: a constant default
    factories: tuple[tuple[str, Callable[[], Any]], ...]  # attname: a callable default
    relations: dict[str, str]  # field name: attname, for foreign keys


_specs: dict[type[models.Model], _RowSpec] = {}


def new_row[M: models.Model](model: type[M], **values: Any) -> M:
    """An unsaved `model` instance for `bulk_insert`, built without Model.__init__.

    The demo builds a couple of hundred thousand rows; Django's constructor (signals, descriptor
    by descriptor) was a third of its time. This fills the instance's attributes directly: the
    values given (a related row by field name, kept in the relation cache so a row saved later
    gives its id at insert time), and every other field's default.
    """
    spec = _specs.get(model)
    if spec is None:
        defaults: dict[str, Any] = {}
        factories: list[tuple[str, Callable[[], Any]]] = []
        for item in model._meta.concrete_fields:
            if item.has_default() and callable(item.default):
                factories.append((item.attname, item.get_default))
            else:
                defaults[item.attname] = item.get_default()
        relations = {
            item.name: item.attname for item in model._meta.concrete_fields if item.is_relation
        }
        spec = _specs[model] = _RowSpec(defaults, tuple(factories), relations)
    row = model.__new__(model)
    state = ModelState()
    row._state = state
    data = dict(spec.defaults)
    for attname, factory in spec.factories:
        if attname not in values:
            data[attname] = factory()
    for name, value in values.items():
        column = spec.relations.get(name)
        if column is None:
            data[name] = value
        elif value is None:
            data[column] = None
        else:
            data[column] = value.pk
            state.fields_cache[name] = value
    row.__dict__.update(data)
    return row


def bulk_insert[M: models.Model](model: type[M], rows: Sequence[M]) -> Sequence[M]:
    """Insert `rows` as they are (timestamps included), giving each its id; return them.

    Not bulk_create: at a hundred thousand rows it spent most of the demo's time preparing
    values field by field. This reads each row's attributes once, hands the driver plain values
    (executemany on SQLite, COPY on PostgreSQL) and numbers the rows itself, after the table's
    highest id, then moves the id sequence past them. Only the demo writes this way, inside its
    one transaction; the application writes through its services.
    A row without an `updated_at` gets its `created_at`: it has not changed since.
    """
    if not rows:
        return rows
    meta = model._meta
    fields = list(meta.concrete_fields)
    pk_name = meta.pk.attname if meta.pk is not None else "id"
    highest = model._base_manager.aggregate(top=models.Max(pk_name))["top"] or 0
    stamped = any(field.attname == "updated_at" for field in fields)
    for number, row in enumerate(rows, start=highest + 1):
        row.pk = number
        if stamped and getattr(row, "updated_at", None) is None:
            row.updated_at = getattr(row, "created_at", None) or timezone.now()  # type: ignore[attr-defined]
    sqlite = connection.vendor == "sqlite"
    getters = [_value_getter(field, sqlite=sqlite) for field in fields]
    data = [tuple(get(row) for get in getters) for row in rows]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(field.column or field.attname) for field in fields
    )
    with connection.cursor() as cursor:
        if sqlite:
            # The demo's transaction touches every index of big tables: give SQLite the memory
            # to keep them cached (the default 2 MB spills to disk over and over).
            cursor.execute("PRAGMA cache_size = -262144")
            placeholders = ", ".join(["%s"] * len(fields))
            # Identifiers come from the model's own metadata, quoted; values go as parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            for first in range(0, len(data), BATCH_SIZE * 5):
                cursor.executemany(sql, data[first : first + BATCH_SIZE * 5])
        else:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in data:
                    copy.write_row(values)
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def _value_getter(field: models.Field[Any, Any], *, sqlite: bool) -> Callable[[Any], Any]:
    """How to read `field` off a row as the database driver wants it."""
    attname = field.attname
    if field.is_relation:
        name = field.name

        def related(row: Any) -> Any:
            # A row built before the row it points at was inserted: take that row's id now.
            value = row.__dict__.get(attname)
            if value is None:
                target = row._state.fields_cache.get(name)
                value = target.pk if target is not None else None
            return value

        return related
    kind = field.get_internal_type()
    if sqlite and kind == "DateTimeField":

        def moment(row: Any) -> Any:
            value = row.__dict__[attname]
            if value is None:
                return None
            return str(value.astimezone(UTC).replace(tzinfo=None))

        return moment
    if sqlite and kind == "DurationField":

        def duration(row: Any) -> Any:
            value = row.__dict__[attname]
            return None if value is None else duration_microseconds(value)

        return duration
    if kind in {"DateField", "DecimalField", "BooleanField"} and sqlite:

        def text(row: Any) -> Any:
            value = row.__dict__[attname]
            if value is None or isinstance(value, bool):
                return value
            return str(value)

        return text
    if kind in {"CharField", "TextField", "EmailField", "URLField", "SlugField"}:

        def string(row: Any) -> Any:
            # A value read from the database may be richer than text (a Country): its code.
            value = row.__dict__[attname]
            return value if value is None or type(value) is str else str(value)

        return string
    if not sqlite and kind in {
        "DateTimeField",
        "DateField",
        "DecimalField",
        "DurationField",
        "BooleanField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "IntegerField",
        "BigAutoField",
        "AutoField",
    }:
        return lambda row: row.__dict__[attname]
    if kind in {
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "IntegerField",
        "BigAutoField",
        "AutoField",
    }:
        return lambda row: row.__dict__[attname]
    # Anything else (JSON, country codes, ids): as Django prepares it.
    return lambda row: field.get_db_prep_save(row.__dict__[attname], connection)


def weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    """One value of a (value, weight) table."""
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def ascii_slug(text: str, sep: str = "") -> str:
    """Plain lower-case ASCII letters and digits, for web and e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = ["".join(ch for ch in word if ch.isalnum()) for word in plain.split()]
    return sep.join(word for word in words if word) or "company"


class Names:
    """People's names in one locale, drawn from Faker once and then picked by the step's random.

    Asking Faker for each of some twenty thousand names was a good part of the demo's time; a
    few hundred of each per locale still make millions of combinations.
    """

    def __init__(self, fake: Faker, rng: random.Random, size: int = 300) -> None:
        self.fake = fake
        self.rng = rng
        self.firsts = tuple(str(fake.first_name()) for _ in range(size))
        self.lasts = tuple(str(fake.last_name()) for _ in range(size))

    def first_name(self) -> str:
        return self.rng.choice(self.firsts)

    def last_name(self) -> str:
        return self.rng.choice(self.lasts)


def locale_names(ctx: DemoContext, step: str, rng: random.Random) -> dict[str, Names]:
    """Names per locale for one step, seeded from the demo seed and the step's name."""
    made: dict[str, Names] = {}
    for region in REGIONS.values():
        for market in region:
            if market.locale not in made:
                fake = Faker(market.locale)
                fake.seed_instance(f"{ctx.seed}:{step}:{market.locale}")
                made[market.locale] = Names(fake, rng)
    return made


# --- Where each sales team sells. ---------------------------------------------------------------


@dataclass(frozen=True)
class Market:
    """A country a sales team sells in."""

    country: str
    locale: str
    tld: str
    dialling: str
    cities: tuple[str, ...]
    suffixes: tuple[str, ...]  # legal forms
    weight: float


REGIONS: dict[str, tuple[Market, ...]] = {
    "sales-emea": (
        Market(
            "GB",
            "en_GB",
            "co.uk",
            "+44",
            ("London", "Manchester", "Birmingham", "Leeds", "Bristol", "Edinburgh", "Glasgow"),
            ("Ltd", "Ltd", "plc", "LLP"),
            6,
        ),
        Market("IE", "en_IE", "ie", "+353", ("Dublin", "Cork", "Galway"), ("Ltd", "DAC"), 1.5),
        Market("SE", "sv_SE", "se", "+46", ("Stockholm", "Gothenburg", "Malmö"), ("AB",), 1.5),
        Market("DK", "da_DK", "dk", "+45", ("Copenhagen", "Aarhus", "Odense"), ("A/S", "ApS"), 1),
    ),
    "sales-dach": (
        Market(
            "DE",
            "de_DE",
            "de",
            "+49",
            ("Berlin", "Munich", "Hamburg", "Frankfurt", "Cologne", "Stuttgart", "Düsseldorf"),
            ("GmbH", "GmbH", "AG", "SE", "GmbH & Co. KG"),
            6,
        ),
        Market(
            "AT", "de_AT", "at", "+43", ("Vienna", "Graz", "Linz", "Salzburg"), ("GmbH", "AG"), 2
        ),
        Market("CH", "de_CH", "ch", "+41", ("Zurich", "Basel", "Bern", "Zug"), ("AG", "GmbH"), 2),
    ),
    "sales-na": (
        Market(
            "US",
            "en_US",
            "com",
            "+1",
            ("New York", "Boston", "Chicago", "Austin", "Atlanta", "Seattle", "Denver", "Newark"),
            ("Inc.", "Inc.", "LLC", "Corp."),
            8,
        ),
        Market(
            "CA",
            "en_CA",
            "ca",
            "+1",
            ("Toronto", "Montreal", "Vancouver", "Ottawa"),
            ("Inc.", "Ltd."),
            2,
        ),
    ),
    "sales-apac": (
        Market(
            "AU",
            "en_AU",
            "com.au",
            "+61",
            ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Canberra"),
            ("Pty Ltd",),
            7,
        ),
        Market(
            "NZ", "en_NZ", "co.nz", "+64", ("Auckland", "Wellington", "Christchurch"), ("Ltd",), 2
        ),
    ),
}

# What companies in each industry call their divisions, and how big they tend to be (log-mean).
_INDUSTRY_WORDS: dict[str, tuple[tuple[str, ...], float]] = {
    "software": (("Software", "Digital", "Systems", "Cloud", "Analytics", "Labs"), 4.6),
    "manufacturing": (("Manufacturing", "Industries", "Engineering", "Components", "Works"), 5.6),
    "financial_services": (("Capital", "Finance", "Insurance", "Bank", "Asset Management"), 5.8),
    "healthcare": (("Health", "Medical", "Pharma", "Life Sciences", "Care"), 5.4),
    "retail": (("Retail", "Stores", "Brands", "Foods", "Fashion"), 5.2),
    "professional_services": (("Consulting", "Partners", "Advisory", "Legal", "Accounting"), 4.2),
    "education": (("Academy", "Learning", "College", "Education"), 4.8),
    "public_sector": (("Agency", "Authority", "Council", "Services"), 6.0),
    "energy": (("Energy", "Power", "Utilities", "Renewables", "Water"), 6.0),
    "logistics": (("Logistics", "Freight", "Transport", "Shipping", "Mobility"), 5.4),
    "telecommunications": (("Telecom", "Networks", "Communications", "Connect"), 6.2),
    "other": (("Group", "Services", "Solutions", "Trading"), 4.4),
}
INDUSTRY_WEIGHTS = {
    "software": 14,
    "manufacturing": 14,
    "financial_services": 10,
    "healthcare": 9,
    "retail": 9,
    "professional_services": 10,
    "education": 4,
    "public_sector": 4,
    "energy": 5,
    "logistics": 8,
    "telecommunications": 4,
    "other": 4,
}
_BRAND_HEADS = (
    "North", "Blue", "Bright", "Silver", "Oak", "Iron", "Clear", "Summit", "Harbour", "Red",
    "Green", "Stone", "Swift", "Nova", "Alpine", "Atlas", "Cedar", "Falcon", "Orbit", "Pioneer",
)  # fmt: skip
_BRAND_TAILS = (
    "bridge", "field", "stone", "wave", "point", "line", "gate", "view", "path", "works",
    "light", "port", "ridge", "side", "well", "crest",
)  # fmt: skip
_SUBSIDIARY_SUFFIXES = ("Holding", "Group", "Holdings")

# Title levels: (picklist key, share of contacts, job titles people at that level use).
TITLE_LEVELS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "c_level",
        8,
        (
            "Chief Executive Officer",
            "Chief Financial Officer",
            "Chief Information Officer",
            "Chief Technology Officer",
            "Chief Operating Officer",
            "Chief Marketing Officer",
            "Managing Director",
            "Founder & CEO",
        ),
    ),
    (
        "vp",
        12,
        (
            "VP Sales",
            "VP Engineering",
            "VP Operations",
            "VP Finance",
            "Head of IT",
            "Head of Procurement",
            "Head of Customer Service",
        ),
    ),
    (
        "director",
        20,
        (
            "IT Director",
            "Finance Director",
            "Director of Procurement",
            "Sales Director",
            "Marketing Director",
            "Director of Operations",
        ),
    ),
    (
        "manager",
        32,
        (
            "IT Manager",
            "Procurement Manager",
            "Project Manager",
            "Sales Operations Manager",
            "Office Manager",
            "Finance Manager",
            "Customer Service Manager",
        ),
    ),
    (
        "staff",
        28,
        (
            "Buyer",
            "Business Analyst",
            "Systems Administrator",
            "Accountant",
            "Executive Assistant",
            "Software Engineer",
            "Sales Representative",
        ),
    ),
)


@dataclass
class _AccountPlan:
    account: Account
    market: Market
    domain: str
    depth: int  # 0 standalone or group parent, 1 subsidiary, 2 a subsidiary's subsidiary
    contacts: int


_LEGAL_WORDS = frozenset(
    word.lower()
    for market in (m for region in REGIONS.values() for m in region)
    for suffix in market.suffixes
    for word in suffix.split()
) | {"&", "group", "holding", "holdings"}


def domain_label(name: str) -> str:
    """The web domain's name part for a company: its name without the legal form, in ASCII."""
    words = name.replace("(", " ").replace(")", " ").split()
    kept = [word for word in words if word.lower() not in _LEGAL_WORDS] or words[:1]
    return ascii_slug(" ".join(kept))


def brand_name(rng: random.Random, fake: Names) -> str:
    """A made-up brand ("Northbridge") or a family name, as companies are named."""
    if rng.random() < 0.5:
        return f"{rng.choice(_BRAND_HEADS)}{rng.choice(_BRAND_TAILS)}"
    return str(fake.last_name())


def company_name(rng: random.Random, fake: Names, market: Market, industry: str) -> str:
    """A company name with the market's legal form, e.g. "Oakridge Logistics Ltd"."""
    words = _INDUSTRY_WORDS.get(industry, _INDUSTRY_WORDS["other"])[0]
    pattern = rng.random()
    if pattern < 0.45:
        return f"{brand_name(rng, fake)} {rng.choice(words)} {rng.choice(market.suffixes)}"
    if pattern < 0.7:
        return f"{fake.last_name()} & {fake.last_name()} {rng.choice(market.suffixes)}"
    return f"{brand_name(rng, fake)} {rng.choice(market.suffixes)}"


def phone_number(rng: random.Random, market: Market) -> str:
    """A phone number in the market's format."""
    return _phone(rng, market)


def _phone(rng: random.Random, market: Market) -> str:
    return f"{market.dialling} {rng.randint(10, 999)} {rng.randint(100000, 9999999)}"


def _chance(rng: random.Random, base: float, lax: float, extra: float) -> bool:
    """True with odds `base`, plus `extra` for a fully lax seller (in between for others)."""
    return rng.random() < base + extra * lax


@demo_step("accounts", order=200)
def build_accounts(ctx: DemoContext) -> None:
    """Thousands of accounts per sales team's markets, group hierarchies, and their contacts."""
    rng = random.Random(f"{ctx.seed}:accounts")
    fake_by_locale = locale_names(ctx, "accounts", rng)
    when = timeline()
    people = sellers(ctx)
    industries = picklist("industry")
    levels = picklist("title_level")
    by_team: dict[str, list[Seller]] = {}
    for seller in people:
        by_team.setdefault(seller.team_key, []).append(seller)

    names: set[str] = set()
    domains: set[str] = set()
    plans: list[_AccountPlan] = []
    counter = iter(range(1, 10**7))

    def unique(name: str, city: str) -> str:
        if name in names:
            name = f"{name} ({city})"
        while name in names:
            name = f"{name} {rng.randint(2, 99)}"
        names.add(name)
        return name

    def account(
        *,
        market: Market,
        owner: Seller,
        name: str,
        industry: str,
        parent: Account | None,
        depth: int,
        size: float,
    ) -> _AccountPlan:
        fake = fake_by_locale[market.locale]
        # A third of the accounts were customers or prospects before the year began.
        if parent is not None:
            created = parent.created_at + timedelta(hours=rng.uniform(1, 24 * 30))
        elif rng.random() < 0.35:
            created = when.start - timedelta(days=rng.uniform(1, 3 * 365))
        else:
            created = when.start + timedelta(days=rng.uniform(0, HISTORY_DAYS - 1))
        created = min(created, when.now - timedelta(hours=1))
        lax = owner.habit.laxness(when.day_of(created))
        city = rng.choice(market.cities)
        name = unique(name, city)
        domain = domain_label(name)
        while f"{domain}.{market.tld}" in domains:
            domain = f"{domain}{rng.randint(2, 99)}"
        domain = f"{domain}.{market.tld}"
        domains.add(domain)
        employees = max(3, min(250_000, int(2.718 ** rng.gauss(size, 1.1))))
        revenue = Decimal(employees * rng.randint(60, 320) * 1000)
        number = next(counter)
        updated = created + (when.now - created) * rng.random() ** 2
        row = new_row(
            Account,
            name=name,
            parent=parent,
            owner=owner.user,
            industry=None if _chance(rng, 0.03, lax, 0.35) else industries[industry],
            website="" if _chance(rng, 0.02, lax, 0.3) else f"https://www.{domain}",
            phone="" if _chance(rng, 0.05, lax, 0.4) else _phone(rng, market),
            employees=None if _chance(rng, 0.08, lax, 0.5) else employees,
            annual_revenue=None if _chance(rng, 0.15, lax, 0.6) else revenue,
            description=(
                f"{name} in {city}: {rng.choice(_INDUSTRY_WORDS[industry][0]).lower()} "
                f"with about {employees:,} people."
                if _chance(rng, 0.45, lax, -0.4)
                else ""
            ),
            street=fake.fake.street_address() if _chance(rng, 0.9, lax, -0.4) else "",
            city=city,
            postal_code=fake.fake.postcode(),
            country=market.country,
            created_at=created,
            updated_at=updated,
            external_id=f"demo-account-{number:05d}",
        )
        contacts = 1 + int(rng.expovariate(1 / 1.6))
        if depth == 0 and parent is None and size > 6:
            contacts += 3
        plan = _AccountPlan(row, market, domain, depth, min(contacts, 12))
        plans.append(plan)
        return plan

    def brand(market: Market) -> str:
        return brand_name(rng, fake_by_locale[market.locale])

    def owner_in(team: list[Seller]) -> Seller:
        # Managers keep a few strategic accounts; reps own the rest.
        return rng.choices(team, weights=[0.3 if s.is_manager else 1.0 for s in team])[0]

    per_team = scaled(ACCOUNTS) // len(by_team) or 1
    industry_table = list(INDUSTRY_WEIGHTS.items())
    for team_key in sorted(by_team):
        team = by_team[team_key]
        markets = REGIONS[team_key]
        market_table = [(market, market.weight) for market in markets]
        made = 0
        groups = max(1, round(per_team * 0.03))
        # Groups first: a holding, its subsidiaries (some in other countries of the region),
        # and now and then a subsidiary's own subsidiaries.
        for _ in range(groups):
            home: Market = weighted(rng, market_table)
            industry = weighted(rng, industry_table)
            words, size = _INDUSTRY_WORDS[industry]
            head = brand(home)
            parent_owner = max(team, key=lambda s: (s.is_manager, rng.random()))
            if rng.random() < 0.5:
                parent_owner = owner_in(team)
            parent = account(
                market=home,
                owner=parent_owner,
                name=f"{head} {rng.choice(_SUBSIDIARY_SUFFIXES)} {rng.choice(home.suffixes)}",
                industry=industry,
                parent=None,
                depth=0,
                size=size + 2.5,
            ).account
            made += 1
            divisions = rng.sample(words, k=len(words))
            for number in range(rng.randint(2, 5)):
                market = home if rng.random() < 0.6 else rng.choice(markets)
                # Each subsidiary its own line of business, then its own city.
                division = (
                    divisions[number] if number < len(divisions) else rng.choice(market.cities)
                )
                child = account(
                    market=market,
                    owner=parent_owner if rng.random() < 0.4 else owner_in(team),
                    name=f"{head} {division} {rng.choice(market.suffixes)}",
                    industry=industry,
                    parent=parent,
                    depth=1,
                    size=size + 0.8,
                ).account
                made += 1
                if rng.random() < 0.3:
                    for _ in range(rng.randint(1, 3)):
                        account(
                            market=market,
                            owner=owner_in(team),
                            name=f"{head} {rng.choice(words)} {rng.choice(market.cities)} "
                            f"{rng.choice(market.suffixes)}",
                            industry=industry,
                            parent=child,
                            depth=2,
                            size=size,
                        )
                        made += 1
        while made < per_team:
            market = weighted(rng, market_table)
            industry = weighted(rng, industry_table)
            words, size = _INDUSTRY_WORDS[industry]
            account(
                market=market,
                owner=owner_in(team),
                name=company_name(rng, fake_by_locale[market.locale], market, industry),
                industry=industry,
                parent=None,
                depth=0,
                size=size,
            )
            made += 1

    # Parents before children: insert by depth so every parent has its id first.
    for depth in (0, 1, 2):
        rows = [plan.account for plan in plans if plan.depth == depth]
        for row in rows:
            if row.parent is not None:
                row.parent_id = row.parent.pk
        bulk_insert(Account, rows)

    contacts = _build_contacts(ctx, rng, fake_by_locale, plans, levels, when)
    ctx.log(
        f"{len(plans)} accounts ({sum(1 for p in plans if p.depth)} in groups), "
        f"{contacts} contacts."
    )
    # Say who works how, so whoever shows the demo knows where to look.
    by_kind: dict[str, list[str]] = {}
    for seller in people:
        by_kind.setdefault(seller.habit.kind, []).append(seller.user.email.split("@")[0])
    ctx.log(
        "Sellers' habits: "
        + "; ".join(f"{kind}: {', '.join(emails)}" for kind, emails in sorted(by_kind.items()))
        + "."
    )


def _build_contacts(
    ctx: DemoContext,
    rng: random.Random,
    fake_by_locale: dict[str, Names],
    plans: list[_AccountPlan],
    levels: dict[str, PicklistValue],
    when: Timeline,
) -> int:
    habits = {seller.user.pk: seller.habit for seller in sellers(ctx)}
    level_table = [((key, titles), share) for key, share, titles in TITLE_LEVELS]
    rows: list[Contact] = []
    emails: set[str] = set()
    for plan in sorted(plans, key=lambda plan: plan.account.external_id or ""):
        account = plan.account
        fake = fake_by_locale[plan.market.locale]
        habit = habits[account.owner_id]
        for _ in range(plan.contacts):
            first, last = fake.first_name(), fake.last_name()
            created = min(
                account.created_at + timedelta(days=rng.expovariate(1 / 60)),
                when.now - timedelta(minutes=30),
            )
            lax = habit.laxness(when.day_of(created))
            level_key, titles = weighted(rng, level_table)
            local = f"{ascii_slug(first)}.{ascii_slug(last)}"
            email = f"{local}@{plan.domain}"
            n = 2
            while email in emails:
                email, n = f"{local}{n}@{plan.domain}", n + 1
            emails.add(email)
            left = rng.random() < 0.06
            rows.append(
                new_row(
                    Contact,
                    first_name=first,
                    last_name=last,
                    account=account,
                    owner=account.owner,
                    job_title="" if _chance(rng, 0.02, lax, 0.25) else rng.choice(titles),
                    # Lax owners leave the level empty: "CXO capture" is lower in their book.
                    title_level=None if _chance(rng, 0.04, lax, 0.5) else levels[level_key],
                    email="" if _chance(rng, 0.02, lax, 0.25) else email,
                    secondary_email=(
                        f"{local}@{rng.choice(('gmail.com', 'outlook.com'))}"
                        if rng.random() < 0.05
                        else ""
                    ),
                    phone="" if _chance(rng, 0.1, lax, 0.5) else _phone(rng, plan.market),
                    mobile="" if _chance(rng, 0.4, lax, 0.4) else _phone(rng, plan.market),
                    birthdate=(
                        date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28))
                        if _chance(rng, 0.25, lax, -0.2)
                        else None
                    ),
                    do_not_contact=rng.random() < 0.03,
                    left_company=left,
                    description=(
                        f"Left {account.name}; kept for the history of our deals." if left else ""
                    ),
                    city=account.city if rng.random() < 0.6 else "",
                    country=plan.market.country,
                    created_at=created,
                    updated_at=created + (when.now - created) * rng.random() ** 3,
                    external_id=f"demo-contact-{len(rows) + 1:05d}",
                )
            )
    bulk_insert(Contact, rows)
    return len(rows)
