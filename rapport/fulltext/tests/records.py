"""Small record makers for the search tests (straight ORM: the index must follow any write)."""

from __future__ import annotations

from typing import Any

from rapport.access.models import User
from rapport.core.models import PicklistValue
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity, Stage


def account(owner: User, name: str, **fields: Any) -> Account:
    return Account.objects.create(owner=owner, name=name, **fields)


def contact(owner: User, first_name: str, last_name: str, **fields: Any) -> Contact:
    return Contact.objects.create(owner=owner, first_name=first_name, last_name=last_name, **fields)


def lead(owner: User, first_name: str, last_name: str, **fields: Any) -> Lead:
    status = PicklistValue.objects.filter(picklist__key="lead_status").order_by("sort_order")[0]
    return Lead.objects.create(
        owner=owner, first_name=first_name, last_name=last_name, status=status, **fields
    )


def opportunity(owner: User, name: str, on: Account) -> Opportunity:
    stage, _ = Stage.objects.get_or_create(
        key="search-test", defaults={"name": "Discovery", "probability": 10}
    )
    currency = PicklistValue.objects.filter(picklist__key="currency").order_by("sort_order")[0]
    return Opportunity.objects.create(
        owner=owner, name=name, account=on, stage=stage, currency=currency, probability=10
    )
