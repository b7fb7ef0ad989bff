"""Small builders for the scores tests."""

from __future__ import annotations

from typing import Any

from rapport.core.models import PicklistValue
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity, Stage


def value(picklist: str, key: str) -> PicklistValue:
    return PicklistValue.objects.get(picklist__key=picklist, key=key)


def account(owner: Any, **fields: Any) -> Account:
    fields.setdefault("name", "Acme GmbH")
    return Account.objects.create(owner=owner, **fields)


def contact(owner: Any, **fields: Any) -> Contact:
    fields.setdefault("last_name", "Lovelace")
    return Contact.objects.create(owner=owner, **fields)


def lead(owner: Any, status: str = "new", **fields: Any) -> Lead:
    fields.setdefault("last_name", "Hopper")
    return Lead.objects.create(owner=owner, status=value("lead_status", status), **fields)


def opportunity(owner: Any, stage: str = "", **fields: Any) -> Opportunity:
    chosen = (
        Stage.objects.get(key=stage)
        if stage
        else Stage.objects.filter(kind=Stage.Kind.OPEN).order_by("sort_order").first()
    )
    assert chosen is not None
    fields.setdefault("account", account(owner))
    return Opportunity.objects.create(
        name="Big deal",
        owner=owner,
        stage=chosen,
        probability=chosen.probability,
        currency=value("currency", "EUR"),
        **fields,
    )
