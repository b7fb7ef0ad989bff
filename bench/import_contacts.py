"""A million messy contact rows imported with normalisation, validation and duplicate checking.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_import_bench \
        .venv/bin/python bench/import_contacts.py [--rows 1000000] [--slice 50000]

PostgreSQL only; the database name must contain "bench" (its contact, account, key, score and
import tables are emptied). Steps:

1. writes a deterministic messy CSV (seeded Faker pools: mixed-case e-mails, national and
   international phone formats, ALL-CAPS and lower-case names, day-first dates, ~2% invalid
   rows, ~3% duplicates of earlier rows, companies by name variants or web domain);
2. imports it with `rapport.imports.services.import_run` (the whole pipeline: normalisers,
   full_clean, validation rules, duplicate check, bulk writes with keys, scores, audit) and
   prints time, rows/s and the process's peak RSS;
3. imports the first `--slice` rows with django-import-export's default `ModelResource` for
   Contact (plain rows, no scrubbing) and extrapolates to the full file;
4. COPYs the same file's raw columns into the contact table;
5. prints both ratios. Target: >= 3,300 rows/s (1M in <= 5 minutes), peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
# As in production: with DEBUG on, Django keeps the SQL of the last 9,000 queries in memory.
os.environ.setdefault("DEBUG", "false")

TARGET_ROWS_PER_SECOND = 3300
HEADERS = [
    "First Name",
    "Last Name",
    "E-Mail",
    "Phone",
    "Company",
    "Street",
    "ZIP",
    "City",
    "Country",
    "Date of birth",
    "Job title",
]
BENCH_ADMIN = "bench-import-admin@example.com"
ACCOUNTS = 2000


@dataclass(frozen=True)
class Figures:
    rows: int
    seconds: float
    rows_per_second: float
    peak_rss_mib: float
    accepted: int
    rejected: int
    duplicates: int


def _pools(seed: int) -> dict[str, list[str]]:
    from faker import Faker

    fake = Faker(["en_US", "de_DE", "en_GB"])
    Faker.seed(seed)
    return {
        "first": [fake.first_name() for _ in range(600)],
        "last": [fake.last_name() for _ in range(1500)],
        "street": [fake.street_name() for _ in range(800)],
        "city": [fake.city() for _ in range(400)],
        "company": _unique(fake.company, ACCOUNTS),
        "job": [fake.job()[:100] for _ in range(200)],
    }


def _unique(make: Any, count: int) -> list[str]:
    found: dict[str, None] = {}
    while len(found) < count:
        found[make()] = None
    return list(found)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain if c.isalnum() or c == ".")


def _phone(rng: random.Random, country: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(7))
    if country == "DE":
        style = rng.randrange(3)
        if style == 0:
            return f"030 {digits[:3]} {digits[3:]}"
        if style == 1:
            return f"+49 30 {digits}"
        return f"0049-30-{digits}"
    if country == "GB":
        return rng.choice([f"020 7946 {digits[:4]}", f"+44 20 7946 {digits[:4]}"])
    area = rng.choice(["212", "415", "312", "617"])
    return rng.choice(
        [f"({area}) 555-{digits[:4]}", f"+1 {area} 555 {digits[:4]}", f"{area}.555.{digits[:4]}"]
    )


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return text.upper()
    if roll < 0.25:
        return text.lower()
    return text


def generate(path: Path, *, rows: int, seed: int = 6) -> None:
    """The messy CSV (deterministic for a seed)."""
    pools = _pools(seed)
    rng = random.Random(seed)
    countries = [("DE", "Germany"), ("US", "USA"), ("GB", "United Kingdom"), ("DE", "de")]
    recent: list[list[str]] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            roll = rng.random()
            if recent and roll < 0.03:
                # A duplicate of an earlier row: same person, typed again a bit differently.
                row = list(rng.choice(recent))
                row[0] = row[0].upper()
                row[2] = row[2].upper()
                writer.writerow(row)
                continue
            first = rng.choice(pools["first"])
            last = rng.choice(pools["last"])
            code, country = rng.choice(countries)
            domain = rng.choice(["example.com", "mail.example.org", "firma.example.de"])
            local = _ascii(f"{first}.{last}.{n}")
            email = _case(rng, f"{local}@{domain}") if rng.random() > 0.1 else ""
            company_index = rng.randrange(ACCOUNTS)
            company = pools["company"][company_index]
            company_cell = rng.choice([company, company.upper(), ""])
            birth = ""
            if rng.random() < 0.3:
                birth = (
                    f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2000)}"
                )
            row = [
                _case(rng, first),
                _case(rng, last),
                email,
                _phone(rng, code) if rng.random() > 0.2 else "",
                company_cell,
                f"{rng.choice(pools['street'])} {rng.randint(1, 200)}",
                f"{rng.randint(10000, 99999)}",
                rng.choice(pools["city"]),
                country,
                birth,
                rng.choice(pools["job"]),
            ]
            bad = rng.random()
            if bad < 0.007:
                row[2] = f"{local}@@{domain}"  # invalid e-mail
            elif bad < 0.014:
                row[1] = ""  # no last name
            elif bad < 0.02:
                row[9] = "31.02.1990"  # no such date
            if len(recent) < 5000:
                recent.append(row)
            elif rng.random() < 0.01:
                recent[rng.randrange(5000)] = row
            writer.writerow(row)


def prepare(*, seed: int = 6) -> Any:
    """Empty the tables the import fills, create the bench administrator and the accounts."""
    from django.db import connection

    from rapport.access.models import Role, User
    from rapport.customers.models import Account
    from rapport.quality.dedupe.services import keys_rebuild

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE customers_contact, customers_account, dedupe_matchkey, "
                "scores_qualityscore, imports_importrow, imports_importbatch CASCADE"
            )
    else:  # the smoke test's embedded database
        from rapport.customers.models import Contact
        from rapport.imports.models import ImportBatch
        from rapport.quality.dedupe.models import MatchKey
        from rapport.quality.scores.models import QualityScore

        for model in (ImportBatch, QualityScore, MatchKey, Contact, Account):
            model._base_manager.all().delete()
    admin = User.objects.filter(email=BENCH_ADMIN).first()
    if admin is None:
        admin = User.objects.create_user(
            email=BENCH_ADMIN,
            password=None,
            role=Role.objects.get(key="administrator"),
            first_name="Bench",
            last_name="Importer",
        )
    pools = _pools(seed)
    Account.objects.bulk_create(
        Account(name=name, owner=admin, website=f"https://www.company{i}.example.com")
        for i, name in enumerate(pools["company"])
    )
    keys_rebuild(record_types=("account",))
    return admin


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_rapport(path: Path, admin: Any, *, quiet: bool = False) -> Figures:
    from rapport.imports.services import import_run

    def progress(done: int, total: int | None, message: str) -> None:
        if not quiet:
            print(f"\r{message}", end="", file=sys.stderr, flush=True)

    started = time.perf_counter()
    batch = import_run(
        acting_user=admin, record_type="contact", path=path, options={}, progress=progress
    )
    seconds = time.perf_counter() - started
    if not quiet:
        print(file=sys.stderr)
    rows = batch.accepted + batch.rejected + batch.duplicates
    return Figures(
        rows=rows,
        seconds=seconds,
        rows_per_second=rows / seconds if seconds else 0.0,
        peak_rss_mib=_peak_rss_mib(),
        accepted=batch.accepted,
        rejected=batch.rejected,
        duplicates=batch.duplicates,
    )


def _plain_rows(path: Path, limit: int) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [row for _, row in zip(range(limit), reader, strict=False)]


def run_import_export(path: Path, admin: Any, *, rows: int) -> tuple[int, float]:
    """django-import-export's default ModelResource for Contact over the first `rows` rows
    (plain values, no normalisation): (rows, seconds)."""
    import tablib  # type: ignore[import-untyped]
    from import_export import resources  # type: ignore[import-untyped]

    from rapport.customers.models import Contact

    class ContactResource(resources.ModelResource):
        class Meta:
            model = Contact
            fields = ("id", "first_name", "last_name", "email", "phone", "street", "postal_code",
                      "city", "job_title", "owner")  # fmt: skip

    dataset = tablib.Dataset(
        headers=[
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "street",
            "postal_code",
            "city",
            "job_title",
            "owner",
        ]
    )
    for row in _plain_rows(path, rows):
        dataset.append(
            [
                "",
                row["First Name"],
                row["Last Name"] or "x",
                "",
                row["Phone"][:32],
                row["Street"],
                row["ZIP"],
                row["City"],
                row["Job title"],
                admin.pk,
            ]
        )
    started = time.perf_counter()
    result = ContactResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    return result.totals.get("new", rows), seconds


def run_copy(path: Path, admin: Any) -> tuple[int, float]:
    """The file's raw columns COPYed into the contact table: (rows, seconds)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now().isoformat()
    columns = (
        "first_name, last_name, email, secondary_email, phone, mobile, street, postal_code, "
        "city, region, country, job_title, description, do_not_contact, left_company, owner_id, "
        "created_at, updated_at"
    )
    count = 0
    started = time.perf_counter()
    with connection.cursor() as cursor, path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        values = (
            (row[0][:100], row[1][:100], "", "", row[3][:32], "", row[5], row[6][:20],
             row[7][:100], "", "", row[10][:150], "", False, False, admin.pk, now, now)
            for row in reader
        )  # fmt: skip
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY customers_contact ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
                    count += 1
        else:  # the smoke test's embedded database: one INSERT, many rows
            rows = list(values)
            marks = ", ".join(["%s"] * 18)
            cursor.executemany(
                f"INSERT INTO customers_contact ({columns}) VALUES ({marks})",
                rows,
            )
            count = len(rows)
    return count, time.perf_counter() - started


