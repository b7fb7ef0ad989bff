"""In a real browser: qualify a lead on its page (answers save by HTMX, the bar moves), mark it
qualified, convert it and land on the opportunity; the public form takes a submission. No CSP
violation and no script error on the way. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.leads.models import Lead
from rapport.leads.tests.helpers import make_lead, make_web_form, value
from rapport.pipeline.defaults import stages_ensure_defaults

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "correct-horse-battery"


def _login(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def _no_problems(page: Any, problems: Any) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert problems.console_errors == []
    assert problems.page_errors == []


def test_a_rep_qualifies_and_converts_a_lead(
    page: Any, live_server: Any, make_user: Any, screenshot: Any, browser_problems: Any
) -> None:
    stages_ensure_defaults()
    rep = make_user(first_name="Rita", last_name="Rep", email="rita@example.com")
    lead = make_lead(
        rep,
        first_name="Lou",
        last_name="Lead",
        company="Leadco GmbH",
        job_title="Head of Sales Ops",
        source=value("lead_source", "webinar"),
    )
    make_lead(rep, first_name="Nia", last_name="Other", company="Otherco")
    _login(page, live_server, rep)

    page.goto(f"{live_server.url}/leads/")
    page.wait_for_selector("table")
    screenshot("leads-01-list")

    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    assert page.locator("#completeness-bar").get_attribute("value") == "0"
    page.get_by_label("Budget: how much have they set aside per year?").select_option(
        label="50,000 to 250,000"
    )
    page.wait_for_selector('#completeness-bar[value="10"]')
    page.get_by_label("Decision timeline: when will they decide?").select_option(label="90 days")
    page.wait_for_selector('#completeness-bar[value="20"]')
    screenshot("leads-02-qualifying")
    assert lead.answers.count() == 2

    page.get_by_label("Status", exact=True).select_option(label="Qualified")
    page.get_by_role("button", name="Set status").click()
    page.wait_for_selector("text=Status set to Qualified.")
    page.get_by_role("link", name="Convert").click()
    page.wait_for_url(f"{live_server.url}/leads/{lead.pk}/convert/")
    page.get_by_label("Amount").fill("48000")
    page.get_by_label("Forecast close date").fill("2027-03-31")
    screenshot("leads-03-convert")
    page.get_by_role("button", name="Convert").click()
    page.wait_for_url(f"{live_server.url}/opportunities/*/")
    screenshot("leads-04-opportunity")
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.status.key == "converted"
    assert lead.converted_opportunity is not None
    assert page.url.endswith(f"/opportunities/{lead.converted_opportunity.pk}/")

    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    screenshot("leads-05-converted-lead")
    _no_problems(page, browser_problems)


def test_a_visitor_sends_the_hosted_form(
    page: Any, live_server: Any, make_user: Any, screenshot: Any, browser_problems: Any
) -> None:
    marketer = make_user(role="marketing", email="mo@example.com", first_name="Mo")
    form = make_web_form(marketer)
    _login(page, live_server, marketer)
    page.goto(f"{live_server.url}/admin/web-forms/{form.pk}/")
    screenshot("leads-06-web-form-admin")

    page.goto(f"{live_server.url}/f/{form.key}/")
    screenshot("leads-07-public-form")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Company").fill("Engines Ltd")
    page.get_by_label("Decision timeline: when will they decide?").select_option(label="30 days")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("text=" + form.success_message)
    screenshot("leads-08-public-thanks")
    lead = Lead.objects.get(email="ada@example.com")
    assert (lead.owner, lead.web_form) == (marketer, form)
    _no_problems(page, browser_problems)
