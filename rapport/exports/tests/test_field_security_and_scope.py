"""A hidden field never leaves in an export (page, API, command line); a rep exports only what
their list shows them."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from rapport.access import permissions
from rapport.access.models import Role, Team, User
from rapport.customers.models import Contact
from rapport.exports.tests.conftest import as_dicts, read_csv

pytestmark = pytest.mark.django_db

SECRET = "secret@hidden.example"


@pytest.fixture
def hidden_email(db: None) -> None:
    permissions.field_permission_set(
        acting_user=None,
        role=Role.objects.get(key="sales_rep"),
        record_type="contact",
        field_name="email",
        access=permissions.HIDDEN,
    )


@pytest.fixture
def seller(make_user: Callable[..., User], team: Team) -> User:
    return make_user(role="sales_rep", team=team, email="seller@example.com")


def test_the_page_export_leaves_the_hidden_field_out(
    hidden_email: None, seller: User, client: Client
) -> None:
    Contact.objects.create(last_name="Lovelace", email=SECRET, owner=seller)
    client.force_login(seller)
    for export in ("csv", "xlsx"):
        response = client.get(f"/contacts/?export={export}")
        assert response.status_code == 200
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if export == "csv":
            assert "Email" not in read_csv(content)[0]
            assert SECRET.encode() not in content
        else:
            from openpyxl import load_workbook  # type: ignore[import-untyped]

            sheet = load_workbook(io.BytesIO(content)).active
            values = [cell.value for row in sheet.iter_rows() for cell in row]
            assert "Email" not in values
            assert SECRET not in values
            assert "Lovelace" in values


def test_the_api_export_leaves_the_hidden_field_out(hidden_email: None, seller: User) -> None:
    Contact.objects.create(last_name="Lovelace", email=SECRET, owner=seller)
    api = APIClient()
    api.force_authenticate(seller)
    response = api.get("/api/v1/contacts/export/?format=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert "Email" not in read_csv(content)[0]
    assert SECRET.encode() not in content
    # Filtering by the hidden field would tell its values: refused, naming it.
    refused = api.get(f"/api/v1/contacts/export/?format=csv&email={SECRET}")
    assert refused.status_code == 400
    assert "email" in refused.json()["error"]["fields"]


def test_the_command_line_export_as_a_person_leaves_the_hidden_field_out(
    hidden_email: None, seller: User, tmp_path: object
) -> None:
    Contact.objects.create(last_name="Lovelace", email=SECRET, owner=seller)
    output = f"{tmp_path}/contacts.csv"
    call_command("export", "--type", "contact", "--output", output, "--user", seller.email,
                 stdout=io.StringIO())  # fmt: skip
    with open(output, "rb") as handle:
        content = handle.read()
    assert "Email" not in read_csv(content)[0]
    assert SECRET.encode() not in content


def test_an_administrator_still_exports_the_field(hidden_email: None, admin_user: User) -> None:
    Contact.objects.create(last_name="Lovelace", email=SECRET, owner=admin_user)
    api = APIClient()
    api.force_authenticate(admin_user)
    content = b"".join(api.get("/api/v1/contacts/export/").streaming_content)  # type: ignore[attr-defined]
    assert as_dicts(content)[0]["Email"] == SECRET


def test_a_rep_exports_only_the_records_they_may_see(
    seller: User, make_user: Callable[..., User], team: Team, client: Client
) -> None:
    colleague = make_user(role="sales_rep", team=team)
    stranger = make_user(role="sales_rep")
    Contact.objects.create(last_name="Mine", owner=seller)
    Contact.objects.create(last_name="Colleague", owner=colleague)
    Contact.objects.create(last_name="Stranger", owner=stranger)
    client.force_login(seller)
    page_rows = as_dicts(b"".join(client.get("/contacts/?export=csv").streaming_content))  # type: ignore[attr-defined]
    assert sorted(r["Last name"] for r in page_rows) == ["Colleague", "Mine"]
    api = APIClient()
    api.force_authenticate(seller)
    api_rows = as_dicts(b"".join(api.get("/api/v1/contacts/export/").streaming_content))  # type: ignore[attr-defined]
    assert sorted(r["Last name"] for r in api_rows) == ["Colleague", "Mine"]


def test_a_role_without_read_permission_gets_no_export(
    make_user: Callable[..., User], client: Client
) -> None:
    person = make_user(role="sales_rep")
    permissions.permission_set(
        acting_user=None,
        role=Role.objects.get(key="sales_rep"),
        record_type="contact",
        can_create=False,
        can_read=False,
        can_edit=False,
        can_delete=False,
        scope=permissions.SCOPE_OWN,
    )
    permissions.forget(person)
    Contact.objects.create(last_name="Nobody", owner=person)
    client.force_login(person)
    assert client.get("/contacts/?export=csv").status_code == 403
    api = APIClient()
    api.force_authenticate(person)
    assert api.get("/api/v1/contacts/export/").status_code == 403
