"""Duplicates within the file and against the database; skip, update and create modes; the
keep-history right; a bounded number of queries per chunk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.customers.models import Contact
from rapport.customers.services import contact_create
from rapport.imports import engine
from rapport.imports.mapping import importable_fields, mapping_suggest
from rapport.imports.models import ImportRow
from rapport.imports.tests.engine_fixtures import report, run, write_csv

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "E-mail", "Phone"]


@pytest.fixture
def ada(admin_user) -> Contact:
    return contact_create(
        acting_user=admin_user,
        values={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
                "phone": "+442079460958"},
    )  # fmt: skip


def test_a_row_like_an_existing_record_is_a_duplicate_with_the_record_and_score(
    admin_user, ada, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "c.csv",
        [HEADER, ["ADA", "LOVELACE", "ada@EXAMPLE.com", "+44 20 7946 0958"],
         ["Alan", "Turing", "alan@example.com", ""]],
    )  # fmt: skip
    batch = run(admin_user, path)
    assert (batch.accepted, batch.duplicates, batch.skipped) == (1, 1, 1)
    row = ImportRow.objects.get(batch=batch, verdict="duplicate")
    assert (row.matched_type, row.matched_id, row.action) == ("contact", ada.pk, "skipped")
    assert row.score is not None
    assert row.score >= 0.7
    assert "same e-mail" in row.reasons[0]["message"]
    assert Contact.objects.count() == 2
    lines = report(batch)
    assert lines[0]["matched record"] == f"contact #{ada.pk}"


def test_rows_repeated_in_the_file_are_duplicates_of_the_earlier_line_across_chunks(
    admin_user, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHUNK", 2)
    rows = [HEADER] + [[f"P{n}", f"Person{n}", f"p{n}@example.com", ""] for n in range(5)]
    rows.append(["p3", "PERSON3", "P3@example.com", ""])
    path = write_csv(tmp_path / "c.csv", rows)
    dry = run(admin_user, path, dry_run=True)
    assert (dry.accepted, dry.duplicates) == (5, 1)
    assert ImportRow.objects.get(batch=dry, verdict="duplicate").matched_line == 5
    committed = run(admin_user, path)
    assert (committed.accepted, committed.duplicates) == (5, 1)
    duplicate = ImportRow.objects.get(batch=committed, verdict="duplicate")
    assert duplicate.matched_line == 5
    assert duplicate.matched_id == Contact.objects.get(last_name="Person3").pk
    assert Contact.objects.count() == 5


def test_update_mode_updates_the_matched_record(admin_user, ada, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "c.csv",
        [["E-mail", "Last name", "Job title"], ["ada@example.com", "Lovelace", "Countess"]],
    )
    batch = run(admin_user, path, duplicate_mode="update", options={"match_on": "email"})
    assert (batch.updated, batch.created) == (1, 0)
    ada.refresh_from_db()
    assert ada.job_title == "Countess"
    row = ImportRow.objects.get(batch=batch, line=2)
    assert row.previous["job_title"] == ""


def test_create_mode_creates_the_duplicate_and_reports_it(admin_user, ada, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [HEADER, ["Ada", "Lovelace", "ada@example.com", ""]])
    batch = run(admin_user, path, duplicate_mode="create")
    assert (batch.duplicates, batch.created) == (1, 1)
    assert Contact.objects.filter(email="ada@example.com").count() == 2


def test_historical_values_need_the_keep_history_right(
    admin_user, make_user, tmp_path: Path
) -> None:
    rep = make_user(role="sales_rep")
    names = {f.name for f in importable_fields("contact", rep)}
    assert "created_at" not in names
    assert "owner" not in names
    assert mapping_suggest("contact", ["Created", "Last name"], rep)["Created"] == ""
    path = write_csv(
        tmp_path / "c.csv",
        [["Last name", "Created", "Owner"], ["Turing", "1936-11-12 09:30", rep.email]],
    )
    batch = run(admin_user, path)
    turing = Contact.objects.get()
    assert batch.options["keep_history"] is True
    assert turing.created_at.date() == dt.date(1936, 11, 12)
    assert turing.owner == rep


def test_the_queries_per_chunk_do_not_grow_with_its_rows(
    admin_user, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def queries(rows: int) -> int:
        data = [HEADER] + [
            [f"N{rows}x{n}", f"Name{n}", f"n{rows}x{n}@example.com", ""] for n in range(rows)
        ]
        path = write_csv(tmp_path / f"c{rows}.csv", data)
        with CaptureQueriesContext(connection) as captured:
            run(admin_user, path)
        return len(captured)

    monkeypatch.setattr(engine, "CHUNK", 1000)
    queries(3)  # the person's permissions are read once and kept on the user
    assert queries(40) == queries(10)


def test_a_mapping_onto_a_field_the_importer_may_not_write_is_refused(
    admin_user, make_user, tmp_path: Path
) -> None:
    from django.core.exceptions import ValidationError

    from rapport.imports import services

    rep = make_user(role="sales_rep")
    path = write_csv(tmp_path / "c.csv", [["Last name", "Owner"], ["Turing", admin_user.email]])
    batch = run(rep, path, dry_run=True, mapping={"Last name": "last_name", "Owner": ""})
    batch.mapping = {"Last name": "last_name", "Owner": "owner"}  # as if an admin had set it
    batch.save()
    with pytest.raises(ValidationError, match="may not import"):
        services.batch_commit(batch=batch, acting_user=rep)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert "may not import" in batch.error
    assert not Contact.objects.exists()
