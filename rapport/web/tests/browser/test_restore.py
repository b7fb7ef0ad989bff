"""An administrator deletes a team, finds it in the recycle bin, restores it, and sees it back."""

from __future__ import annotations

import re

import pytest

from rapport.access import services
from rapport.access.models import Office, Role, Team, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; restore the seeded roles afterwards for other tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-restore-passphrase"


def test_an_administrator_restores_a_deleted_team(live_server, page, screenshot, browser_problems):
    # After an earlier transactional test in the same run, the seeded rows may be gone when the
    # browser fixtures come up first: seed what this test needs, whatever ran before it.
    ensure_standard_roles(Role)
    permissions_ensure_defaults()
    admin = User.objects.create_user(
        email="ada@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Lovelace",
        role=Role.objects.get(key="administrator"),
    )
    office = Office.objects.create(name="Berlin", city="Berlin", country="DE")
    team = services.team_create(
        acting_user=admin, name="Enterprise Sales", office=office, lead=admin
    )
    services.team_update(acting_user=admin, team=team, description="Deals above 100k")
    members = [
        User.objects.create_user(
            email=f"member{n}@example.com",
            first_name=f"Member{n}",
            last_name="Seller",
            team=team,
            role=Role.objects.get(key="sales_rep"),
        )
        for n in range(3)
    ]
    csp: list[str] = []

    def check(name: str) -> None:
        csp.extend(page.evaluate("window.__cspViolations || []"))
        screenshot(name)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    # The team's page: its history loads, then Delete asks for confirmation.
    page.goto(f"{live_server.url}/admin/teams/{team.pk}/")
    page.get_by_role("cell", name="Deals above 100k").wait_for()
    check("restore-01-team-with-history")
    page.get_by_role("link", name="Delete team").click()
    page.wait_for_url(re.compile(rf"/admin/teams/{team.pk}/delete/"))
    assert "Its 3 members stay in it" in page.locator("main").inner_text()
    check("restore-02-delete-confirmation")
    page.get_by_role("button", name="Move “Enterprise Sales” to the recycle bin").click()
    page.wait_for_url(re.compile(r"/admin/teams/$"))
    assert "moved to the recycle bin" in page.locator(".messages").inner_text()
    assert "Enterprise Sales" not in page.locator("table, .empty").first.inner_text()
    check("restore-03-teams-without-it")
    assert not Team.objects.filter(pk=team.pk).exists()

    # The recycle bin lists it; Restore brings it back without a page load.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recycle bin").click()
    page.wait_for_url(re.compile(r"/admin/recycle-bin/"))
    row = page.locator(f"#bin-team-{team.pk}")
    assert "Enterprise Sales" in row.inner_text()
    assert "Ada Lovelace" in row.inner_text()
    check("restore-04-recycle-bin")
    row.get_by_role("button", name="Restore").click()
    page.locator(f"#bin-team-{team.pk}.is-restored").wait_for()
    check("restore-05-restored")

    restored = Team.objects.get(pk=team.pk)
    assert set(restored.members.all()) == set(members)
    assert (restored.office, restored.lead) == (office, admin)

    # Back in the teams list with its members, and its history tells the story.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    page.wait_for_url(re.compile(r"/admin/teams/$"))
    team_row = page.get_by_role("row").filter(has_text="Enterprise Sales")
    assert team_row.get_by_role("cell").last.inner_text() == "3"
    check("restore-06-team-back")
    page.goto(f"{live_server.url}/admin/teams/{team.pk}/")
    page.get_by_role("cell", name="Restored").wait_for()
    history = page.locator("#history-heading + .table-wrap").inner_text()
    assert "Deleted" in history
    assert "Ada Lovelace" in history
    check("restore-07-history")

    assert csp == []
    assert browser_problems.page_errors == []
    assert browser_problems.console_errors == []
