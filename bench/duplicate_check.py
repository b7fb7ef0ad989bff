"""The duplicate entry check and the duplicate scan over a million contacts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_dedupebench_check \
        .venv/bin/python bench/duplicate_check.py [--rows 1000000] [--keep [--rebuild-keys]] \
            [--checks 200] [--scan]

PostgreSQL only. Loads the contacts as bench/contacts_list.py does (COPY; the database name must
contain "bench", its contact tables are emptied unless --keep finds them full), computes every
contact's match keys and COPYs them in, then times `check_duplicates` (as an administrator, who
sees every row: the widest check) for near duplicates of existing contacts (another first-name
spelling or a nickname, the same e-mail) and for new, unique people, and prints p50 / p95.
Target: p95 <= 50 ms per check. `--scan` also times a full contact scan (all candidate pairs
scored, none written) and its peak memory. Target: <= 5 minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

TARGET_MS = 50.0
SLICE = 50_000  # contacts whose keys are computed, then copied, at a time


@dataclass(frozen=True)
class Timing:
    name: str
    checks: int
    p50_ms: float
    p95_ms: float
    found: int  # checks that found at least one candidate


def keys_load() -> tuple[int, float]:
    """Every contact's match keys, computed in Python and written with COPY."""
    from django.db import connection

    from rapport.customers.models import Contact
    from rapport.quality.dedupe.models import MatchKey
    from rapport.quality.dedupe.services import keys_of_row, rows_of

    started = time.perf_counter()
    MatchKey.objects.filter(record_type="contact").delete()
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Read a slice, then COPY its keys: the connection cannot stream rows out while it
            # is in COPY mode.
            top = Contact.all_objects.order_by("-id").values_list("id", flat=True).first() or 0
            for start in range(0, top + 1, SLICE):
                queryset = Contact.objects.filter(id__gte=start, id__lt=start + SLICE)
                keys = [
                    ("contact", row["id"], key[:200])
                    for row in rows_of("contact", queryset)
                    for key in keys_of_row("contact", row)
                ]
                with cursor.cursor.copy(
                    "COPY dedupe_matchkey (record_type, object_id, key) FROM STDIN"
                ) as copy:
                    for values in keys:
                        copy.write_row(values)
                count += len(keys)
        else:
            batch = [
                MatchKey(record_type="contact", object_id=row["id"], key=key[:200])
                for row in rows_of("contact")
                for key in keys_of_row("contact", row)
            ]
            MatchKey.objects.bulk_create(batch, batch_size=2000)
            count = len(batch)
        if connection.vendor == "postgresql" and connection.get_autocommit():
            cursor.execute("VACUUM ANALYZE dedupe_matchkey")
    return count, time.perf_counter() - started


def _time(name: str, calls: list[Any], check: Any, warmup: int) -> Timing:
    for obj in calls[:warmup]:
        check(obj)
    times: list[float] = []
    found = 0
    for obj in calls:
        mark = time.perf_counter()
        if check(obj):
            found += 1
        times.append((time.perf_counter() - mark) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Timing(name, len(times), statistics.median(times), p95, found)


def measure(*, checks: int, warmup: int = 5, seed: int = 2) -> list[Timing]:
    """p50 / p95 of the entry check for near duplicates and for unique people."""
    from rapport.access.models import User
    from rapport.customers.models import Contact
    from rapport.quality.dedupe.services import check_duplicates

    rng = random.Random(seed)
    viewer = User.objects.get(email="bench-admin@example.com")
    # Sampled from the ids' real range: on a database that has seen other rows (a test run), the
    # sequence does not start at 1.
    bottom = Contact.objects.order_by("id").values_list("id", flat=True).first() or 1
    top = Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randrange(bottom, top + 1) for _ in range(checks * 2)]
    existing = list(Contact.objects.filter(id__in=ids).select_related("account")[:checks])
    near = [
        Contact(
            first_name=c.first_name[:3] if len(c.first_name) > 3 else c.first_name + "y",
            last_name=c.last_name.upper(),
            email=c.email.upper(),
            phone=c.phone,
            account=c.account,
            owner_id=c.owner_id,
        )
        for c in existing
    ]
    unique = [
        Contact(
            first_name=f"Qx{n}",
            last_name=f"Zyvonne{rng.randrange(10**9)}",
            email=f"nobody{n}.{rng.randrange(10**9)}@unique{n}.example",
            phone=f"+44 20 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
            owner_id=viewer.pk,
        )
        for n in range(len(near))
    ]

    def check(obj: Any) -> list[Any]:
        return check_duplicates("contact", obj, viewer=viewer)

    return [
        _time("near duplicate (same e-mail, other first name)", near, check, warmup),
        _time("unique person", unique, check, warmup),
    ]


def scan() -> tuple[int, int, float, float]:
    """(pairs scored, pairs proposed, seconds, peak RSS MB) of the full contact scan job: the
    candidate pairs scored and the likely duplicates written to the review queue, clustered."""
    from rapport.quality.dedupe.models import DuplicatePair
    from rapport.quality.dedupe.scan import duplicates_scan

    DuplicatePair.objects.filter(record_type="contact").delete()
    started = time.perf_counter()
    summary = duplicates_scan(record_type="contact", acting_user=None)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary.compared, summary.proposed, seconds, peak


def report(
    rows: int, keys: tuple[int, float] | None, timings: list[Timing], scanned: Any = None
) -> str:
    lines = [
        f"{rows} contacts; machine: {platform.machine()} {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}",
    ]
    if keys is not None:
        lines.append(f"match keys: {keys[0]} written in {keys[1]:.1f} s")
    lines += [
        "",
        f"| Check (target p95 <= {TARGET_MS:.0f} ms) | checks | p50 (ms) | p95 (ms) | found |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {t.name} | {t.checks} | {t.p50_ms:.1f} | {t.p95_ms:.1f} | {t.found} |" for t in timings
    ]
    if scanned is not None:
        pairs, likely, seconds, peak = scanned
        lines += [
            "",
            f"scan: {pairs} candidate pairs scored ({likely} at or above the threshold) in "
            f"{seconds:.1f} s, peak memory {peak:.0f} MB",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="contacts to load")
    parser.add_argument("--keep", action="store_true", help="reuse the contacts and keys loaded")
    parser.add_argument(
        "--rebuild-keys", action="store_true", help="with --keep: recompute the match keys"
    )
    parser.add_argument("--checks", type=int, default=200, help="timed checks per scenario")
    parser.add_argument("--scan", action="store_true", help="also time a full contact scan")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.contacts_list import load

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…/…bench….")
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("The database name must contain 'bench': the load empties the contact tables.")
    call_command("migrate", verbosity=0)
    from rapport.customers.models import Contact
    from rapport.quality.dedupe.models import MatchKey

    keys: tuple[int, float] | None = None
    if not (args.keep and Contact.all_objects.count() >= args.rows):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE customers_contact, customers_account CASCADE")
            cursor.execute("TRUNCATE dedupe_matchkey")
        load(rows=args.rows)
        keys = keys_load()
    elif args.rebuild_keys or not MatchKey.objects.filter(record_type="contact").exists():
        keys = keys_load()
    timings = measure(checks=args.checks)
    print(report(args.rows, keys, timings, scan() if args.scan else None), flush=True)


if __name__ == "__main__":
    main()
