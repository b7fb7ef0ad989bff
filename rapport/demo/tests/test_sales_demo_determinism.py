"""The sales demo is the same for the same seed (and another for another seed)."""

from __future__ import annotations

import time_machine
from django.db import transaction
from django.test import override_settings

from rapport.activities.models import Activity
from rapport.customers.models import Account, Contact
from rapport.demo.builder import demo_build
from rapport.leads.models import Lead, LeadStatusChange, QualificationAnswer
from rapport.pipeline.models import LineItem, Opportunity, OpportunityStep, Order, StageChange

FROZEN = "2026-03-10 09:30:00+00:00"
MODELS = (
    Account,
    Contact,
    Lead,
    LeadStatusChange,
    QualificationAnswer,
    Opportunity,
    StageChange,
    OpportunityStep,
    LineItem,
    Order,
    Activity,
)
FIRST = {
    Account: ("name", "parent__name", "owner__email", "industry__key", "created_at"),
    Contact: ("first_name", "last_name", "account__name", "title_level__key", "email"),
    Lead: ("first_name", "last_name", "company", "status__key", "last_touched_at", "owner__email"),
    Opportunity: ("name", "stage__key", "amount", "forecast_close_date", "owner__email"),
    Activity: ("kind", "subject", "occurred_at", "owner__email", "call_outcome__key"),
    Order: ("number", "total_amount", "status__key", "order_date"),
}


def _digest():
    counts = tuple(model._default_manager.count() for model in MODELS)
    first = tuple(
        tuple(model._default_manager.order_by("pk").values_list(*fields)[:25])
        for model, fields in FIRST.items()
    )
    return counts, first


def _build_and_roll_back(seed: int):
    with (
        time_machine.travel(FROZEN, tick=False),
        override_settings(DEMO_SALES_SCALE=0.05),
        transaction.atomic(),
    ):
        demo_build(seed=seed)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_builds_the_same_sales_records(db):
    first = _build_and_roll_back(11)
    second = _build_and_roll_back(11)

    assert first == second
    counts, _ = first
    assert all(counts), "every record type has rows"


def test_another_seed_builds_other_sales_records(db):
    assert _build_and_roll_back(11)[1] != _build_and_roll_back(12)[1]
