"""Records of every importable type, with a value of every kind, for the export tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from rapport.access.models import User
from rapport.activities.models import Activity
from rapport.core.models import PicklistValue
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity, Product, Stage

WHEN = dt.datetime(2024, 3, 5, 14, 30, 15, tzinfo=dt.UTC)


def picklist_value(key: str) -> PicklistValue:
    """The first value of a seeded picklist."""
    return PicklistValue.objects.filter(picklist__key=key).order_by("sort_order", "id").first()  # type: ignore[return-value]


def read_csv(content: bytes) -> list[list[str]]:
    """A CSV export's rows (header first), after checking it starts with a UTF-8 BOM."""
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def as_dicts(content: bytes) -> list[dict[str, str]]:
    header, *rows = read_csv(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def every_type(admin_user: User) -> dict[str, Any]:
    """One record of each importable type, filled in, linked to each other."""
    account = Account.objects.create(
        name="Acme GmbH",
        owner=admin_user,
        industry=picklist_value("industry"),
        employees=250,
        annual_revenue=Decimal("-1234567.50"),
        country="DE",
        city="Berlin",
        external_id="ERP-1",
    )
    Account.objects.filter(pk=account.pk).update(created_at=WHEN)
    contact = Contact.objects.create(
        first_name="Ada",
        last_name="Lovelace",
        account=account,
        owner=admin_user,
        title_level=picklist_value("title_level"),
        email="ada@acme.example",
        birthdate=dt.date(1815, 12, 10),
        do_not_contact=True,
        phone="+49 30 1234",
    )
    lead = Lead.objects.create(
        first_name="Grace",
        last_name="Hopper",
        company="Navy",
        status=picklist_value("lead_status"),
        owner=admin_user,
        last_touched_at=WHEN,
    )
    opportunity = Opportunity.objects.create(
        name="Big deal",
        account=account,
        contact=contact,
        owner=admin_user,
        stage=Stage.objects.order_by("sort_order")[0],
        currency=picklist_value("currency"),
        amount=Decimal("1000.00"),
        probability=10,
        forecast_close_date=dt.date(2024, 12, 31),
    )
    activity = Activity.objects.create(
        kind=Activity.Kind.CALL,
        subject="Intro call",
        owner=admin_user,
        occurred_at=WHEN,
        contact=contact,
        account=account,
        duration_minutes=15,
        direction=Activity.Direction.OUTBOUND,
    )
    product = Product.objects.create(
        name="Widget", code="W-1", family=picklist_value("product_family")
    )
    return {
        "account": account,
        "contact": contact,
        "lead": lead,
        "opportunity": opportunity,
        "activity": activity,
        "product": product,
        "now": timezone.now(),
    }
