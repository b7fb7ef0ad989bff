"""Counts always add up: accepted + rejected + duplicates = rows read, whatever the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.customers.models import Contact
from rapport.imports.models import ImportRow
from rapport.imports.tests.engine_fixtures import report, run, write_csv

pytestmark = pytest.mark.django_db

names = st.sampled_from(["Ada", "ADA", "grace", "", "  Alan  ", "Zoë", "o'neil", "x" * 120])
emails = st.sampled_from(
    ["ada@example.com", "ADA@EXAMPLE.COM", "", "not-an-address", "g@example.org", "a@@b"]
)
dates = st.sampled_from(["", "1990-01-31", "31.01.1990", "31/02/1990", "yesterday", "12/31/1990"])
phones = st.sampled_from(["", "+44 20 7946 0958", "12", "+1 415 555 0100", "phone"])
# Blank lines are no rows at all (the reader skips them), so every row has something in it.
row = st.tuples(names, names, emails, dates, phones).filter(lambda r: any(c.strip() for c in r))
rows = st.lists(row, min_size=1, max_size=25)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=rows)
def test_counts_add_up_for_messy_rows(
    admin_user, tmp_path: Path, data: list[tuple[str, ...]]
) -> None:
    Contact.all_objects.all().delete()
    path = write_csv(
        tmp_path / "messy.csv",
        [["First name", "Last name", "E-mail", "Birthdate", "Phone"], *[list(r) for r in data]],
    )
    dry = run(admin_user, path, dry_run=True)
    assert dry.accepted + dry.rejected + dry.duplicates == len(data)
    assert not Contact.objects.exists()
    committed = run(admin_user, path)
    assert committed.accepted + committed.rejected + committed.duplicates == len(data)
    assert (committed.accepted, committed.rejected, committed.duplicates) == (
        dry.accepted, dry.rejected, dry.duplicates,
    )  # fmt: skip
    assert Contact.objects.count() == committed.created == committed.accepted
    assert len(report(committed)) == len(data)
    assert ImportRow.objects.filter(batch=committed).count() == len(data)
