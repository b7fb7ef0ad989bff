"""Every importable type exports under the shared conventions, so its file imports back."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from rapport.access.models import User
from rapport.core import records
from rapport.exports.services import export_columns, export_csv
from rapport.exports.tests.conftest import WHEN, as_dicts

pytestmark = pytest.mark.django_db

IMPORTABLE_TYPES = ("account", "contact", "lead", "opportunity", "activity", "product")


def exported(user: User, record_type: str) -> dict[str, str]:
    model: Any = records.get(record_type).model
    content = b"".join(export_csv(user=user, record_type=record_type, queryset=model.objects.all()))
    [row] = as_dicts(content)
    return row


@pytest.mark.parametrize("record_type", IMPORTABLE_TYPES)
def test_the_id_comes_first_then_unique_capitalised_verbose_names(
    admin_user: User, every_type: dict[str, Any], record_type: str
) -> None:
    headers = [c.header for c in export_columns(record_type, admin_user)]
    assert headers[0] == "ID"
    assert len(headers) == len(set(headers))
    assert all(h[0].isupper() for h in headers)
    assert not {"Updated at", "Deleted at", "Deleted by"} & set(headers)
    row = exported(admin_user, record_type)
    assert list(row) == headers
    assert row["ID"] == str(every_type[record_type].pk)


def test_contact_headers_are_the_fields_in_model_order(admin_user: User) -> None:
    assert [c.header for c in export_columns("contact", admin_user)] == [
        "ID", "Created at", "External id", "Street", "City", "Postal code", "Region", "Country",
        "First name", "Last name", "Account", "Owner", "Job title", "Title level", "Email",
        "Secondary email", "Phone", "Mobile", "Birthdate", "Do not contact",
        "Left the company", "Notes",
    ]  # fmt: skip


def test_account_values(admin_user: User, every_type: dict[str, Any]) -> None:
    row = exported(admin_user, "account")
    assert row["Name"] == "Acme GmbH"
    assert row["Annual revenue"] == "-1234567.50"  # a number: never neutralised
    assert row["Employees"] == "250"
    assert row["Industry"] == every_type["account"].industry.label
    assert row["Country"] == "DE"
    assert row["Owner"] == "admin@example.com"
    assert row["Created at"] == timezone.localtime(WHEN).isoformat()
    assert row["External id"] == "ERP-1"
    assert row["Parent account"] == ""
    assert row["Website"] == ""


def test_contact_values(admin_user: User, every_type: dict[str, Any]) -> None:
    row = exported(admin_user, "contact")
    assert row["Account"] == "Acme GmbH"
    assert row["Birthdate"] == "1815-12-10"
    assert row["Do not contact"] == "yes"
    assert row["Left the company"] == "no"
    assert row["Title level"] == every_type["contact"].title_level.label
    assert row["Phone"] == "'+49 30 1234"  # text a spreadsheet would run: neutralised


def test_lead_values(admin_user: User, every_type: dict[str, Any]) -> None:
    row = exported(admin_user, "lead")
    assert row["Status"] == every_type["lead"].status.label
    assert row["Last touched"] == timezone.localtime(WHEN).isoformat()
    assert row["Company"] == "Navy"


def test_opportunity_values(admin_user: User, every_type: dict[str, Any]) -> None:
    opportunity = every_type["opportunity"]
    row = exported(admin_user, "opportunity")
    assert row["Account"] == "Acme GmbH"
    assert row["Primary contact"] == "Ada Lovelace"
    assert row["Stage"] == opportunity.stage.name
    assert row["Amount"] == "1000.00"
    assert row["Currency"] == opportunity.currency.label
    assert row["Forecast close date"] == "2024-12-31"
    assert row["Probability"] == "10"


def test_activity_values(admin_user: User, every_type: dict[str, Any]) -> None:
    row = exported(admin_user, "activity")
    assert row["Kind"] == "Call"  # a choice by its label
    assert row["Direction"] == "Outbound"
    assert row["When"] == timezone.localtime(WHEN).isoformat()
    assert row["Duration (minutes)"] == "15"
    assert row["Contact"] == "Ada Lovelace"
    assert row["Lead"] == ""


def test_product_values(admin_user: User, every_type: dict[str, Any]) -> None:
    row = exported(admin_user, "product")
    assert row["Code"] == "W-1"
    assert row["Family"] == every_type["product"].family.label
    assert row["Active"] == "yes"


def test_date_times_carry_the_offset_of_the_active_time_zone(
    admin_user: User, every_type: dict[str, Any]
) -> None:
    with timezone.override("Europe/Berlin"):
        row = exported(admin_user, "activity")
    assert row["When"] == "2024-03-05T15:30:15+01:00"
