"""How the permission matrix exercises this app's record types (opportunities, stages and
methodology steps here; products, price lists and orders in matrix_specs_catalog)."""

from __future__ import annotations

import itertools
from typing import Any

from django.db.models import Model

from rapport.access.tests.matrix_types import TypeSpec
from rapport.core.models import PicklistValue
from rapport.customers.models import Account
from rapport.pipeline.models import MethodologyStep, Opportunity, Stage
from rapport.pipeline.tests import matrix_specs_catalog

_n = itertools.count(1)


def _first_open_stage() -> Stage:
    stage = Stage.objects.active().open().order_by("sort_order", "id").first()
    assert stage is not None, "the default stages are seeded by a migration"
    return stage


def _account(owner: Any) -> Account:
    return Account.objects.create(name=f"Deal account {next(_n)}", owner=owner)


def _eur() -> PicklistValue:
    return PicklistValue.objects.get(picklist__key="currency", key="EUR")


def make_opportunity(owner: Any) -> Model:
    stage = _first_open_stage()
    return Opportunity.objects.create(
        name=f"Target deal {next(_n)}",
        account=_account(owner),
        owner=owner,
        stage=stage,
        probability=stage.probability,
        currency=_eur(),
    )


def make_stage(owner: Any = None) -> Model:
    n = next(_n)
    return Stage.objects.create(
        key=f"target_{n}", name=f"Target stage {n}", probability=50, sort_order=1000 + n
    )


def make_step(owner: Any = None) -> Model:
    return MethodologyStep.objects.create(
        stage=_first_open_stage(), name=f"Target step {next(_n)}", due_in_days=2, sort_order=900
    )


def _opportunity_form(person: Any, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "account": _account(person).pk,
        "owner": person.pk,
        "currency": _eur().pk,
        "probability": "30",
    }


SPECS: dict[str, TypeSpec] = {
    **matrix_specs_catalog.SPECS,
    "opportunity": TypeSpec(
        make=make_opportunity,
        api_create=lambda person: {"name": "New deal", "account": _account(person).pk},
        api_edit={"description": "Changed"},
        ui_create=lambda person: _opportunity_form(person, "New deal"),
        ui_edit=lambda person: _opportunity_form(person, "Changed deal"),
        ui={
            "list": "/opportunities/",
            "read": "/opportunities/{pk}/",
            "create": "/opportunities/new/",
            "edit": "/opportunities/{pk}/edit/",
            "delete": "/opportunities/{pk}/delete/",
        },
    ),
    "stage": TypeSpec(
        make=make_stage,
        api_create={"key": "new_stage", "name": "New stage", "probability": 50},
        api_edit={"description": "Changed"},
        ui_create={"key": "new_stage", "name": "New stage", "kind": "open", "probability": "50"},
        ui_edit={"key": "changed", "name": "Changed", "kind": "open", "probability": "40"},
        ui={
            "list": "/admin/stages/",
            "read": "/admin/stages/{pk}/",
            "create": "/admin/stages/new/",
            "edit": "/admin/stages/{pk}/",
            "delete": "/admin/stages/{pk}/retire/",
        },
        ui_admin_area=frozenset({"list", "read", "create", "edit", "delete"}),
        api_delete_action="retire",
    ),
    "methodology_step": TypeSpec(
        make=make_step,
        api_create=lambda person: {"stage": _first_open_stage().pk, "name": "New step"},
        api_edit={"description": "Changed"},
        ui_create=lambda person: {
            "stage": _first_open_stage().pk,
            "name": "New step",
            "due_in_days": "3",
            "is_required": "on",
            "is_active": "on",
        },
        ui_edit=lambda person: {
            "stage": _first_open_stage().pk,
            "name": "Changed step",
            "due_in_days": "4",
            "is_active": "on",
        },
        ui={
            "list": "/admin/stages/",
            "read": "/admin/steps/{pk}/",
            "create": "/admin/steps/new/",
            "edit": "/admin/steps/{pk}/",
            "delete": "/admin/steps/{pk}/retire/",
        },
        ui_admin_area=frozenset({"list", "read", "create", "edit", "delete"}),
        api_delete_action="retire",
    ),
}
