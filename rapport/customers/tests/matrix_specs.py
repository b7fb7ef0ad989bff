"""How the permission matrix exercises accounts and contacts."""

from __future__ import annotations

import itertools
from typing import Any

from django.db.models import Model

from rapport.access.tests.matrix_types import TypeSpec
from rapport.customers.models import Account, Contact

_n = itertools.count(1)


def make_account(owner: Any) -> Model:
    return Account.objects.create(name=f"Target account {next(_n)}", owner=owner, city="Lyon")


def make_contact(owner: Any) -> Model:
    return Contact.objects.create(
        first_name="Target", last_name=f"Contact {next(_n)}", owner=owner, job_title="Buyer"
    )


SPECS: dict[str, TypeSpec] = {
    "account": TypeSpec(
        make=make_account,
        api_create={"name": "New account", "country": "FR"},
        api_edit={"city": "Changed"},
        ui_create=lambda person: {"name": "New account", "owner": person.pk},
        ui_edit=lambda person: {"name": "Changed account", "owner": person.pk, "city": "Nice"},
        ui={
            "list": "/accounts/",
            "read": "/accounts/{pk}/",
            "create": "/accounts/new/",
            "edit": "/accounts/{pk}/edit/",
            "delete": "/accounts/{pk}/delete/",
        },
    ),
    "contact": TypeSpec(
        make=make_contact,
        api_create={"first_name": "New", "last_name": "Person", "email": "new@example.com"},
        api_edit={"job_title": "Changed"},
        ui_create=lambda person: {"last_name": "Person", "owner": person.pk},
        ui_edit=lambda person: {"last_name": "Changed", "owner": person.pk},
        ui={
            "list": "/contacts/",
            "read": "/contacts/{pk}/",
            "create": "/contacts/new/",
            "edit": "/contacts/{pk}/edit/",
            "delete": "/contacts/{pk}/delete/",
        },
    ),
}
