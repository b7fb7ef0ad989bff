"""Cancel, all-or-nothing, and the housekeeping job that resumes dead commits and forgets old
batches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapport.customers.models import Contact
from rapport.imports import engine, services, tasks
from rapport.imports.models import ImportBatch, ImportRow
from rapport.imports.tests.engine_fixtures import run, write_csv
from rapport.quality.dedupe.models import MatchKey

pytestmark = pytest.mark.django_db


def people(tmp_path: Path, count: int, *, broken: int | None = None) -> Path:
    rows = [["Last name", "E-mail"]]
    for n in range(count):
        rows.append(["" if n == broken else f"Person{n}", f"p{n}@example.com"])
    return write_csv(tmp_path / "people.csv", rows)


def test_a_cancelled_commit_undoes_what_it_wrote(
    admin_user, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHUNK", 3)

    def cancel_after_first_chunk(done: int, total: Any, message: str) -> None:
        ImportBatch.objects.update(cancel_requested=True)

    batch = run(admin_user, people(tmp_path, 10), progress=cancel_after_first_chunk)
    assert batch.status == ImportBatch.Status.CANCELLED
    assert not Contact.all_objects.exists()
    assert not MatchKey.objects.filter(record_type="contact").exists()


def test_all_or_nothing_imports_nothing_when_a_row_is_rejected(
    admin_user, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHUNK", 3)
    path = people(tmp_path, 10, broken=8)
    batch = run(admin_user, path, commit_mode="all_or_nothing")
    assert batch.status == ImportBatch.Status.FAILED
    assert "line 10" in batch.error
    assert "all-or-nothing" in batch.error
    assert not Contact.all_objects.exists()
    assert not ImportRow.objects.filter(batch=batch).exists()


def test_all_or_nothing_refuses_to_start_after_a_dry_run_with_rejections(
    admin_user, tmp_path: Path
) -> None:
    batch = run(
        admin_user, people(tmp_path, 3, broken=1), dry_run=True, commit_mode="all_or_nothing"
    )
    assert batch.rejected == 1
    with pytest.raises(ValidationError, match="all-or-nothing"):
        services.batch_commit_start(batch=batch, acting_user=admin_user)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.CHECKED


def test_housekeeping_resumes_a_dead_commit_and_purges_old_batches(
    admin_user, tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    dead = run(admin_user, people(tmp_path, 4), dry_run=True)
    stale = timezone.now() - dt.timedelta(hours=1)
    ImportBatch.objects.filter(pk=dead.pk).update(
        status=ImportBatch.Status.COMMITTING, updated_at=stale
    )
    old = run(admin_user, write_csv(tmp_path / "old.csv", [["Last name"], ["Old"]]))
    ImportBatch.objects.filter(pk=old.pk).update(
        committed_at=timezone.now() - dt.timedelta(days=31)
    )

    result = tasks.imports_housekeeping.call()

    assert result == {"resumed": 1, "purged": 1}
    dead.refresh_from_db()
    assert dead.status == ImportBatch.Status.COMMITTED
    assert dead.created == 4
    old.refresh_from_db()
    assert not old.file
    assert not ImportRow.objects.filter(batch=old).exists()
    assert Contact.objects.filter(last_name="Old").exists()  # the records stay
    assert not old.can_roll_back
