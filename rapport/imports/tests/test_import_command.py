from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rapport.customers.models import Contact
from rapport.imports.tests.engine_fixtures import write_csv

pytestmark = pytest.mark.django_db


def test_it_ends_with_the_summary_line_and_writes_the_report(admin_user, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv",
        [["Vorname", "Nachname", "Mail"], ["Ada", "Lovelace", "ada@example.com"],
         ["Ada", "Lovelace", "ada@example.com"], ["Bob", "", "bob@example.com"]],
    )  # fmt: skip
    out, err = StringIO(), StringIO()
    report = tmp_path / "report.csv"
    call_command("import", str(path), "--type", "contact", "--report", str(report), stdout=out,
                 stderr=err)  # fmt: skip
    assert out.getvalue().strip().splitlines()[-1] == "rows 3, accepted 1, rejected 1, duplicates 1"
    assert Contact.objects.count() == 1
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["verdict"] for r in rows] == ["accepted", "duplicate", "rejected"]
    assert rows[1]["matched record"] == "line 2"
    assert rows[0]["action"] == "created"
    assert rows[2]["field"] == "last_name"


def test_a_dry_run_writes_nothing(admin_user, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["Last name"], ["Ng"]])
    out = StringIO()
    call_command("import", str(path), "--type", "contact", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "rows 1, accepted 1, rejected 0, duplicates 0"
    assert not Contact.objects.exists()


def test_an_unusable_file_fails_with_its_message(admin_user, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import", str(path), "--type", "contact", stdout=StringIO())
    assert not Contact.objects.exists()
