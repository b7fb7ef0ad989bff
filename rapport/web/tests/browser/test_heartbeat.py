"""In a real browser, a page beats once a minute while its person uses it, and stays silent idle."""

from __future__ import annotations

import pytest

from rapport.access.models import Role, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles
from rapport.insights.models import UsageEvent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-heartbeat-passphrase"


def _beats(user):
    return UsageEvent.objects.filter(user=user, kind=UsageEvent.Kind.HEARTBEAT).count()


def test_a_page_beats_only_after_interaction(live_server, page, browser_problems):
    # A transactional test before this one may have flushed the seeded roles and rules.
    ensure_standard_roles(Role)
    permissions_ensure_defaults()
    rep = User.objects.create_user(
        email="rita@example.com",
        password=PASSWORD,
        first_name="Rita",
        last_name="Rep",
        role=Role.objects.get(key="sales_rep"),
    )
    page.clock.install()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(rep.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.goto(f"{live_server.url}/people/").status == 200

    # Untouched for a minute: no beat.
    page.clock.run_for("01:05")
    page.wait_for_timeout(300)
    assert _beats(rep) == 0

    # Used during the next minute: one beat, from this page.
    page.mouse.move(200, 300)
    page.keyboard.press("Shift")
    with page.expect_response("**/insights/heartbeat/") as beat:
        page.clock.run_for("01:00")
    assert beat.value.status == 204
    assert _beats(rep) == 1
    event = UsageEvent.objects.get(kind=UsageEvent.Kind.HEARTBEAT)
    assert (event.area, event.path) == ("people", "people/")

    # Idle again: silent again.
    page.clock.run_for("02:00")
    page.wait_for_timeout(300)
    assert _beats(rep) == 1

    assert browser_problems.console_errors == []
    assert browser_problems.page_errors == []
    assert page.evaluate("window.__cspViolations") == []
