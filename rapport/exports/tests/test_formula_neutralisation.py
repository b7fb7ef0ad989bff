"""Exported text a spreadsheet would run is neutralised in CSV and XLSX; raw is for admins only."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]
from rest_framework.test import APIClient

from rapport.access.models import User
from rapport.customers.models import Account
from rapport.exports.neutralise import TRIGGERS
from rapport.exports.services import export_csv, export_xlsx
from rapport.exports.tests.conftest import as_dicts

pytestmark = pytest.mark.django_db


def accounts(owner: User) -> dict[str, Account]:
    """An account per dangerous character, its name beginning with it, revenue negative."""
    return {
        first: Account.objects.create(
            name=f'{first}HYPERLINK("http://evil.example")',
            owner=owner,
            annual_revenue=Decimal("-10.00"),
        )
        for first in TRIGGERS
    }


def csv_names(content: bytes) -> dict[str, dict[str, str]]:
    return {row["ID"]: row for row in as_dicts(content)}


@pytest.mark.parametrize("first", TRIGGERS)
def test_csv_prefixes_a_quote_but_leaves_numbers_alone(admin_user: User, first: str) -> None:
    account = accounts(admin_user)[first]
    rows = csv_names(
        b"".join(export_csv(user=admin_user, record_type="account", queryset=Account.objects.all()))
    )
    row = rows[str(account.pk)]
    assert row["Name"] == f"'{account.name}"
    assert row["Annual revenue"] == "-10.00"


@pytest.mark.parametrize("first", TRIGGERS)
def test_xlsx_prefixes_a_quote_and_writes_text_never_a_formula(
    admin_user: User, first: str
) -> None:
    account = accounts(admin_user)[first]
    handle = io.BytesIO()
    export_xlsx(user=admin_user, record_type="account", queryset=Account.objects.all(), path=handle)
    sheet = load_workbook(handle).active
    header = [cell.value for cell in sheet[1]]
    found = {
        row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)
    }
    cells: dict[str, Any] = found[account.pk]
    # XML reads a carriage return back as a line feed; the quote in front is what matters.
    assert cells["Name"].value == f"'{account.name}".replace("\r", "\n")
    assert cells["Name"].data_type == "s"
    assert cells["Annual revenue"].value == -10
    assert cells["Annual revenue"].data_type == "n"


def test_raw_csv_writes_values_untouched_for_an_administrator(admin_user: User) -> None:
    made = accounts(admin_user)
    rows = csv_names(
        b"".join(
            export_csv(
                user=admin_user, record_type="account", queryset=Account.objects.all(), raw=True
            )
        )
    )
    for account in made.values():
        assert rows[str(account.pk)]["Name"] == account.name


def test_raw_xlsx_keeps_formula_text_as_text(admin_user: User) -> None:
    account = accounts(admin_user)["="]
    handle = io.BytesIO()
    export_xlsx(
        user=admin_user,
        record_type="account",
        queryset=Account.objects.filter(pk=account.pk),
        path=handle,
        raw=True,
    )
    sheet = load_workbook(handle).active
    cell = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Name") + 1)
    assert cell.value == account.name
    assert cell.data_type == "s"


def test_raw_is_refused_to_anyone_else_everywhere(rep: User, client: Client) -> None:
    Account.objects.create(name="=1+1", owner=rep)
    with pytest.raises(PermissionDenied, match="Only administrators may export raw values"):
        export_csv(user=rep, record_type="account", queryset=Account.objects.all(), raw=True)
    client.force_login(rep)
    page = client.get("/accounts/?export=raw")
    assert page.status_code == 403
    assert "Only administrators may export raw values" in page.content.decode()
    api = APIClient()
    api.force_authenticate(rep)
    answer = api.get("/api/v1/accounts/export/?format=csv&raw=true")
    assert answer.status_code == 403
    assert "Only administrators may export raw values" in answer.json()["error"]["message"]


def test_an_administrator_gets_raw_values_from_the_page_and_the_api(
    admin_user: User, client: Client
) -> None:
    Account.objects.create(name="=1+1", owner=admin_user)
    client.force_login(admin_user)
    page = client.get("/accounts/?export=raw")
    assert as_dicts(b"".join(page.streaming_content))[0]["Name"] == "=1+1"  # type: ignore[attr-defined]
    api = APIClient()
    api.force_authenticate(admin_user)
    answer = api.get("/api/v1/accounts/export/?format=csv&raw=true")
    assert as_dicts(b"".join(answer.streaming_content))[0]["Name"] == "=1+1"  # type: ignore[attr-defined]
    neutralised = api.get("/api/v1/accounts/export/?format=csv")
    assert as_dicts(b"".join(neutralised.streaming_content))[0]["Name"] == "'=1+1"  # type: ignore[attr-defined]
