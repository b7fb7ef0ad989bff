"""The wizard's actions beyond the happy path: cancel, all or nothing, updates and their undo,
an undo too late, Excel files, and a list page whose queries do not grow with the imports."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.imports.models import ImportBatch
from rapport.imports.tests.test_wizard_pages import (
    checked_batch,
    mapping_post,
    signed_in,
    upload,
    uploaded_batch,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks_and_media(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def test_cancelling_a_checked_import_drops_it(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    response = client.post(f"/imports/{batch.pk}/cancel/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Cancelled: nothing of this import is in the database." in html
    assert f'href="/imports/{batch.pk}/mapping/"' in html  # it can be mapped and run again


def test_cancelling_a_running_import_asks_it_to_stop(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    client.post(f"/imports/{batch.pk}/cancel/")
    batch.refresh_from_db()
    assert batch.cancel_requested
    assert "Cancelling…" in client.get(f"/imports/{batch.pk}/").content.decode()


def test_a_failed_import_says_why_and_can_be_mapped_again(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, error="The worker stopped: out of disk space."
    )
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "The import failed; nothing of it is in the database." in html
    assert "The worker stopped: out of disk space." in html
    listing = client.get("/imports/").content.decode()
    assert f'href="/imports/{batch.pk}/mapping/"' in listing  # continue: map and run again


def test_all_or_nothing_with_rejected_rows_writes_nothing_and_says_why(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    client.post(f"/imports/{batch.pk}/mapping/", mapping_post(batch, commit_mode="all_or_nothing"))
    client.post(f"/imports/{batch.pk}/dry-run/")
    batch.refresh_from_db()
    assert batch.rejected == 1
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "All or nothing: 1 row is rejected, so importing now writes nothing." in page
    response = client.post(f"/imports/{batch.pk}/commit/", follow=True)
    assert 'class="message message-error"' in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert not Contact.objects.exists()


def test_an_update_import_lists_what_its_undo_restores(rep: User) -> None:
    grace: Contact = crud.record_create(
        record_type="contact",
        acting_user=rep,
        values={"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"},
    )
    client = signed_in(rep)
    batch = uploaded_batch(client)
    colour = batch.headers.index("Lieblingsfarbe")
    response = client.post(
        f"/imports/{batch.pk}/mapping/",
        mapping_post(
            batch,
            duplicate_mode="update",
            match_on="email",
            **{f"column_{colour}": "job_title"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(f"/imports/{batch.pk}/dry-run/")
    client.post(f"/imports/{batch.pk}/commit/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED, batch.error
    assert batch.updated == 1
    grace.refresh_from_db()
    assert grace.job_title == "red"

    confirm = client.get(f"/imports/{batch.pk}/undo/").content.decode()
    assert "1 updated record gets back the values it had before" in confirm
    restored = confirm[confirm.index("Restored") :]
    assert f'href="/contacts/{grace.pk}/"' in restored
    assert "Job title" in restored

    client.post(f"/imports/{batch.pk}/undo/")
    grace.refresh_from_db()
    assert grace.job_title == ""
    assert list(Contact.objects.values_list("pk", flat=True)) == [grace.pk]


def test_an_import_older_than_30_days_cannot_be_undone(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    client.post(f"/imports/{batch.pk}/commit/")
    ImportBatch.objects.filter(pk=batch.pk).update(committed_at=timezone.now() - timedelta(days=31))
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Undo this import" not in page
    response = client.get(f"/imports/{batch.pk}/undo/", follow=True)
    assert "This import can no longer be undone." in response.content.decode()
    client.post(f"/imports/{batch.pk}/undo/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Contact.objects.count() == 2


def test_an_excel_file_is_mapped_with_its_samples(rep: User) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["First name", "Last name", "E-mail", "Birthdate"])
    sheet.append(["Ada", "Lovelace", "ada@example.com", "1815-12-10"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = signed_in(rep)
    response = upload(client, buffer.getvalue(), "people.xlsx")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.file_format == "xlsx"
    html = client.get(response["Location"]).content.decode()
    assert "XLSX" in html
    assert "ada@example.com" in html
    assert '<option value="birthdate" selected>' in html


def test_a_vcard_file_is_mapped_onto_contact_fields(rep: User) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\n"
        "EMAIL;TYPE=INTERNET:ada@example.com\r\nTITLE:Analyst\r\nEND:VCARD\r\n"
    )
    client = signed_in(rep)
    response = upload(client, card.encode(), "ada.vcf")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.file_format in {"vcf", "vcard"}
    assert batch.mapping["First name"] == "first_name"
    html = client.get(response["Location"]).content.decode()
    assert "ada@example.com" in html
    assert "Analyst" in html


def test_the_list_runs_a_constant_number_of_queries(rep: User) -> None:
    client = signed_in(rep)
    uploaded_batch(client)
    client.get("/imports/")
    with CaptureQueriesContext(connection) as few:
        client.get("/imports/")
    for _ in range(5):
        uploaded_batch(client)
    with CaptureQueriesContext(connection) as many:
        client.get("/imports/")
    assert len(many) == len(few)
