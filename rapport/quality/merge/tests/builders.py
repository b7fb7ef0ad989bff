"""A small world for merge tests: two or three look-alike records with related rows."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

from rapport.activities.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_lead,
    make_opportunity,
    picklist_value,
)
from rapport.leads.models import LeadStatusChange, QualificationAnswer, QualificationQuestion
from rapport.pipeline.models import Order

__all__ = ["make_account", "make_activity", "make_contact", "make_lead", "make_opportunity"]

# Rows the round trip compares; updated_at is left out on purpose (a write sets it).
DUMPED = (
    "customers.account",
    "customers.contact",
    "leads.lead",
    "leads.qualificationanswer",
    "leads.leadstatuschange",
    "activities.activity",
    "pipeline.opportunity",
    "pipeline.order",
)


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table a merge touches, all fields but updated_at."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for label in DUMPED:
        model: Any = apps.get_model(label)
        rows = model._base_manager.order_by("pk").values()
        tables[label] = [{k: v for k, v in row.items() if k != "updated_at"} for row in rows]
    return tables


def make_order(owner: Any, account: Any, number: str) -> Order:
    return Order.objects.create(
        number=number,
        account=account,
        owner=owner,
        status=picklist_value("order_status", "draft"),
        currency=picklist_value("currency", "EUR"),
    )


def question_value(question_key: str, index: int) -> str:
    """The key of the question's `index`-th answer."""
    question = QualificationQuestion.objects.get(key=question_key)
    return str(question.picklist.values.order_by("sort_order", "pk")[index].key)


def answer(lead: Any, question_key: str, value_key: str) -> QualificationAnswer:
    question = QualificationQuestion.objects.get(key=question_key)
    value = question.picklist.values.get(key=value_key)
    return QualificationAnswer.objects.create(lead=lead, question=question, value=value)


def status_change(lead: Any, to: str) -> LeadStatusChange:
    return LeadStatusChange.objects.create(lead=lead, to_status=picklist_value("lead_status", to))


def pks(rows: Any) -> list[int]:
    return sorted(row.pk for row in rows)


def ids(queryset: models.QuerySet[Any]) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))
