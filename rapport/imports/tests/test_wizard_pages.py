"""The import wizard's pages, step by step: upload, mapping, preview, dry run, import, undo."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.imports.models import ImportBatch, ImportMapping, ImportRow

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "Vorname;Nachname;E-Mail;Telefon;Lieblingsfarbe\n"
    "ada;LOVELACE;Ada@Example.COM;+44 20 7946 0000;blue\n"
    "Alan;Turing;not-an-email;;green\n"
    "Grace;Hopper;grace@example.com;;red\n"
).encode("cp1252")


@pytest.fixture(autouse=True)
def _immediate_tasks_and_media(settings: Any, tmp_path: Path) -> None:
    """Tasks run at once in the request; uploads go to a temporary directory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, content: bytes = GOOD_CSV, name: str = "people.csv") -> Any:
    return client.post(
        "/imports/new/",
        {"record_type": "contact", "file": SimpleUploadedFile(name, content)},
    )


def uploaded_batch(client: Client, content: bytes = GOOD_CSV) -> ImportBatch:
    response = upload(client, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def mapping_post(batch: ImportBatch, **changes: str) -> dict[str, str]:
    """The mapping form as submitted: the batch's suggested mapping plus the changes."""
    data = {
        "duplicate_mode": "skip",
        "commit_mode": "valid_only",
        "date_order": "day",
        "decimal_mark": "auto",
        "match_on": "",
        "save_as": "",
        "unresolved": "reject",
    }
    for index, header in enumerate(batch.headers):
        data[f"column_{index}"] = batch.mapping.get(header, "")
    data.update(changes)
    return data


def configured_batch(client: Client) -> ImportBatch:
    batch = uploaded_batch(client)
    response = client.post(f"/imports/{batch.pk}/mapping/", mapping_post(batch))
    assert response.status_code == 302, response.content.decode()[:3000]
    batch.refresh_from_db()
    return batch


def checked_batch(client: Client) -> ImportBatch:
    batch = configured_batch(client)
    response = client.post(f"/imports/{batch.pk}/dry-run/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED, batch.error
    return batch


# The list ----------------------------------------------------------------------------------------


def test_the_list_says_what_to_do_when_there_are_no_imports(rep: User) -> None:
    html = signed_in(rep).get("/imports/").content.decode()
    assert "No imports yet" in html
    assert 'href="/imports/new/"' in html


def test_the_list_shows_my_imports_with_status_counts_and_actions(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    html = client.get("/imports/").content.decode()
    assert "people.csv" in html
    assert "Dry run done" in html
    assert f'href="/imports/{batch.pk}/report.csv"' in html
    assert f'href="/imports/{batch.pk}/"' in html  # continue


def test_the_list_shows_a_rep_only_their_own_imports_and_an_admin_all(
    rep: User, admin_user: User, make_user: Any
) -> None:
    other = make_user(role="sales_rep")
    uploaded_batch(signed_in(other))
    assert "people.csv" not in signed_in(rep).get("/imports/").content.decode()
    html = signed_in(admin_user).get("/imports/").content.decode()
    assert "people.csv" in html
    assert other.get_full_name() in html  # admins see who imported


def test_the_navigation_links_to_imports(rep: User) -> None:
    assert 'href="/imports/"' in signed_in(rep).get("/").content.decode()


# Upload ------------------------------------------------------------------------------------------


def test_the_upload_offers_only_the_record_types_the_role_may_create(rep: User) -> None:
    html = signed_in(rep).get("/imports/new/").content.decode()
    assert '<option value="contact"' in html
    assert '<option value="account"' in html
    assert 'accept=".csv' in html
    assert "Saved mapping" not in html  # none saved yet


def test_a_role_that_creates_nothing_may_not_upload(make_user: Any) -> None:
    executive = make_user(role="executive")
    client = signed_in(executive)
    assert client.get("/imports/new/").status_code == 403
    assert upload(client).status_code == 403
    assert not ImportBatch.objects.exists()


def test_an_upload_reads_the_headers_and_goes_on_to_the_mapping(rep: User) -> None:
    client = signed_in(rep)
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/{batch.pk}/mapping/"
    assert batch.headers == ["Vorname", "Nachname", "E-Mail", "Telefon", "Lieblingsfarbe"]
    assert batch.created_by == rep


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"First name;Last name\n", "header.csv", "The file has a header row but no data rows."),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "photo.csv", "PNG"),
    ],
    ids=["empty", "header-only", "binary"],
)
def test_an_unusable_file_is_refused_on_the_form_and_nothing_is_saved(
    rep: User, content: bytes, name: str, message: str
) -> None:
    response = upload(signed_in(rep), content, name)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="field-error"' in html
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused_naming_both_sizes(rep: User, settings: Any) -> None:
    settings.RAPPORT_IMPORT_MAX_BYTES = 100
    response = upload(signed_in(rep), GOOD_CSV)
    html = response.content.decode()
    assert f"The file is {len(GOOD_CSV)} bytes; files up to 100 bytes can be imported." in html
    assert not ImportBatch.objects.exists()


