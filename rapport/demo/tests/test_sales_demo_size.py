"""`rapport demo` builds thousands of each sales record; DEMO_SALES_SCALE makes it smaller."""

from __future__ import annotations

import time_machine
from django.db import transaction
from django.test import override_settings

from rapport.activities.models import Activity
from rapport.customers.models import Account, Contact
from rapport.demo.builder import demo_build
from rapport.leads.models import Lead
from rapport.pipeline.models import LineItem, Opportunity, OpportunityStep, Order

FROZEN = "2026-06-15 12:00:00+00:00"


def _counts() -> dict[str, int]:
    counts = {
        "accounts": Account.objects.count(),
        "contacts": Contact.objects.count(),
        "leads": Lead.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "line items": LineItem.objects.count(),
        "steps": OpportunityStep.objects.count(),
        "orders": Order.objects.count(),
    }
    for kind in Activity.Kind.values:
        counts[f"{kind}s"] = Activity.objects.filter(kind=kind).count()
    return counts


def _build(scale: float) -> dict[str, int]:
    with (
        time_machine.travel(FROZEN, tick=False),
        override_settings(DEMO_SALES_SCALE=scale),
        transaction.atomic(),
    ):
        demo_build()
        counts = _counts()
        transaction.set_rollback(True)
    return counts


def test_the_full_demo_has_thousands_of_each_sales_record(db):
    # The default scale (the settings may make tests build a smaller demo).
    counts = _build(1.0)

    assert counts["accounts"] >= 3000
    assert counts["contacts"] >= 6000
    assert counts["leads"] >= 5000
    assert counts["opportunities"] >= 2000
    assert counts["line items"] >= 3000
    assert counts["steps"] >= 5000
    assert counts["orders"] >= 300
    for kind in ("calls", "emails", "meetings", "tasks", "notes"):
        assert counts[kind] >= 1000, kind


def test_the_scale_setting_builds_a_smaller_demo(db):
    counts = _build(0.1)

    assert 250 <= counts["accounts"] <= 350
    assert 200 <= counts["opportunities"] <= 260
    assert counts["leads"] < 1000
