"""`rapport duplicates rebuild-keys` and `rapport duplicates scan --output pairs.csv`."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.quality.dedupe.models import DuplicatePair

pytestmark = pytest.mark.django_db(transaction=True)


def test_rebuild_then_scan_writes_the_scored_pairs(rep: User, tmp_path: Path) -> None:
    a = Contact.objects.create(first_name="Ann", last_name="Lee", email="a@x.org", owner=rep)
    b = Contact.objects.create(
        first_name="Ann", last_name="Lee", email="a@x.org", owner=rep, external_id="CRM-7"
    )
    out = StringIO()
    call_command("duplicates", "rebuild-keys", "--type", "contact", stdout=out)
    assert "match keys written" in out.getvalue()
    target = tmp_path / "pairs.csv"
    err = StringIO()
    call_command(
        "duplicates", "scan", "--type", "contact", "--output", str(target), stdout=out, stderr=err
    )
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(int(r["id"]), int(r["other_id"]), r["other_external_id"]) for r in rows] == [
        (a.pk, b.pk, "CRM-7")
    ]
    assert rows[0]["reasons"].startswith("same e-mail; same name")
    assert "1 pairs scored" in err.getvalue()
    assert "peak memory" in out.getvalue()
    assert DuplicatePair.objects.count() == 0  # --output only; --queue fills the queue


def test_scan_into_the_queue(rep: User) -> None:
    for _ in range(2):
        Contact.objects.create(first_name="Ann", last_name="Lee", email="a@x.org", owner=rep)
    call_command("duplicates", "rebuild-keys", stdout=StringIO())
    call_command("duplicates", "scan", "--queue", stdout=StringIO(), stderr=StringIO())
    assert DuplicatePair.objects.filter(status="open").count() == 1