def report(figures: Figures, *, iexp: tuple[int, float], copy: tuple[int, float]) -> str:
    load = os.getloadavg()
    iexp_rate = iexp[0] / iexp[1] if iexp[1] else 0.0
    copy_rate = copy[0] / copy[1] if copy[1] else 0.0
    verdict = "meets" if figures.rows_per_second >= TARGET_ROWS_PER_SECOND else "misses"
    lines = [
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.python_version()}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"rapport import_run: {figures.rows:,} rows in {figures.seconds:.1f} s = "
        f"{figures.rows_per_second:,.0f} rows/s ({verdict} the {TARGET_ROWS_PER_SECOND:,} rows/s "
        f"target), peak RSS {figures.peak_rss_mib:,.0f} MiB; accepted {figures.accepted:,}, "
        f"rejected {figures.rejected:,}, duplicates {figures.duplicates:,}",
        f"django-import-export ModelResource: {iexp[0]:,} rows in {iexp[1]:.1f} s = "
        f"{iexp_rate:,.0f} rows/s (extrapolated to {figures.rows:,} rows: "
        f"{figures.rows / iexp_rate if iexp_rate else 0:,.0f} s); "
        f"rapport / import-export = {figures.rows_per_second / iexp_rate if iexp_rate else 0:.1f}x",
        f"raw COPY: {copy[0]:,} rows in {copy[1]:.1f} s = {copy_rate:,.0f} rows/s; "
        f"rapport / COPY = {figures.rows_per_second / copy_rate if copy_rate else 0:.3f}x",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--slice", type=int, default=50_000, help="rows for import-export")
    parser.add_argument("--file", type=Path, help="reuse this generated CSV")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…/…bench….")
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("The database name must contain 'bench': the benchmark empties contact tables.")
    call_command("migrate", verbosity=0)
    path = args.file
    if path is None or not path.exists():
        path = Path(tempfile.gettempdir()) / f"rapport-import-bench-{args.rows}.csv"
        if not path.exists():
            started = time.perf_counter()
            generate(path, rows=args.rows)
            print(f"generated {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    admin = prepare()
    figures = run_rapport(path, admin)
    print(f"rapport: {figures}", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customers_contact CASCADE")
    iexp = run_import_export(path, admin, rows=min(args.slice, args.rows))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customers_contact CASCADE")
    copy = run_copy(path, admin)
    print(report(figures, iexp=iexp, copy=copy))


if __name__ == "__main__":
    main()
