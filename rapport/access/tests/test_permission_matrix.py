"""The generated permission matrix: every role x every record type x every action, through the
API and the pages, against the default rules. Allowed means success; denied means 403 (or 404)
and the database exactly as it was.

The expectations come from `default_rule` (what a fresh Rapport grants), not from asking the
engine, so an engine bug cannot agree with itself. A record type registered without an entry in
SPECS fails `test_every_record_type_is_in_the_matrix`: each app adds its types in its own
`tests/matrix_specs.py` (a `SPECS` dict of `TypeSpec`), collected below.

Targets are made owned by the acting person, so own/team/subordinate scopes include them; what a
scope hides is tested by each app's scope tests.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rapport.access.models import Office, Role, Team, User
from rapport.access.permissions import ACTIONS, default_rule
from rapport.access.roles import STANDARD_ROLES
from rapport.access.tests.matrix_types import TypeSpec, payload
from rapport.core import records

pytestmark = pytest.mark.django_db

_n = itertools.count(1)

MATRIX_ACTIONS = ("list", "read", "create", "edit", "delete")


def _make_user(owner: User | None = None) -> Model:
    n = next(_n)
    return User.objects.create_user(
        email=f"target{n}@example.com",
        first_name=f"Target{n}",
        last_name="Person",
        role=Role.objects.get(key="sales_rep"),
    )


def _make_team(owner: User | None = None) -> Model:
    return Team.objects.create(name=f"Target team {next(_n)}", description="Original")


def _make_office(owner: User | None = None) -> Model:
    return Office.objects.create(name=f"Target office {next(_n)}", city="Lyon", country="FR")


def _make_role(owner: User | None = None) -> Model:
    n = next(_n)
    return Role.objects.create(key=f"target_{n}", name=f"Target role {n}", description="Original")


SPECS: dict[str, TypeSpec] = {
    "user": TypeSpec(
        make=_make_user,
        api_create={"email": "new.person@example.com", "first_name": "New", "last_name": "One"},
        api_edit={"title": "Changed"},
        ui_create={"email": "new.person@example.com", "first_name": "New", "last_name": "One"},
        ui_edit={
            "first_name": "Changed",
            "last_name": "Person",
            "email": "changed.person@example.com",
        },
        ui={
            "list": "/people/",
            "read": "/people/{pk}/",
            "create": "/admin/users/new/",
            "edit": "/admin/users/{pk}/",
            "delete": "/admin/users/{pk}/deactivate/",
        },
        ui_admin_area=frozenset({"create", "edit", "delete"}),
        api_delete_action="deactivate",
    ),
    "team": TypeSpec(
        make=_make_team,
        api_create={"name": "New team"},
        api_edit={"description": "Changed"},
        ui_create={"name": "New team", "is_active": "on"},
        ui_edit={"name": "Changed team", "description": "Changed", "is_active": "on"},
        ui={
            "list": "/admin/teams/",
            "read": "/admin/teams/{pk}/",
            "create": "/admin/teams/new/",
            "edit": "/admin/teams/{pk}/",
            "delete": "/admin/teams/{pk}/delete/",
        },
        ui_admin_area=frozenset({"list", "read", "create", "edit", "delete"}),
    ),
    "office": TypeSpec(
        make=_make_office,
        api_create={"name": "New office", "country": "FR"},
        api_edit={"city": "Changed"},
        ui_create={"name": "New office", "country": "FR", "timezone": "UTC", "is_active": "on"},
        ui_edit={"name": "Changed", "country": "FR", "timezone": "UTC", "city": "Changed"},
        ui={
            "list": "/admin/offices/",
            "read": "/admin/offices/{pk}/",
            "create": "/admin/offices/new/",
            "edit": "/admin/offices/{pk}/",
            "delete": "/admin/offices/{pk}/delete/",
        },
        ui_admin_area=frozenset({"list", "read", "create", "edit", "delete"}),
    ),
    "role": TypeSpec(
        make=_make_role,
        api_create={"name": "New role", "key": "new_role"},
        api_edit={"description": "Changed"},
        ui_create={"name": "New role", "key": "new_role", "sort_order": "5"},
        ui_edit={"name": "Changed", "key": "changed_key", "sort_order": "5"},
        ui={
            "list": "/admin/roles/",
            "read": "/admin/roles/{pk}/",
            "create": "/admin/roles/new/",
            "edit": "/admin/roles/{pk}/",
            "delete": "/admin/roles/{pk}/delete/",
        },
        ui_admin_area=frozenset({"list", "read", "create", "edit", "delete"}),
    ),
}

for _app in ("customers", "activities", "pipeline", "leads"):
    SPECS.update(importlib.import_module(f"rapport.{_app}.tests.matrix_specs").SPECS)

ROLE_KEYS = [role.key for role in STANDARD_ROLES]
TYPE_KEYS = [record_type.key for record_type in records.all_types()]
ADMIN_ROLES = {role.key for role in STANDARD_ROLES if role.is_admin}


def test_every_record_type_is_in_the_matrix() -> None:
    assert set(TYPE_KEYS) <= set(SPECS), "add the new record type to SPECS"
    assert set(ACTIONS) == {"create", "read", "edit", "delete"}


def _engine_action(action: str) -> str:
    return "read" if action == "list" else action


def expected_api(role_key: str, type_key: str, action: str) -> bool:
    rule = default_rule(role_key, type_key)
    return rule is not None and bool(getattr(rule, _engine_action(action)))


def expected_ui(role_key: str, type_key: str, action: str) -> bool:
    admin_area = action in SPECS[type_key].ui_admin_area
    return expected_api(role_key, type_key, action) and (not admin_area or role_key in ADMIN_ROLES)


def _state(model: type[Model], pk: Any) -> tuple[int, dict[str, Any] | None]:
    """Everything a denial must leave alone: the row count and the target row."""
    manager = model._base_manager
    return manager.count(), manager.filter(pk=pk).values().first()


API_CASES = [
    pytest.param(role, key, action, id=f"{role}-{key}-{action}")
    for role in ROLE_KEYS
    for key in SPECS
    for action in MATRIX_ACTIONS
]


@pytest.mark.parametrize(("role_key", "type_key", "action"), API_CASES)
def test_the_api_follows_the_matrix(
    role_key: str, type_key: str, action: str, make_user: Callable[..., User]
) -> None:
    spec = SPECS[type_key]
    person = make_user(role=role_key)
    target = spec.make(person)
    model = type(target)
    client = APIClient()
    client.force_authenticate(person)
    list_url = reverse(f"api:{type_key}-list")
    detail_url = reverse(f"api:{type_key}-detail", args=[target.pk])
    before = _state(model, target.pk)
    if action == "list":
        response = client.get(list_url)
    elif action == "read":
        response = client.get(detail_url)
    elif action == "create":
        response = client.post(list_url, payload(spec.api_create, person), format="json")
    elif action == "edit":
        response = client.patch(detail_url, payload(spec.api_edit, person), format="json")
    elif spec.api_delete_action:
        response = client.post(
            reverse(f"api:{type_key}-{spec.api_delete_action}", args=[target.pk])
        )
    else:
        response = client.delete(detail_url)

    if expected_api(role_key, type_key, action):
        assert response.status_code in {200, 201, 204}, response.content
        if action in {"create", "edit", "delete"}:
            assert _state(model, target.pk) != before
    else:
        assert response.status_code in {403, 404}, response.content
        assert response.json()["error"]["code"] in {"permission_denied", "not_found"}
        assert _state(model, target.pk) == before


UI_CASES = [
    pytest.param(role, key, action, id=f"{role}-{key}-{action}")
    for role in ROLE_KEYS
    for key, spec in SPECS.items()
    for action in MATRIX_ACTIONS
    if spec.ui.get(action)
]


@pytest.mark.parametrize(("role_key", "type_key", "action"), UI_CASES)
def test_the_pages_follow_the_matrix(
    role_key: str, type_key: str, action: str, make_user: Callable[..., User]
) -> None:
    spec = SPECS[type_key]
    person = make_user(role=role_key)
    target = spec.make(person)
    model = type(target)
    client = Client()
    client.force_login(person)
    url = str(spec.ui[action]).format(pk=target.pk)
    before = _state(model, target.pk)
    if action in {"list", "read"}:
        response = client.get(url)
    elif action == "create":
        response = client.post(url, payload(spec.ui_create, person))
    elif action == "edit":
        response = client.post(url, payload(spec.ui_edit, person))
    else:
        response = client.post(url)

    if expected_ui(role_key, type_key, action):
        if action in {"list", "read"}:
            assert response.status_code == 200
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            assert _state(model, target.pk) != before
    else:
        assert response.status_code in {403, 404}
        assert _state(model, target.pk) == before


def test_the_matrix_covers_every_role_and_type_through_both_channels() -> None:
    covered_api = {(c.values[0], c.values[1]) for c in API_CASES}
    covered_ui = {(c.values[0], c.values[1]) for c in UI_CASES}
    every = {(role, key) for role in ROLE_KEYS for key in TYPE_KEYS}
    assert every <= covered_api
    assert every <= covered_ui
