"""An administrator signs in and walks through the shell and every administration page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from rapport.access.models import ApiToken, Office, Role, Team, User
from rapport.demo.builder import demo_build

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; restore the seeded roles afterwards for other tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-walkthrough-passphrase"


def _csp_violations(page):
    return page.evaluate("window.__cspViolations || []")


def test_an_administrator_walks_through_the_shell(live_server, page, screenshot, browser_problems):
    demo_build()
    berlin = Office.objects.order_by("name")[0]
    admin = User.objects.create_user(
        email="ada@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Lovelace",
        title="Head of Revenue Operations",
        role=Role.objects.get(key="administrator"),
        office=berlin,
        team=Team.objects.order_by("name").first(),
    )
    csp = []

    def visit_check(name, *, full_page=True):
        csp.extend(_csp_violations(page))
        screenshot(name, full_page=full_page)

    # Sign in.
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/login/"))
    visit_check("01-login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Ada")
    visit_check("02-my-day")

    # "/" focuses the search box; typing shows the HTMX dropdown.
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "global-search"
    demo_person = (
        User.objects.filter(email__endswith="@demo.rapport.test")
        .exclude(title="")
        .order_by("pk")[5]
    )
    page.keyboard.type(demo_person.last_name[:5])
    page.locator(".search-panel").wait_for()
    assert demo_person.get_full_name() in page.locator(".search-panel").inner_text()
    visit_check("03-search-dropdown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    visit_check("04-search-page")

    # People directory, filtered by a team in the URL.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.wait_for_url(re.compile(r"/people/"))
    team = Team.objects.order_by("-name")[0]
    page.get_by_label("Team", exact=True).select_option(str(team.pk))
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"team={team.pk}"))
    visit_check("05-people")

    # Profile: create a token and see its secret once.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile & tokens").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("Walkthrough script")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token-secret")
    secret.wait_for()
    assert ApiToken.objects.get(user=admin).key_digest == ApiToken.digest(secret.input_value())
    visit_check("06-profile-token")

    # Administration: users, edit one.
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Users").click()
    page.wait_for_url(re.compile(r"/admin/users/"))
    visit_check("07-admin-users")
    page.get_by_role("link", name=demo_person.get_full_name(), exact=True).first.click()
    page.get_by_label("Location", exact=True).fill("Porto")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/admin/users/$"))
    assert User.objects.get(pk=demo_person.pk).location == "Porto"
    visit_check("08-admin-user-saved")

    # Deactivation asks first, naming what ends.
    page.goto(f"{live_server.url}/admin/users/{demo_person.pk}/deactivate/")
    assert "will no longer be able to sign in" in page.content()
    visit_check("09-admin-deactivate-confirm")

    nav.get_by_role("link", name="Roles").click()
    page.wait_for_url(re.compile(r"/admin/roles/"))
    visit_check("10-admin-roles")

    nav.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="New team").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("Strategic Accounts")
    page.get_by_label("Office", exact=True).select_option(str(berlin.pk))
    page.get_by_role("button", name="Create team").click()
    page.wait_for_url(re.compile(r"/admin/teams/$"))
    assert Team.objects.filter(name="Strategic Accounts", office=berlin).exists()
    visit_check("11-admin-teams")

    nav.get_by_role("link", name="Offices").click()
    page.wait_for_url(re.compile(r"/admin/offices/"))
    visit_check("12-admin-offices")

    # A phone-sized screen: the sidebar collapses behind a button.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    assert (
        not page.locator("#sidebar").is_visible()
        or page.locator("#sidebar").bounding_box()["x"] < 0
    )
    page.get_by_role("button", name="Show navigation").click()
    page.wait_for_timeout(250)
    visit_check("13-phone-nav-open", full_page=False)
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1440, "height": 900})

    # Sign out through the user menu.
    page.get_by_label("Your account").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/"))
    assert "You are signed out." in page.content()
    visit_check("14-signed-out")

    assert settings.SECURE_CSP
    assert csp == []
    assert browser_problems.page_errors == []
    assert browser_problems.console_errors == []
