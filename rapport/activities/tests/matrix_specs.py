"""How the permission matrix exercises activities."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from rapport.access.tests.matrix_types import TypeSpec
from rapport.activities.models import Activity
from rapport.customers.models import Account


def _account_of(person: Any) -> Account:
    """One account per person, owned by them, for activities to concern."""
    account, _ = Account.objects.get_or_create(
        name=f"Matrix account {person.pk}", defaults={"owner": person}
    )
    return account


def make_activity(owner: Any) -> Model:
    return Activity.objects.create(
        kind=Activity.Kind.CALL, subject="Target call", owner=owner, account=_account_of(owner)
    )


SPECS: dict[str, TypeSpec] = {
    "activity": TypeSpec(
        make=make_activity,
        api_create=lambda person: {
            "kind": "note",
            "subject": "New note",
            "account": _account_of(person).pk,
        },
        api_edit={"subject": "Changed call"},
        ui_create=lambda person: {
            "kind": "note",
            "subject": "New note",
            "account": _account_of(person).pk,
        },
        ui_edit=lambda person: {
            "kind": "call",
            "subject": "Changed call",
            "account": _account_of(person).pk,
        },
        ui={
            "list": "/activities/",
            "read": "/activities/{pk}/",
            "create": "/activities/new/?kind=note",
            "edit": "/activities/{pk}/edit/",
            "delete": "/activities/{pk}/delete/",
        },
    ),
}
