"""A sales rep who opens an administration address is turned away with the 403 page; an
administrator takes a right away in the permission matrix."""

from __future__ import annotations

import pytest

from rapport.access.models import Role, RolePermission, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; restore the seeded roles afterwards for other tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-denied-passphrase"


@pytest.fixture(autouse=True)
def _standard_roles_and_rules():
    """A transactional test before this one may have flushed the seeded roles and rules."""
    ensure_standard_roles(Role)
    permissions_ensure_defaults()


def test_a_rep_is_denied_the_administration_pages(live_server, page, screenshot, browser_problems):
    rep = User.objects.create_user(
        email="rita@example.com",
        password=PASSWORD,
        first_name="Rita",
        last_name="Rep",
        role=Role.objects.get(key="sales_rep"),
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(rep.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    # The navigation offers no administration to a rep...
    assert page.get_by_role("link", name="Permissions").count() == 0
    assert page.get_by_role("link", name="Users", exact=True).count() == 0

    # ...and typing the address anyway shows the 403 page, not the list.
    for path in ("/admin/users/", "/admin/permissions/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 403
        assert page.get_by_role("heading", level=1).inner_text().strip() != "Users"
        assert "Not allowed" in page.content()
    screenshot("role-denied-403")

    assert page.evaluate("window.__cspViolations || []") == []
    assert browser_problems.page_errors == []
    assert [e for e in browser_problems.console_errors if "403" not in e] == []


def test_an_administrator_takes_a_right_away_in_the_matrix(
    live_server, page, screenshot, browser_problems
):
    admin = User.objects.create_user(
        email="ada@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Admin",
        role=Role.objects.get(key="administrator"),
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Permissions").click()
    page.wait_for_url(f"{live_server.url}/admin/permissions/")
    screenshot("permission-matrix")
    read_teams = page.get_by_label("Sales Rep: read teams")
    assert read_teams.is_checked()
    read_teams.uncheck()
    page.get_by_role("button", name="Save permissions").click()
    page.wait_for_url(f"{live_server.url}/admin/permissions/")
    assert "Permissions saved" in page.content()
    assert not page.get_by_label("Sales Rep: read teams").is_checked()
    screenshot("permission-matrix-saved", full_page=False)
    rule = RolePermission.objects.get(role__key="sales_rep", record_type="team")
    assert not rule.can_read

    assert page.evaluate("window.__cspViolations || []") == []
    assert browser_problems.page_errors == []
    assert browser_problems.console_errors == []
