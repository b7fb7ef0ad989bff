"""The contact list (API and page, filtered, sorted, 50 rows) and search over a million contacts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_bench \
        .venv/bin/python bench/contacts_list.py [--rows 1000000] [--keep] [--requests 50]

PostgreSQL only: the target is a production-sized database, and SQLite is not one. The script
migrates the database named in DATABASE_URL (its name must contain "bench": unless --keep finds
the data already there, it empties the account and contact tables), loads ~40 owners in 8 teams,
rows/10 accounts and `--rows` contacts with COPY, then sends requests in-process through Django's
test Client (the whole middleware stack, no network, no web server) as a signed-in administrator
(who sees every row: the widest list) and as a sales rep (own and team's records), and prints
p50 / p95 per scenario. Targets: p95 <= 100 ms for the list API, <= 300 ms for search.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

OWNERS = 40
TEAMS = 8
CONTACTS_PER_ACCOUNT = 10
BENCH_EMAIL = "bench-{}@example.com"
API_TARGET_MS = 100.0
SEARCH_TARGET_MS = 300.0

FIRST_NAMES = """
Anna Ben Carla David Eva Frank Greta Hans Ines Jan Karin Lars Maria Nils Olga Paul Rita Sven
Tina Uwe Vera Walter Xenia Yusuf Zoë José Björn Renée Łukasz Søren Ana Chloé Émile Jürgen Ðorđe
Noah Liam Olivia Emma Ava Sophia Isabella Mia Amelia Harper Evelyn Abigail Emily Ella Elizabeth
Camila Luna Sofia Avery Mila Aria Scarlett Penelope Layla Chloe Victoria Madison Eleanor Grace
Nora Riley Zoey Hannah Hazel Lily Ellie Violet Lillian Zoe Stella Aurora Natalie Emilia Everly
Leah Aubrey Willow Addison Lucy Audrey Bella Nova Brooklyn Oliver Elijah James William Benjamin
Lucas Henry Theodore Jack Levi Alexander Jackson Mateo Daniel Michael Mason Sebastian Ethan
Logan Owen Samuel Jacob Asher Aiden John Joseph Wyatt Leo Luke Julian Hudson Grayson Matthew
Ezra Gabriel Carter Isaac Jayden Luca Anthony Dylan Lincoln Thomas Maverick Elias Josiah Charles
Caleb Christopher Ezekiel Miles Jaxon Isaiah
""".split()  # noqa: SIM905
LAST_NAMES = """
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange
Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter
Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich
Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon
Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel
Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch
Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Smith Johnson Williams Brown Jones Garcia
Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Taylor Moore Jackson
Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King
Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell
Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris
Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos
Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price
Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell
Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan
Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant
Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison
Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman
Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Muñoz
Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer
Rice Schmidt García Dubois Lefèvre Moreau Laurent Rossi Russo Ferrari Esposito Bianchi Romano
Colombo Nowak Kowalski Wiśniewski Novák Svoboda Dvořák Nagy Horváth Kovács Jensen Nielsen Hansen
Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsen Virtanen Korhonen Mäkinen O'Brien
O'Connor Murphy Byrne Ryan Walsh Sato Suzuki Takahashi Tanaka Watanabe Ito Wang Li Zhang Liu
Yang Huang Zhao Wu Zhou Singh Kumar Sharma Gupta Khan Ali Ahmed Hussain
""".split()  # noqa: SIM905
COMPANY_WORDS = """
Acme Globex Initech Umbrella Stark Wayne Wonka Tyrell Cyberdyne Soylent Hooli Vandelay Kramerica
Pendant Sterling Cooper Dunder Mifflin Gringotts Monarch Oscorp Massive Dynamic Aperture Black
Mesa Blue Sun Gekko Nakatomi Rekall Virtucon Zorg Octan Veidt Ollivander Nordwind Alpen Rhein
Elbe Donau Havel Baltic Atlas Orion Vega Polaris Lyra Helios Apex Summit Crest Ridge Harbor
Bridge Meadow River Falcon Eagle Heron Otter Lynx Cedar Birch Oak
""".split()  # noqa: SIM905
COMPANY_KINDS = """
Logistics Systems Foods Pharma Energy Robotics Textiles Media Capital Insurance Motors Software
Analytics Chemicals Consulting Construction Retail Telecom Aerospace Biotech
""".split()  # noqa: SIM905
COMPANY_SUFFIXES = ("GmbH", "AG", "Ltd", "Inc", "SA", "BV", "LLC", "KG", "Oy", "AB")
CITIES = """
Berlin Hamburg München Köln Frankfurt Stuttgart Düsseldorf Leipzig Dresden Zürich Wien Paris
Lyon London Manchester Dublin Amsterdam Rotterdam Brussels Madrid Barcelona Milano Roma Warszawa
Praha Budapest København Stockholm Oslo Helsinki Boston Chicago Seattle Austin
""".split()  # noqa: SIM905
# Job titles with the title level they belong to (the picklist keys of rapport.core).
JOB_TITLES = (
    ("Chief Executive Officer", "c_level"),
    ("Chief Financial Officer", "c_level"),
    ("Chief Technology Officer", "c_level"),
    ("Chief Information Officer", "c_level"),
    ("VP Sales", "vp"),
    ("VP Engineering", "vp"),
    ("VP Procurement", "vp"),
    ("Head of Operations", "vp"),
    ("Director of Purchasing", "director"),
    ("IT Director", "director"),
    ("Finance Director", "director"),
    ("Marketing Director", "director"),
    ("Procurement Manager", "manager"),
    ("Project Manager", "manager"),
    ("Office Manager", "manager"),
    ("Product Manager", "manager"),
    ("Buyer", "staff"),
    ("Accountant", "staff"),
    ("Engineer", "staff"),
    ("Analyst", "staff"),
    ("Assistant", "staff"),
    ("Consultant", "staff"),
)


# Loading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    rows: int
    accounts: int
    owners: tuple[int, ...]
    admin_id: int
    rep_id: int
    seconds: dict[str, float]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _columns(model: type[Any], generated: Sequence[str]) -> list[tuple[str, str, Any]]:
    """(attname, column, default) of every concrete column to write: the generated ones and the
    rest at their defaults. Read from the model, so a field its app adds later does not break
    the load; the primary key is left to the database unless generated.
    """
    from django.db import models
    from django.utils import timezone

    now = timezone.now()
    columns: list[tuple[str, str, Any]] = []
    for field in model._meta.concrete_fields:
        if field.attname in generated or field.name in generated:
            columns.append((field.attname, field.column, None))
            continue
        if field.primary_key:
            continue
        value = field.get_default()
        if value is None and isinstance(field, models.DateTimeField) and not field.null:
            value = now  # auto_now fields have no default of their own
        if value is None and not field.null:
            raise RuntimeError(
                f"The bench does not know how to fill {model.__name__}.{field.name}."
            )
        columns.append((field.attname, field.column, value))
    return columns


def _write(model: type[Any], generated: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (dicts of generated values by attname) with COPY (PostgreSQL) or executemany."""
    from django.db import connection

    spec = _columns(model, generated)

    def tuples() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            yield tuple(row.get(attname, default) for attname, _, default in spec)

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for _, column, _ in spec)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in tuples():
                    copy.write_row(values)
                    count += 1
        else:
            placeholders = ", ".join("%s" for _ in spec)
            batch: list[tuple[Any, ...]] = []
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            for values in tuples():
                batch.append(values)
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def _next_id(model: type[Any]) -> int:
    from django.db.models import Max

    return int(model.all_objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _reset_sequence(model: type[Any]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",
            [table],
        )


def _people(seed: int) -> tuple[list[int], int, int]:
    """40 owners in 8 teams, an administrator and the rep the scenarios sign in as."""
    from rapport.access.models import Office, Role, Team, User

    rng = random.Random(seed)
    office, _ = Office.objects.get_or_create(
        name="Bench office", defaults={"city": "Berlin", "country": "DE"}
    )
    teams = [
        Team.objects.get_or_create(name=f"Bench team {n + 1}", defaults={"office": office})[0]
        for n in range(TEAMS)
    ]
    rep_role = Role.objects.get(key=Role.Key.SALES_REP)
    owners: list[int] = []
    for n in range(OWNERS):
        user = User.objects.filter(email=BENCH_EMAIL.format(f"owner-{n + 1}")).first()
        if user is None:
            user = User.objects.create_user(
                email=BENCH_EMAIL.format(f"owner-{n + 1}"),
                password=None,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                role=rep_role,
                team=teams[n % TEAMS],
            )
        owners.append(user.pk)
    admin = User.objects.filter(email=BENCH_EMAIL.format("admin")).first()
    if admin is None:
        admin = User.objects.create_user(
            email=BENCH_EMAIL.format("admin"),
            password=None,
            first_name="Bench",
            last_name="Admin",
            role=Role.objects.get(key=Role.Key.ADMINISTRATOR),
        )
    return owners, admin.pk, owners[0]


def load(*, rows: int, seed: int = 1) -> Loaded:
    """Add the owners, rows/10 accounts and `rows` contacts (deterministic for a seed)."""
    from django.db import connection

    from rapport.core.models import PicklistValue
    from rapport.customers.models import Account, Contact
    from rapport.fulltext import registry, schema

    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    owners, admin_id, rep_id = _people(seed)
    levels = dict(
        PicklistValue.objects.filter(picklist__key="title_level").values_list("key", "id")
    )
    account_count = max(1, rows // CONTACTS_PER_ACCOUNT)
    first_account = _next_id(Account)
    # An account is (owner, name, domain); contacts copy its owner most of the time.
    accounts: list[tuple[int, str, str]] = []
    for n in range(account_count):
        words = (COMPANY_WORDS, COMPANY_KINDS, COMPANY_SUFFIXES)
        name = " ".join(rng.choice(choices) for choices in words)
        domain = f"{_ascii(name.rsplit(' ', 1)[0])}{n}.example"
        accounts.append((rng.choice(owners), name, domain))

    def account_rows() -> Iterator[dict[str, Any]]:
        for n, (owner, name, domain) in enumerate(accounts):
            yield {
                "id": first_account + n,
                "name": name,
                "owner_id": owner,
                "website": f"https://{domain}",
                "city": rng.choice(CITIES),
                "phone": f"+49 30 {rng.randrange(1000000, 9999999)}",
            }

    _write(Account, ("id", "name", "owner_id", "website", "city", "phone"), account_rows())
    _reset_sequence(Account)
    seconds["accounts"] = time.perf_counter() - started

    def contact_rows() -> Iterator[dict[str, Any]]:
        for _ in range(rows):
            account = rng.randrange(account_count)
            owner, _, domain = accounts[account]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            title, level = rng.choice(JOB_TITLES)
            yield {
                "first_name": first,
                "last_name": last,
                "email": f"{_ascii(first)}.{_ascii(last)}@{domain}",
                "phone": f"+1 {rng.randrange(200, 999)} {rng.randrange(100, 999)} "
                f"{rng.randrange(1000, 9999)}",
                "job_title": title,
                "title_level_id": levels.get(level) if rng.random() < 0.9 else None,
                "account_id": first_account + account,
                "owner_id": owner if rng.random() < 0.9 else rng.choice(owners),
                "city": rng.choice(CITIES),
            }

    generated = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "title_level_id",
        "account_id",
        "owner_id",
        "city",
    )
    indexed = registry.get("contact")
    mark = time.perf_counter()
    # Build the trigram index once after the load rather than row by row during it.
    with connection.cursor() as cursor:
        for statement in schema.drop_sql(connection.vendor, "contact"):
            cursor.execute(statement)
    _write(Contact, generated, contact_rows())
    seconds["contacts (COPY)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Inside a transaction (the smoke test) deferred foreign-key checks must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem TO '512MB'")
        for statement in schema.create_sql(
            connection.vendor, "contact", indexed.table, indexed.fields
        ):
            cursor.execute(statement)
    seconds["search index"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE customers_account")
            cursor.execute("VACUUM ANALYZE customers_contact")
    seconds["vacuum analyze"] = time.perf_counter() - mark
    return Loaded(rows, account_count, tuple(owners), admin_id, rep_id, seconds)


def existing(seed: int = 1) -> Loaded:
    """What an earlier load left (for --keep)."""
    from rapport.customers.models import Account, Contact

    owners, admin_id, rep_id = _people(seed)
    return Loaded(
        Contact.objects.count(), Account.objects.count(), tuple(owners), admin_id, rep_id, {}
    )


# Measuring ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    max_ms: float
    requests: int

    @classmethod
    def of(cls, seconds: list[float]) -> Timing:
        ms = sorted(s * 1000 for s in seconds)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return cls(statistics.median(ms), p95, ms[-1], len(ms))


@dataclass(frozen=True)
class Scenario:
    name: str
    target_ms: float | None
    timing: Timing
    rows_last: int  # rows (or hits) in the last response, to show the requests did work

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.timing.p95_ms <= self.target_ms else "MISSED"


RequestSpec = tuple[Any, str, dict[str, str], dict[str, str]]  # client, path, query, headers


def _search_words(rng: random.Random, count: int) -> list[str]:
    """Searches people type: a surname, first and last name, a prefix, a company, a title word."""
    queries = []
    for n in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        queries.append(
            (
                last,
                f"{first} {last}",
                last[:4],
                rng.choice(COMPANY_WORDS),
                f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}",
                rng.choice(JOB_TITLES)[0].split()[-1],
            )[n % 6]
        )
    return queries


def measure(
    loaded: Loaded, *, requests: int = 50, warmup: int = 5, seed: int = 1
) -> list[Scenario]:
    from django.test import Client, override_settings

    from rapport.access.models import User
    from rapport.core.models import PicklistValue

    rng = random.Random(seed)
    levels = list(
        PicklistValue.objects.filter(picklist__key="title_level").values_list("id", flat=True)
    )
    admin = Client()
    admin.force_login(User.objects.get(pk=loaded.admin_id))
    rep = Client()
    rep.force_login(User.objects.get(pk=loaded.rep_id))
    api = {"HTTP_ACCEPT": "application/json"}
    searches = _search_words(rng, warmup + requests)

    def by_owner(n: int) -> str:
        return str(loaded.owners[n % len(loaded.owners)])

    def by_level(n: int) -> str:
        return str(levels[n % len(levels)])

    scenarios: list[tuple[str, float | None, Callable[[int], RequestSpec]]] = [
        (
            "API list, owner filter, by last name",
            API_TARGET_MS,
            lambda n: (
                admin,
                "/api/v1/contacts/",
                {"page_size": "50", "owner": by_owner(n), "ordering": "last_name"},
                api,
            ),
        ),
        (
            "API list, title level filter, by last name",
            API_TARGET_MS,
            lambda n: (
                admin,
                "/api/v1/contacts/",
                {"page_size": "50", "title_level": by_level(n), "ordering": "last_name"},
                api,
            ),
        ),
        (
            "API list, sales rep's own and team's, by last name",
            API_TARGET_MS,
            lambda n: (rep, "/api/v1/contacts/", {"page_size": "50", "ordering": "last_name"}, api),
        ),
        (
            "Page /contacts/, owner filter, by last name",
            None,
            lambda n: (admin, "/contacts/", {"owner": by_owner(n), "sort": "last_name"}, {}),
        ),
        (
            "Page /contacts/, title level filter, by last name",
            None,
            lambda n: (admin, "/contacts/", {"title_level": by_level(n), "sort": "last_name"}, {}),
        ),
        (
            "Search API /api/v1/search/?q= (administrator)",
            SEARCH_TARGET_MS,
            lambda n: (admin, "/api/v1/search/", {"q": searches[n]}, api),
        ),
        (
            "Search API /api/v1/search/?q= (sales rep)",
            SEARCH_TARGET_MS,
            lambda n: (rep, "/api/v1/search/", {"q": searches[n]}, api),
        ),
        (
            "API list ?search=, by last name",
            SEARCH_TARGET_MS,
            lambda n: (
                admin,
                "/api/v1/contacts/",
                {"page_size": "50", "search": searches[n], "ordering": "last_name"},
                api,
            ),
        ),
        (
            "Page /contacts/?q=, by last name",
            SEARCH_TARGET_MS,
            lambda n: (admin, "/contacts/", {"q": searches[n], "sort": "last_name"}, {}),
        ),
    ]
    results: list[Scenario] = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for name, target, make in scenarios:
            times: list[float] = []
            rows = 0
            for n in range(warmup + requests):
                client, url, params, headers = make(n)
                started = time.perf_counter()
                response = client.get(url, params, **headers)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (url, params, response.status_code)
                if n >= warmup:
                    times.append(elapsed)
                rows = _rows_in(response)
            results.append(Scenario(name, target, Timing.of(times), rows))
    return results


def _rows_in(response: Any) -> int:
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return len(body.get("results", []))
    return response.content.decode().count('<tr id="row-')  # records/list.html rows


def report(loaded: Loaded, results: list[Scenario]) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        version = str(cursor.fetchone()[0]).split(" on ")[0]
    lines = [
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {connection.vendor} "
        f"({version if connection.vendor == 'postgresql' else 'sqlite'}), python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; {loaded.rows:,} contacts, {loaded.accounts:,} accounts, "
        f"{len(loaded.owners)} owners; Django test Client in-process (full middleware, no network)",
    ]
    if loaded.seconds:
        lines.append("load: " + ", ".join(f"{k} {v:.1f} s" for k, v in loaded.seconds.items()))
    lines += [
        "",
        "| Scenario | Requests | p50 (ms) | p95 (ms) | max (ms) | Rows in last answer "
        "| Target p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in results:
        target = f"≤ {s.target_ms:.0f} ms {s.verdict}" if s.target_ms else ""
        lines.append(
            f"| {s.name} | {s.timing.requests} | {s.timing.p50_ms:.1f} | {s.timing.p95_ms:.1f} "
            f"| {s.timing.max_ms:.1f} | {s.rows_last} | {target} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="contacts to load")
    parser.add_argument("--keep", action="store_true", help="reuse the contacts already loaded")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per scenario")
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…/rapport_bench.")
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("The database name must contain 'bench': the load empties the contact tables.")
    call_command("migrate", verbosity=0)
    from rapport.customers.models import Contact

    if args.keep and Contact.all_objects.count() >= args.rows:
        loaded = existing()
    else:
        with connection.cursor() as cursor:
            # CASCADE: leads, opportunities and activities point at accounts and contacts.
            cursor.execute("TRUNCATE customers_contact, customers_account CASCADE")
        loaded = load(rows=args.rows)
    print(report(loaded, measure(loaded, requests=args.requests, warmup=args.warmup)))


if __name__ == "__main__":
    main()