def test_a_saved_mapping_for_another_record_type_is_refused(rep: User) -> None:
    saved = ImportMapping.objects.create(
        name="Legacy accounts", record_type="account", columns={"Name": "name"}, owner=rep
    )
    response = signed_in(rep).post(
        "/imports/new/",
        {
            "record_type": "contact",
            "file": SimpleUploadedFile("people.csv", GOOD_CSV),
            "saved_mapping": saved.pk,
        },
    )
    assert response.status_code == 200
    assert "maps account files" in response.content.decode()
    assert not ImportBatch.objects.exists()


# Mapping -----------------------------------------------------------------------------------------


def test_the_mapping_shows_each_header_with_samples_and_the_suggested_field(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    response = client.get(f"/imports/{batch.pk}/mapping/")
    assert response.status_code == 200
    html = response.content.decode()
    for header in batch.headers:
        assert header in html
    assert "Ada@Example.COM" in html  # a sample value, as in the file
    assert batch.mapping["E-Mail"] == "email"
    assert '<option value="email" selected>' in html
    assert "Don&#x27;t import" in html or "Don't import" in html
    assert "semicolon" in html  # the detected delimiter
    assert "Keep created dates" not in html  # historical values: administrators only


def test_an_administrator_may_keep_historical_values(admin_user: User) -> None:
    client = signed_in(admin_user)
    batch = uploaded_batch(client)
    assert (
        "Keep created dates and owners from the file"
        in client.get(f"/imports/{batch.pk}/mapping/").content.decode()
    )


def test_historical_values_need_the_explicit_tick(admin_user: User) -> None:
    client = signed_in(admin_user)
    batch = uploaded_batch(client)
    colour = batch.headers.index("Lieblingsfarbe")
    post = mapping_post(batch, **{f"column_{colour}": "created_at"})
    response = client.post(f"/imports/{batch.pk}/mapping/", post)
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(">Lieblingsfarbe<") :]
    assert (
        "kept only when “Keep created dates and owners from the file” is ticked"
        in (row[: row.index("</tr>")])
    )
    batch.refresh_from_db()
    assert "created_at" not in batch.mapping.values()

    response = client.post(f"/imports/{batch.pk}/mapping/", {**post, "keep_history": "on"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping["Lieblingsfarbe"] == "created_at"
    assert batch.options["keep_history"] is True


def test_an_unmapped_required_field_is_named_and_nothing_changes(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    suggested = dict(batch.mapping)
    last_name = batch.headers.index("Nachname")
    response = client.post(
        f"/imports/{batch.pk}/mapping/", mapping_post(batch, **{f"column_{last_name}": ""})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Last name" in html
    assert 'class="badge badge-red" data-required-field="last_name">Last name' in html
    assert "field-error" in html or "form-errors" in html
    batch.refresh_from_db()
    assert batch.mapping == suggested
    assert batch.status == ImportBatch.Status.UPLOADED


def test_a_field_mapped_twice_is_shown_next_to_the_columns(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    colour = batch.headers.index("Lieblingsfarbe")
    response = client.post(
        f"/imports/{batch.pk}/mapping/", mapping_post(batch, **{f"column_{colour}": "email"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(">Lieblingsfarbe<") :]
    row = row[: row.index("</tr>")]
    assert "field-error" in row


def test_a_valid_mapping_is_saved_with_its_options_and_as_a_template(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    response = client.post(
        f"/imports/{batch.pk}/mapping/",
        mapping_post(
            batch,
            date_order="month",
            decimal_mark=",",
            duplicate_mode="update",
            match_on="email",
            commit_mode="all_or_nothing",
            save_as="Legacy contacts",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{batch.pk}/preview/"
    batch.refresh_from_db()
    assert batch.mapping["Vorname"] == "first_name"
    assert batch.options["day_first"] is False
    assert batch.options["decimal_mark"] == ","
    assert batch.options["match_on"] == "email"
    assert batch.duplicate_mode == "update"
    assert batch.commit_mode == "all_or_nothing"
    saved = ImportMapping.objects.get(name="Legacy contacts")
    assert saved.columns["E-Mail"] == "email"


def test_a_saved_mapping_preselects_its_fields(rep: User) -> None:
    client = signed_in(rep)
    saved = ImportMapping.objects.create(
        name="Colours", record_type="contact", columns={"Lieblingsfarbe": "description"}, owner=rep
    )
    response = client.post(
        "/imports/new/",
        {
            "record_type": "contact",
            "file": SimpleUploadedFile("people.csv", GOOD_CSV),
            "saved_mapping": saved.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?saved={saved.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "applied the saved mapping “Colours”" in html
    row = html[html.index(">Lieblingsfarbe<") :]
    assert '<option value="description" selected>' in row[: row.index("</tr>")]


# Preview -----------------------------------------------------------------------------------------


def test_the_preview_shows_values_as_stored_with_the_original_beside_and_verdicts(
    rep: User,
) -> None:
    client = signed_in(rep)
    batch = configured_batch(client)
    response = client.get(f"/imports/{batch.pk}/preview/")
    assert response.status_code == 200
    html = response.content.decode()
    ada = html[html.index('<td class="num muted">2</td>') :]
    ada = ada[: ada.index("</tr>")]
    # Normalised as stored, the file's value beside it.
    assert '<span class="import-value">Lovelace</span>' in ada
    assert "In the file: </span>LOVELACE</span>" in ada
    assert '<span class="import-value">Ada@example.com</span>' in ada
    assert "In the file: </span>Ada@Example.COM</span>" in ada
    assert "is-changed" in ada
    assert "Rejected" in html
    assert "Run dry run" in html
    assert not Contact.objects.exists()


# Dry run, batch page, report ---------------------------------------------------------------------


def test_the_dry_run_shows_counts_that_add_up_and_the_rejected_rows(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    assert (batch.accepted, batch.rejected, batch.duplicates) == (2, 1, 0)
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "rows read" in html
    counts = html[html.index('aria-label="Dry run counts"') :]
    counts = counts[: counts.index("</section>")]
    assert ">3<" in counts
    assert ">2<" in counts
    assert ">1<" in counts
    assert ">0<" in counts
    rejected = ImportRow.objects.get(batch=batch, verdict="rejected")
    assert f'<td class="num">{rejected.line}</td>' in html
    assert "not-an-email" in html or "e-mail" in html.lower()
    assert "Import 2 rows" in html
    assert "Download report (CSV)" in html
    settings = html[html.index("Mapping and options") :]
    settings = settings[: settings.index("</details>")]
    assert "<dt>Vorname</dt><dd>→ First name</dd>" in settings
    assert "Lieblingsfarbe" in settings  # not imported
    assert "Skip the row and report it" in settings
    assert not Contact.objects.exists()


def test_the_report_rows_filter_by_verdict_as_a_fragment(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    response = client.get(f"/imports/{batch.pk}/?verdict=duplicate", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report-rows">')
    assert "None: every row of this kind was accepted." in html
    rejected = client.get(f"/imports/{batch.pk}/?verdict=rejected", HTTP_HX_REQUEST="true")
    assert "Rejected</span>" in rejected.content.decode()


def test_a_duplicate_links_the_matched_record_with_its_score(rep: User) -> None:
    existing: Contact = crud.record_create(
        record_type="contact",
        acting_user=rep,
        values={"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"},
    )
    client = signed_in(rep)
    batch = checked_batch(client)
    assert batch.duplicates == 1
    html = client.get(f"/imports/{batch.pk}/?verdict=duplicate").content.decode()
    assert f'href="/contacts/{existing.pk}/"' in html
    assert "%</td>" in html


def test_the_report_downloads_as_csv_with_the_original_row_and_verdict(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    response = client.get(f"/imports/{batch.pk}/report.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="import-{batch.pk}-report.csv"'
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == batch.headers
    assert any("not-an-email" in row and "rejected" in row for row in rows[1:])


def test_the_status_endpoint_waits_while_running_and_reloads_when_done(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKING)
    waiting = client.get(f"/imports/{batch.pk}/status/?status=checking")
    assert waiting.status_code == 204
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKED)
    done = client.get(f"/imports/{batch.pk}/status/?status=checking")
    assert done["HX-Refresh"] == "true"


def test_a_running_batch_shows_the_progress_poller_and_cancel(rep: User) -> None:
    client = signed_in(rep)
    batch = uploaded_batch(client)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert f'hx-get="/imports/{batch.pk}/status/?status=committing"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'action="/imports/{batch.pk}/cancel/"' in html
    assert "<script" not in html.split("</head>")[1]  # CSP: no inline scripts in the body


# Commit and undo ---------------------------------------------------------------------------------


def test_import_then_undo_removes_the_created_records(rep: User) -> None:
    client = signed_in(rep)
    batch = checked_batch(client)
    response = client.post(f"/imports/{batch.pk}/commit/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED, batch.error
    assert Contact.objects.count() == 2
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Undo this import" in html
    assert 'href="/contacts/"' in html

    confirm = client.get(f"/imports/{batch.pk}/undo/").content.decode()
    assert "2 contacts created by this import will be removed" in confirm
    ada = Contact.objects.get(last_name__iexact="lovelace")
    assert f'href="/contacts/{ada.pk}/"' in confirm

    response = client.post(f"/imports/{batch.pk}/undo/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    assert not Contact.objects.exists()
    assert "Undone on" in client.get(f"/imports/{batch.pk}/").content.decode()


# Permissions -------------------------------------------------------------------------------------


def test_another_person_gets_a_404_everywhere_and_nothing_changes(
    rep: User, make_user: Any
) -> None:
    batch = checked_batch(signed_in(rep))
    intruder = signed_in(make_user(role="sales_rep"))
    for url in ("", "mapping/", "preview/", "report.csv", "undo/", "status/"):
        assert intruder.get(f"/imports/{batch.pk}/{url}").status_code == 404, url
    for url in ("mapping/", "dry-run/", "commit/", "cancel/", "undo/"):
        assert intruder.post(f"/imports/{batch.pk}/{url}").status_code == 404, url
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert not batch.cancel_requested
    assert not Contact.objects.exists()


def test_an_administrator_sees_anyones_batch(rep: User, admin_user: User) -> None:
    batch = checked_batch(signed_in(rep))
    assert signed_in(admin_user).get(f"/imports/{batch.pk}/").status_code == 200


def test_pages_need_a_sign_in(rep: User) -> None:
    response = Client().get("/imports/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_posts_need_the_csrf_token(rep: User) -> None:
    batch = checked_batch(signed_in(rep))
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(f"/imports/{batch.pk}/commit/").status_code == 403
    assert client.post("/imports/new/").status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert not Contact.objects.exists()
