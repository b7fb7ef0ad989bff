"""The Export menu of a list exports the rows the list shows: filters, search, sort, saved view;
CSV streams with a constant number of queries; big XLSX exports run in the background."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from rapport.access.models import User
from rapport.core.models import SavedView
from rapport.customers.models import Account, Contact
from rapport.exports import services
from rapport.exports.tests.conftest import as_dicts

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, admin_user: User) -> Client:
    client.force_login(admin_user)
    return client


def people(owner: User) -> None:
    for last, city, dnc in (
        ("Adams", "Berlin", True),
        ("Baker", "Paris", False),
        ("Clark", "Berlin", True),
        ("Davis", "Berlin", False),
    ):
        Contact.objects.create(last_name=last, city=city, do_not_contact=dnc, owner=owner)


def names(response: Any) -> list[str]:
    return [row["Last name"] for row in as_dicts(b"".join(response.streaming_content))]


def test_the_list_shows_an_export_menu_carrying_its_filters(
    signed_in: Client, admin_user: User
) -> None:
    people(admin_user)
    page = signed_in.get("/contacts/?do_not_contact=true&sort=-name").content.decode()
    assert "?do_not_contact=true&amp;sort=-name&amp;export=csv" in page
    assert "export=xlsx" in page
    assert "export=raw" in page  # administrators only


def test_a_rep_is_not_offered_raw(client: Client, rep: User) -> None:
    Contact.objects.create(last_name="Adams", owner=rep)
    client.force_login(rep)
    page = client.get("/contacts/").content.decode()
    assert "export=csv" in page
    assert "export=raw" not in page


def test_filters_and_sort_are_those_of_the_list(signed_in: Client, admin_user: User) -> None:
    people(admin_user)
    response = signed_in.get("/contacts/?do_not_contact=true&sort=-name&export=csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    assert names(response) == ["Clark", "Adams"]
    assert names(signed_in.get("/contacts/?export=csv")) == ["Adams", "Baker", "Clark", "Davis"]


def test_a_saved_view_exports_its_rows(signed_in: Client, admin_user: User) -> None:
    people(admin_user)
    view = SavedView.objects.create(
        owner=admin_user, record_type="contact", name="DNC", query="do_not_contact=false"
    )
    response = signed_in.get(f"/contacts/?view={view.pk}&export=csv")
    assert names(response) == ["Baker", "Davis"]


def test_an_unknown_format_is_refused(signed_in: Client) -> None:
    response = signed_in.get("/contacts/?export=pdf")
    assert response.status_code == 400
    assert b"Export as csv, xlsx or raw" in response.content


def test_csv_export_runs_the_same_queries_for_3_or_300_rows(
    signed_in: Client, admin_user: User
) -> None:
    account = Account.objects.create(name="Acme", owner=admin_user)

    def add(count: int, prefix: str) -> None:
        Contact.objects.bulk_create(
            Contact(last_name=f"{prefix}{i}", account=account, owner=admin_user)
            for i in range(count)
        )

    add(3, "A")
    signed_in.get("/contacts/")  # the first request of a session reads more (session, rules)
    with CaptureQueriesContext(connection) as few:
        assert len(names(signed_in.get("/contacts/?export=csv"))) == 3
    add(297, "B")
    with CaptureQueriesContext(connection) as many:
        assert len(names(signed_in.get("/contacts/?export=csv"))) == 300
    assert len(many) == len(few)


def test_the_service_reads_in_chunks_in_constant_queries(
    admin_user: User, django_assert_num_queries: Any
) -> None:
    account = Account.objects.create(name="Acme", owner=admin_user)
    Contact.objects.bulk_create(
        Contact(last_name=f"P{i}", account=account, owner=admin_user) for i in range(50)
    )
    # Picklist labels and people's logins, then the rows (accounts joined, not one query a row).
    with django_assert_num_queries(3):
        chunks: Iterator[bytes] = services.export_csv(
            user=None, record_type="contact", queryset=Contact.objects.all()
        )
        content = b"".join(chunks)
    assert len(as_dicts(content)) == 50


def test_xlsx_cells_are_typed(signed_in: Client, admin_user: User) -> None:
    import datetime as dt
    from decimal import Decimal

    account = Account.objects.create(
        name="Acme", owner=admin_user, employees=12, annual_revenue=Decimal("-99.50")
    )
    Contact.objects.create(
        last_name="Lovelace", account=account, owner=admin_user, birthdate=dt.date(1985, 12, 10)
    )
    response = signed_in.get("/accounts/?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["ID"].value == account.pk
    assert row["ID"].data_type == "n"
    assert row["Employees"].value == 12
    assert row["Annual revenue"].value == -99.5
    assert row["Annual revenue"].data_type == "n"
    assert row["Name"].value == "Acme"
    contacts = signed_in.get("/contacts/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(contacts.streaming_content))).active  # type: ignore[attr-defined]
    header = [cell.value for cell in sheet[1]]
    birthdate = sheet[2][header.index("Birthdate")]
    assert birthdate.is_date
    assert birthdate.value.date() == dt.date(1985, 12, 10)
    # Before Excel's calendar (1900) a date can only be text: ISO, as in CSV.
    Contact.objects.update(birthdate=dt.date(1815, 12, 10))
    old = signed_in.get("/contacts/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(old.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet[2][header.index("Birthdate")].value == "1815-12-10"


def test_a_big_xlsx_export_runs_in_the_background_then_downloads(
    signed_in: Client, admin_user: User, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("rapport.exports.web.views.XLSX_INLINE_MAX_ROWS", 1)
    people(admin_user)
    response = signed_in.get("/contacts/?city=Berlin&do_not_contact=false&export=xlsx")
    assert response.status_code == 302
    status = signed_in.get(response["Location"])
    page = status.content.decode()
    assert "Finished" in page
    assert "Download contacts-" in page
    polled = signed_in.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert polled.lstrip().startswith('<section id="export-status"')
    assert "hx-get" not in polled  # finished: the page stops polling
    task_id = response["Location"].rstrip("/").split("/")[-1]
    download = signed_in.get(f"/exports/{task_id}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active  # type: ignore[attr-defined]
    header = [cell.value for cell in sheet[1]]
    assert [row[header.index("Last name")].value for row in sheet.iter_rows(min_row=2)] == [
        "Baker",
        "Davis",
    ]  # the filter on do_not_contact applies (the city is not a list filter: ignored)


def test_only_whoever_started_an_export_may_download_it(
    signed_in: Client, admin_user: User, rep: User, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("rapport.exports.web.views.XLSX_INLINE_MAX_ROWS", 0)
    Contact.objects.create(last_name="Adams", owner=admin_user)
    location = signed_in.get("/contacts/?export=xlsx")["Location"]
    other = Client()
    other.force_login(rep)
    assert other.get(location).status_code == 404
    assert other.get(f"{location}download/").status_code == 404


def test_files_older_than_a_day_are_purged(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    old = tmp_path / "exports" / "old-task"
    new = tmp_path / "exports" / "new-task"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "contacts.xlsx").write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    assert services.exports_purge() == 1
    assert not old.exists()
    assert new.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/",
        "/contacts/",
        "/leads/",
        "/opportunities/",
        "/activities/",
        "/products/",
        "/price-lists/",
        "/orders/",
    ],
)
def test_every_record_list_exports_csv_and_xlsx(
    signed_in: Client, every_type: dict[str, Any], path: str
) -> None:
    response = signed_in.get(f"{path}?export=csv")
    assert response.status_code == 200
    rows = as_dicts(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert all(row["ID"].isdigit() for row in rows)
    workbook = signed_in.get(f"{path}?export=xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet["A1"].value == "ID"
