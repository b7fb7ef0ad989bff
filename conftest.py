"""Fixtures shared by the whole suite."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from rapport.access.models import Office, Role, Team, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles
from rapport.access.services import api_token_create
from rapport.core.picklists import picklists_ensure_defaults
from rapport.leads.services import qualification_questions_ensure_defaults
from rapport.pipeline.defaults import stages_ensure_defaults

# The Playwright fixtures (one browser for the whole session), for every app's browser tests.
pytest_plugins = ["rapport.web.tests.browser.fixtures"]

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow by design; tests that check hashing itself override this back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _seed_after_flush(request: pytest.FixtureRequest) -> None:
    """Put back the seeded reference data (roles, permission rules, picklists) after a flush.

    A transactional test empties every table when it ends (Django's TransactionTestCase), and
    pytest-django runs those tests last; serialized_rollback alone does not bring the rows back
    for tests that also use the live server. Seeding is idempotent, so every transactional test
    starts from the same reference data as a freshly migrated database.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        (marker is not None and marker.kwargs.get("transaction", False))
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    ensure_standard_roles(Role)
    permissions_ensure_defaults()
    picklists_ensure_defaults()
    stages_ensure_defaults()
    qualification_questions_ensure_defaults()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Create a user with a role (by key), e.g. make_user(role="sales_rep", password="…")."""

    def factory(
        *,
        role: str = "sales_rep",
        password: str = "correct-horse-battery",  # noqa: S107
        **fields: Any,
    ) -> User:
        n = next(_counter)
        fields.setdefault("email", f"person{n}@example.com")
        fields.setdefault("first_name", f"First{n}")
        fields.setdefault("last_name", f"Last{n}")
        return User.objects.create_user(
            password=password, role=Role.objects.get(key=role), **fields
        )

    return factory


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(
        role="administrator", email="admin@example.com", first_name="Ada", last_name="Admin"
    )


@pytest.fixture
def rep(make_user: Callable[..., User]) -> User:
    return make_user(role="sales_rep", email="rep@example.com", first_name="Rita", last_name="Rep")


@pytest.fixture
def office(db: None) -> Office:
    return Office.objects.create(
        name="Berlin", city="Berlin", country="DE", timezone="Europe/Berlin"
    )


@pytest.fixture
def team(office: Office) -> Team:
    return Team.objects.create(name="Enterprise Sales", office=office)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def token_client(admin_user: User) -> APIClient:
    """An API client authenticated with an administrator's personal token."""
    client = APIClient()
    new = api_token_create(acting_user=admin_user, user=admin_user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    return client


@pytest.fixture(autouse=True)
def _small_sales_demo(settings: Any) -> None:
    """Demo builds in tests make a small sales history (the size test sets its own scale)."""
    settings.DEMO_SALES_SCALE = 0.02
