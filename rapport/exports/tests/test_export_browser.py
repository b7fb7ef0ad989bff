"""A person filters the contacts list, opens its Export menu and downloads the CSV: the file holds
exactly the rows the filtered list shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rapport.access.models import Role, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles
from rapport.customers.models import Contact
from rapport.exports.tests.conftest import as_dicts

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; restore the seeded rows afterwards for other tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "an-export-passphrase"


def test_the_export_link_downloads_the_filtered_rows(
    live_server: Any, page: Any, screenshot: Any, browser_problems: Any
) -> None:
    ensure_standard_roles(Role)
    permissions_ensure_defaults()
    admin = User.objects.create_user(
        email="ada@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Lovelace",
        role=Role.objects.get(key="administrator"),
    )
    for last, dnc in (("Adams", True), ("Baker", False), ("Clark", True), ("=Formula", True)):
        Contact.objects.create(last_name=last, do_not_contact=dnc, owner=admin, city="Lyon")
    csp: list[str] = []

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/contacts/")
    page.locator("#id_do_not_contact").select_option(label="Yes")
    page.wait_for_url("**/contacts/?*do_not_contact=true*")
    page.locator("#record-results").get_by_text("Baker").wait_for(state="detached")
    page.get_by_text("Export", exact=True).click()
    menu = page.get_by_role("menu", name="Export contacts")
    menu.wait_for()
    csp.extend(page.evaluate("window.__cspViolations || []"))
    shot: Path = screenshot("export-menu")
    assert shot.exists()

    with page.expect_download() as download_info:
        menu.get_by_role("menuitem", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("contacts-")
    assert download.suggested_filename.endswith(".csv")
    rows = as_dicts(Path(download.path()).read_bytes())
    assert sorted(r["Last name"] for r in rows) == ["'=Formula", "Adams", "Clark"]
    assert {r["Do not contact"] for r in rows} == {"yes"}

    assert not csp
    assert not browser_problems.page_errors
    assert not browser_problems.console_errors
