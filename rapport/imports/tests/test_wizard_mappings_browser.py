"""The saved mappings page in a real browser: reached from the imports list, a mapping's columns
opened, renamed; no CSP violation and no script error. Screenshot:
test-artifacts/screenshots/import-mappings.png.
"""

from __future__ import annotations

from typing import Any

import pytest

from rapport.imports import services
from rapport.imports.models import ImportBatch, ImportMapping

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "correct-horse-battery"


def _no_problems(page: Any, problems: Any) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert problems.console_errors == []
    assert problems.page_errors == []


def test_saved_mappings_are_listed_opened_and_renamed(
    page: Any, live_server: Any, make_user: Any, screenshot: Any, browser_problems: Any
) -> None:
    manager = make_user(
        role="sales_manager", first_name="Mia", last_name="Manager", email="mia@example.com"
    )
    manager.set_password(PASSWORD)
    manager.save()
    colleague = make_user(role="sales_rep", first_name="Carl", last_name="Colleague")
    legacy = services.mapping_save(
        acting_user=manager,
        record_type="contact",
        name="Legacy CRM",
        columns={"Vorname": "first_name", "Zuname": "last_name", "E-Mail": "email", "Ort": ""},
    )
    services.mapping_save(
        acting_user=colleague,
        record_type="contact",
        name="Trade fair badges",
        columns={"First": "first_name", "Last": "last_name", "Company": ""},
    )
    services.mapping_save(
        acting_user=manager, record_type="account", name="Partner list", columns={"Firma": "name"}
    )
    for _ in range(2):
        ImportBatch.objects.create(
            record_type="contact",
            file_name="legacy.csv",
            mapping=dict(legacy.columns),
            saved_mapping=legacy,
            status=ImportBatch.Status.COMMITTED,
            created_by=manager,
        )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/imports/")
    page.get_by_role("link", name="Saved mappings").click()
    page.wait_for_selector("h1:has-text('Saved mappings')")

    legacy_row = page.locator(f'tr[data-mapping="{legacy.pk}"]')
    legacy_row.get_by_text("3 of 4 columns imported").click()
    assert legacy_row.get_by_text("→ Last name").is_visible()
    assert legacy_row.locator("td.num").inner_text() == "2"
    other = page.locator("tr", has_text="Trade fair badges")
    assert other.get_by_role("link").count() == 0  # the colleague's: nothing to change here
    _no_problems(page, browser_problems)
    screenshot("import-mappings")

    legacy_row.get_by_role("link", name="Rename Legacy CRM").click()
    page.get_by_label("Name").fill("Trade fair badges")
    page.get_by_role("button", name="Rename").click()
    page.wait_for_selector("text=A contact mapping named “Trade fair badges” exists already.")
    page.get_by_label("Name").fill("Old CRM")
    page.get_by_role("button", name="Rename").click()
    page.wait_for_selector("text=“Legacy CRM” is now called “Old CRM”.")
    assert ImportMapping.objects.get(pk=legacy.pk).name == "Old CRM"
    _no_problems(page, browser_problems)
