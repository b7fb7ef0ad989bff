"""The duplicate check benchmark runs end to end with a few hundred rows."""

from __future__ import annotations

from bench.contacts_list import load
from bench.duplicate_check import keys_load, measure, report, scan
from rapport.quality.dedupe.models import MatchKey


def test_the_benchmark_loads_keys_times_checks_and_scans(db: None) -> None:
    load(rows=300)
    count, _seconds = keys_load()
    assert count == MatchKey.objects.filter(record_type="contact").count() > 300

    near, unique = measure(checks=20, warmup=2)

    assert near.checks == unique.checks == 20
    assert near.found == 20  # every near duplicate finds the contact it was made from
    assert unique.found == 0
    pairs, likely, _seconds, peak = scan()
    assert pairs >= likely > 0
    table = report(300, (count, 1.0), [near, unique], (pairs, likely, 1.0, peak))
    assert "| unique person | 20 |" in table
