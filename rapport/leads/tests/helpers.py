"""Small builders for the leads tests."""

from __future__ import annotations

from typing import Any

from rapport.core.models import PicklistValue
from rapport.leads import services
from rapport.leads.models import Lead, QualificationQuestion


def value(picklist: str, key: str) -> PicklistValue:
    return PicklistValue.objects.get(picklist__key=picklist, key=key)


def status(key: str) -> PicklistValue:
    return value("lead_status", key)


def question(key: str) -> QualificationQuestion:
    return QualificationQuestion.objects.get(key=key)


def make_lead(owner: Any, **values: Any) -> Lead:
    """A lead created through the service (so it has its first status history entry)."""
    values.setdefault("first_name", "Lou")
    values.setdefault("last_name", "Lead")
    values.setdefault("company", "Leadco Inc.")
    values.setdefault("email", "lou@leadco.example")
    values.setdefault("owner", owner)
    return services.lead_create(acting_user=owner, values=values, check_permission=False)


def qualified_lead(owner: Any, **values: Any) -> Lead:
    lead = make_lead(owner, **values)
    return services.lead_update(
        acting_user=owner, lead=lead, values={"status": status("qualified")}
    )


def make_web_form(owner: Any, **values: Any) -> Any:
    values.setdefault("name", "Pricing page")
    values.setdefault("fields", ["first_name", "last_name", "email", "company"])
    values.setdefault("required_fields", ["last_name", "email", "company"])
    values.setdefault("owner", owner)
    values.setdefault("source", value("lead_source", "webinar"))
    questions = values.pop("questions", [question("budget_range"), question("decision_timeline")])
    return services.web_form_create(
        acting_user=None, values=values, questions=questions, check_permission=False
    )
