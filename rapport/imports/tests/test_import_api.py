"""The imports API end to end: upload, configure, preview, dry run, commit, report, rollback."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from rapport.customers.models import Contact
from rapport.imports.models import ImportBatch, ImportMapping

pytestmark = pytest.mark.django_db

CSV = b"Vorname;Nachname;E-Mail\nAda;LOVELACE;ada@EXAMPLE.com\nGrace;;grace@example.com\n"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(client: APIClient, content: bytes = CSV, name: str = "people.csv") -> Any:
    return client.post(
        "/api/v1/imports/",
        {"record_type": "contact", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_the_whole_import_runs_through_the_api(admin_user) -> None:
    client = client_for(admin_user)
    response = upload(client)
    assert response.status_code == 201, response.json()
    batch = response.json()
    assert batch["headers"] == ["Vorname", "Nachname", "E-Mail"]
    assert batch["mapping"] == {"Vorname": "first_name", "Nachname": "last_name", "E-Mail": "email"}
    url = f"/api/v1/imports/{batch['id']}/"

    twice = client.post(
        url + "configure/",
        {"mapping": {"Vorname": "last_name", "Nachname": "last_name", "E-Mail": "email"}},
        format="json",
    )
    assert twice.status_code == 400
    assert "Nachname" in str(twice.json())
    assert "already mapped" in str(twice.json())

    configured = client.post(
        url + "configure/",
        {"mapping": batch["mapping"], "save_as": "Legacy people"},
        format="json",
    )
    assert configured.status_code == 200, configured.json()
    assert ImportMapping.objects.filter(name="Legacy people", record_type="contact").exists()

    preview = client.get(url + "preview/").json()
    assert preview[0]["values"]["last_name"] == "Lovelace"
    assert preview[0]["values"]["email"] == "ada@example.com"
    assert preview[1]["verdict"] == "rejected"
    assert preview[1]["reasons"][0]["field"] == "last_name"

    checked = client.post(url + "dry-run/")
    assert checked.status_code == 202
    assert client.get(url).json()["status"] == "checked"
    assert not Contact.objects.exists()

    committed = client.post(url + "commit/")
    assert committed.status_code == 202
    done = client.get(url).json()
    assert (done["status"], done["accepted"], done["rejected"]) == ("committed", 1, 1)
    assert Contact.objects.get().last_name == "Lovelace"

    report = client.get(url + "report/")
    assert report["Content-Type"] == "text/csv"
    content = b"".join(report.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0][-7:] == ["line", "verdict", "action", "field", "reason", "matched record",
                            "score"]  # fmt: skip
    assert [r[4] for r in rows[1:]] == ["accepted", "rejected"]

    undone = client.post(url + "rollback/")
    assert undone.status_code == 202
    assert client.get(url).json()["status"] == "rolled_back"
    assert not Contact.all_objects.exists()


def test_an_unusable_file_is_refused_and_nothing_is_saved(admin_user) -> None:
    response = upload(client_for(admin_user), content=b"", name="empty.csv")
    assert response.status_code == 400
    assert "empty" in str(response.json()).lower()
    assert not ImportBatch.objects.exists()


def test_a_batch_is_visible_to_its_uploader_and_administrators_only(admin_user, make_user) -> None:
    owner = make_user(role="sales_rep")
    other = make_user(role="sales_rep")
    batch_id = upload(client_for(owner)).json()["id"]
    assert client_for(other).get(f"/api/v1/imports/{batch_id}/").status_code == 404
    assert client_for(other).post(f"/api/v1/imports/{batch_id}/commit/").status_code == 404
    assert ImportBatch.objects.get(pk=batch_id).status == "uploaded"
    assert client_for(admin_user).get(f"/api/v1/imports/{batch_id}/").status_code == 200
    assert [b["id"] for b in client_for(other).get("/api/v1/imports/").json()] == []


def test_people_who_may_not_create_the_type_cannot_upload(make_user) -> None:
    reader = make_user(role="read_only")
    response = upload(client_for(reader))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_saved_mappings_are_created_listed_changed_and_deleted_by_their_owner(
    admin_user, make_user
) -> None:
    rep = make_user(role="sales_rep")
    other = make_user(role="sales_rep")
    client = client_for(rep)
    created = client.post(
        "/api/v1/import-mappings/",
        {"name": "Legacy", "record_type": "contact", "columns": {"Nachname": "last_name"}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/import-mappings/{created.json()['id']}/"
    assert [m["name"] for m in client.get("/api/v1/import-mappings/").json()] == ["Legacy"]
    bad = client.post(
        "/api/v1/import-mappings/",
        {"name": "Bad", "record_type": "contact", "columns": {"X": "no_such_field"}},
        format="json",
    )
    assert bad.status_code == 400
    assert "no_such_field" in str(bad.json())
    changed = client.patch(url, {"columns": {"Name": "last_name"}}, format="json")
    assert changed.status_code == 200
    assert ImportMapping.objects.get(name="Legacy").columns == {"Name": "last_name"}
    assert client_for(other).patch(url, {"columns": {}}, format="json").status_code == 400
    assert client_for(other).delete(url).status_code == 403
    assert ImportMapping.objects.get(name="Legacy").columns == {"Name": "last_name"}
    assert client.delete(url).status_code == 204
    assert not ImportMapping.objects.exists()
