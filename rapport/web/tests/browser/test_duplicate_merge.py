"""Merging look-alike contacts in a real browser: a near-duplicate entered through the contact
form is stopped by the duplicate warning with its reasons and saved anyway; both are merged from
the merge page (choosing the survivor and a value), the result page shows Undo, which puts all
back. No CSP violation and no script error on the way; screenshots go to
test-artifacts/screenshots/duplicate-merge-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.access import crud
from rapport.activities.models import Activity
from rapport.customers.models import Contact
from rapport.quality.merge.models import Merge

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "correct-horse-battery"


def _no_problems(page: Any, problems: Any) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert problems.console_errors == []
    assert problems.page_errors == []


def test_a_manager_merges_a_near_duplicate_contact_then_undoes_it(
    page: Any, live_server: Any, make_user: Any, screenshot: Any, browser_problems: Any
) -> None:
    manager = make_user(
        role="sales_manager", first_name="Mia", last_name="Manager", email="mia@example.com"
    )
    manager.set_password(PASSWORD)
    manager.save()
    original: Contact = crud.record_create(
        record_type="contact",
        acting_user=manager,
        values={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.example"},
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    # The near-duplicate, entered through the contact form like anyone would.
    page.goto(f"{live_server.url}/contacts/new/")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Job title").fill("CTO")
    page.get_by_label("Email", exact=True).fill("ada@acme.example")
    page.get_by_role("button", name="Create contact").click()

    # The duplicate check stops it first, saying why.
    warning = page.get_by_role("alert").filter(has_text="This may already exist")
    warning.wait_for()
    assert "same e-mail" in warning.inner_text()
    assert warning.get_by_role("link", name="Ada Lovelace").get_attribute("href") == (
        f"/contacts/{original.pk}/"
    )
    assert Contact.objects.count() == 1
    _no_problems(page, browser_problems)
    screenshot("duplicate-merge-01-warning")

    page.get_by_label("Save anyway").check()
    page.get_by_role("button", name="Create contact").click()
    page.wait_for_url(lambda url: "/contacts/new/" not in url)
    duplicate = Contact.objects.exclude(pk=original.pk).get(last_name="Lovelace")
    call = Activity.objects.create(
        kind=Activity.Kind.CALL, subject="Intro call", owner=manager, contact=duplicate
    )
    _no_problems(page, browser_problems)
    screenshot("duplicate-merge-02-saved-anyway")

    # Side by side: keep the original, take the duplicate's job title (the default: newest).
    page.goto(f"{live_server.url}/quality/merge/?type=contact&ids={original.pk},{duplicate.pk}")
    assert page.get_by_role("radio", name=f"Keep #{original.pk}").is_checked()
    assert page.locator(f'input[name="field_job_title"][value="{duplicate.pk}"]').is_checked()
    assert page.locator(f'input[name="field_email"][value="{original.pk}"]').is_checked()
    assert page.get_by_text("1 activity (contact)").is_visible()  # linked to the duplicate
    _no_problems(page, browser_problems)
    screenshot("duplicate-merge-03-side-by-side")

    page.get_by_role("button", name="Merge").click()
    page.wait_for_selector("text=Merged. You can undo it here.")
    merge = Merge.objects.get()
    kept = Contact.objects.get(pk=original.pk)
    assert kept.job_title == "CTO"
    assert kept.email == "ada@acme.example"
    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    assert merge.survivor_id == original.pk
    assert Activity.objects.get(pk=call.pk).contact_id == original.pk
    assert page.get_by_role("cell", name="contact").is_visible()
    _no_problems(page, browser_problems)
    screenshot("duplicate-merge-04-merged")

    page.get_by_role("button", name="Undo").click()
    page.wait_for_selector("text=The merge is undone")
    assert Contact.objects.filter(pk=duplicate.pk).exists()
    assert Contact.objects.get(pk=original.pk).job_title == ""
    assert Activity.objects.get(pk=call.pk).contact_id == duplicate.pk
    _no_problems(page, browser_problems)
    screenshot("duplicate-merge-05-undone")

    # The kept contact's history tells the story.
    page.goto(f"{live_server.url}/contacts/{original.pk}/")
    page.wait_for_selector(f"text=#{duplicate.pk} Ada Lovelace")
    screenshot("duplicate-merge-06-history")
