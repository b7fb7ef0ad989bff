"""Schemathesis drives every operation of the schema against the app, as an administrator.

No answer may be a 5xx, and every answer must match the schema (body and status code). The run is
derandomized with few examples per operation, so it is repeatable and stays well under a minute.

Each operation gets its own Hypothesis run from `APIOperation.as_strategy()` rather than
`schema.parametrize()`: the pytest plugin of schemathesis 4 rewrites a private attribute of
pytest's nodes that pytest 9 no longer has.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from rapport.access.models import Role, User
from rapport.access.services import api_token_create

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Calls through the WSGI app must not close the test's connection (and its transaction).

    Django's own test client does the same: a request's end would otherwise close the connection
    it sees inside the test's transaction, which PostgreSQL then loses.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_no_operation_crashes_or_breaks_the_schema(admin_user, rep, team, office):
    from rapport.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    admin_role = Role.objects.get(key=Role.Key.ADMINISTRATOR)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 25  # every collection, action, search and task status

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            # Generated requests may demote the administrator or revoke their token; restore
            # full rights so every case is judged as an administrator's request.
            Role.objects.filter(pk=admin_role.pk).update(is_admin=True, is_read_only=False)
            User.objects.filter(pk=admin_user.pk).update(is_active=True, role=admin_role)
            secret = api_token_create(acting_user=None, user=admin_user, name="schemathesis").secret
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        try:
            run()
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
