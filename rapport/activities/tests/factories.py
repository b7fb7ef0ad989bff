"""Records for activity tests: an account, its contact, a lead and an opportunity.

Made straight with the ORM (not through other apps' services) so these tests do not depend on
how the other apps validate their records.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from rapport.activities.models import Activity
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity, OpportunityStep, Stage


def picklist_value(picklist: str, key: str) -> Any:
    from rapport.core.models import PicklistValue

    return PicklistValue.objects.get(picklist__key=picklist, key=key)


def make_account(owner: Any, name: str = "Acme GmbH", **fields: Any) -> Account:
    return Account.objects.create(name=name, owner=owner, **fields)


def make_contact(owner: Any, account: Account | None = None, **fields: Any) -> Contact:
    fields.setdefault("first_name", "Carla")
    fields.setdefault("last_name", "Contact")
    return Contact.objects.create(owner=owner, account=account, **fields)


def make_lead(owner: Any, **fields: Any) -> Lead:
    fields.setdefault("first_name", "Lou")
    fields.setdefault("last_name", "Lead")
    fields.setdefault("company", "Leadco")
    fields.setdefault("status", picklist_value("lead_status", "new"))
    return Lead.objects.create(owner=owner, **fields)


def open_stage() -> Stage:
    return Stage.objects.filter(kind=Stage.Kind.OPEN).order_by("sort_order").first()  # type: ignore[return-value]


def make_opportunity(owner: Any, account: Account, **fields: Any) -> Opportunity:
    stage = fields.pop("stage", None) or open_stage()
    fields.setdefault("name", "Big deal")
    fields.setdefault("currency", picklist_value("currency", "EUR"))
    fields.setdefault("probability", stage.probability)
    fields.setdefault("amount", Decimal("1000.00"))
    return Opportunity.objects.create(owner=owner, account=account, stage=stage, **fields)


def make_step(opportunity: Opportunity, due_date: datetime.date | None = None) -> OpportunityStep:
    from rapport.pipeline.models import MethodologyStep

    step = (
        opportunity.stage.steps.order_by("sort_order").first()
        or MethodologyStep.objects.order_by("stage__sort_order", "sort_order").first()
    )
    assert step is not None, "the default stages have steps"
    return OpportunityStep.objects.create(opportunity=opportunity, step=step, due_date=due_date)


def make_activity(owner: Any, **fields: Any) -> Activity:
    fields.setdefault("kind", Activity.Kind.CALL)
    fields.setdefault("subject", "Catch-up")
    return Activity.objects.create(owner=owner, **fields)
