"""How the permission matrix exercises leads, qualification questions and web forms."""

from __future__ import annotations

import itertools
from typing import Any

from django.db.models import Model

from rapport.access.tests.matrix_types import TypeSpec
from rapport.core.models import Picklist, PicklistValue
from rapport.leads.models import Lead, QualificationQuestion, WebForm

_n = itertools.count(1)


def _value(picklist: str, key: str) -> PicklistValue:
    return PicklistValue.objects.get(picklist__key=picklist, key=key)


def make_lead(owner: Any) -> Model:
    return Lead.objects.create(
        first_name="Target",
        last_name=f"Lead {next(_n)}",
        company="Targetco",
        owner=owner,
        status=_value("lead_status", "new"),
    )


def make_question(owner: Any) -> Model:
    n = next(_n)
    return QualificationQuestion.objects.create(
        key=f"target_{n}",
        text=f"Target question {n}?",
        picklist=Picklist.objects.get(key="budget_range"),
        sort_order=1000 + n,
    )


def make_web_form(owner: Any) -> Model:
    return WebForm.objects.create(
        name=f"Target form {next(_n)}",
        owner=owner,
        source=_value("lead_source", "website"),
        fields=["last_name", "email"],
        required_fields=["last_name", "email"],
    )


def _budget_pk(person: Any) -> int:
    return Picklist.objects.get(key="budget_range").pk


SPECS: dict[str, TypeSpec] = {
    "lead": TypeSpec(
        make=make_lead,
        api_create={"last_name": "New", "company": "Newco", "status": "new"},
        api_edit={"job_title": "Changed"},
        ui_create=lambda person: {
            "last_name": "New",
            "owner": person.pk,
            "status": _value("lead_status", "new").pk,
        },
        ui_edit=lambda person: {
            "last_name": "Changed",
            "owner": person.pk,
            "status": _value("lead_status", "working").pk,
        },
        ui={
            "list": "/leads/",
            "read": "/leads/{pk}/",
            "create": "/leads/new/",
            "edit": "/leads/{pk}/edit/",
            "delete": "/leads/{pk}/delete/",
        },
    ),
    "qualification_question": TypeSpec(
        make=make_question,
        api_create={"key": "new_question", "text": "New?", "picklist": "budget_range"},
        api_edit={"text": "Changed?"},
        ui_create=lambda person: {
            "key": "new_question",
            "text": "New?",
            "picklist": _budget_pk(person),
        },
        ui_edit=lambda person: {
            "key": "changed_question",
            "text": "Changed?",
            "picklist": _budget_pk(person),
        },
        ui={
            "list": "/admin/qualification-questions/",
            "read": "/admin/qualification-questions/{pk}/",
            "create": "/admin/qualification-questions/new/",
            "edit": "/admin/qualification-questions/{pk}/",
            "delete": "/admin/qualification-questions/{pk}/deactivate/",
        },
        ui_admin_area=frozenset({"list", "read", "create", "edit", "delete"}),
        api_delete_action="deactivate",
    ),
    "web_form": TypeSpec(
        make=make_web_form,
        api_create={"name": "New form", "source": "website"},
        api_edit={"success_message": "Changed"},
        ui_create=lambda person: {
            "name": "New form",
            "owner": person.pk,
            "source": _value("lead_source", "website").pk,
            "success_message": "Thanks",
        },
        ui_edit=lambda person: {
            "name": "Changed form",
            "owner": person.pk,
            "source": _value("lead_source", "event").pk,
            "success_message": "Thanks",
        },
        ui={
            "list": "/admin/web-forms/",
            "read": "/admin/web-forms/{pk}/",
            "create": "/admin/web-forms/new/",
            "edit": "/admin/web-forms/{pk}/",
            "delete": "/admin/web-forms/{pk}/deactivate/",
        },
        api_delete_action="deactivate",
    ),
}
