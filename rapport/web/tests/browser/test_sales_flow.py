"""The whole sales flow in a real browser, as a rep lives it: qualify a lead, convert it, walk
the deal through the methodology (each done step prompts the next), meet a stage gate, win the
deal and turn it into an order. No CSP violation and no script error on the way; screenshots of
every step go to test-artifacts/screenshots/sales-flow-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rapport.leads.models import Lead
from rapport.leads.tests.helpers import make_lead, value
from rapport.pipeline.models import Opportunity, Order, StageChange

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "correct-horse-battery"


def _no_problems(page: Any, problems: Any) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert problems.console_errors == []
    assert problems.page_errors == []


def _complete_open_steps(page: Any) -> list[str]:
    """Click "Done" on every open step of the current stage; return the prompts shown."""
    prompts = []
    steps = page.locator("#opportunity-steps")
    while steps.get_by_role("button", name="Done").count():
        with page.expect_response(lambda response: "/complete/" in response.url):
            steps.get_by_role("button", name="Done").first.click()
        # Wait for HTMX to swap the steps card in and settle.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
        prompts.append(page.locator(".step-prompt").first.inner_text())
    return prompts


def test_a_rep_takes_a_lead_all_the_way_to_an_order(
    page: Any, live_server: Any, make_user: Any, screenshot: Any, browser_problems: Any
) -> None:
    rep = make_user(role="sales_rep", first_name="Rita", last_name="Rep", email="rita@example.com")
    rep.set_password(PASSWORD)
    rep.save()
    lead = make_lead(
        rep,
        first_name="Lou",
        last_name="Lead",
        company="Leadco GmbH",
        job_title="Head of Sales Ops",
        email="lou@leadco.example",
        source=value("lead_source", "webinar"),
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(rep.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    screenshot("sales-flow-01-my-day")

    # Qualify: answers save as they are chosen, then the status.
    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    page.get_by_label("Budget: how much have they set aside per year?").select_option(
        label="50,000 to 250,000"
    )
    page.wait_for_selector('#completeness-bar[value="10"]')
    page.get_by_label("Decision timeline: when will they decide?").select_option(label="90 days")
    page.wait_for_selector('#completeness-bar[value="20"]')
    page.get_by_label("Status", exact=True).select_option(label="Qualified")
    page.get_by_role("button", name="Set status").click()
    page.wait_for_selector("text=Status set to Qualified.")
    screenshot("sales-flow-02-qualified-lead")

    # Convert: account, contact and opportunity in one step; amount and forecast date required.
    page.get_by_role("link", name="Convert").click()
    page.wait_for_url(f"{live_server.url}/leads/{lead.pk}/convert/")
    page.get_by_label("Amount").fill("48000")
    page.get_by_label("Forecast close date").fill("2027-03-31")
    screenshot("sales-flow-03-convert")
    page.get_by_role("button", name="Convert").click()
    page.wait_for_url(re.compile(r".*/opportunities/\d+/$"))
    lead = Lead.objects.get(pk=lead.pk)
    opportunity = lead.converted_opportunity
    assert opportunity is not None
    assert lead.converted_account is not None
    assert lead.converted_contact is not None
    screenshot("sales-flow-04-opportunity")

    # A stage gate: winning straight away is refused, naming what is missing.
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/move/")
    page.get_by_label("Move to").select_option(label="Closed won")
    gates = page.locator(".gate-list")
    gates.wait_for()
    assert "Complete the step “Research the account” (Prospecting)" in gates.inner_text()
    screenshot("sales-flow-05-stage-gate")
    page.get_by_role("button", name="Move").click()
    page.locator(".gate-list").wait_for()
    assert Opportunity.objects.get(pk=opportunity.pk).stage.key == "prospecting"
    # The refused move answers 400 (the form with its gates), which the browser logs; that is
    # the one error expected on this walk.
    assert [e for e in browser_problems.console_errors if "400" in e] == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    browser_problems.console_errors.clear()

    # Walk the methodology: each done step prompts the next; then move on to the next stage.
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    shots = 0
    while True:
        prompts = _complete_open_steps(page)
        assert prompts, "every stage of the walk has steps to do"
        assert prompts[-1].startswith("All steps done")
        assert all(p.startswith("Next: ") for p in prompts[:-1])
        if shots == 0:
            screenshot("sales-flow-06-next-step-prompt")
        shots += 1
        current = Opportunity.objects.select_related("stage").get(pk=opportunity.pk).stage
        if current.key == "negotiation":
            break
        page.get_by_role("link", name=re.compile(r"^Move to ")).last.click()
        page.wait_for_url(re.compile(r".*/move/\?stage=\d+$"))
        page.get_by_role("button", name="Move").click()
        page.wait_for_url(f"{live_server.url}/opportunities/{opportunity.pk}/")
    screenshot("sales-flow-07-negotiation")

    # Win.
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/move/")
    page.get_by_label("Move to").select_option(label="Closed won")
    page.wait_for_selector("text=Nothing stands in the way of Closed won.")
    page.get_by_role("button", name="Move").click()
    page.wait_for_url(f"{live_server.url}/opportunities/{opportunity.pk}/")
    won = Opportunity.objects.select_related("stage").get(pk=opportunity.pk)
    assert won.stage.kind == "won"
    assert won.closed_at is not None
    assert StageChange.objects.filter(opportunity=won).count() == 6
    screenshot("sales-flow-08-won")

    # The order.
    page.get_by_role("button", name="Create order").click()
    page.wait_for_url(re.compile(r".*/orders/\d+/$"))
    order = Order.objects.get(opportunity=won)
    assert order.total_amount == won.amount
    assert order.account_id == lead.converted_account_id
    screenshot("sales-flow-09-order")

    # The account's 360 shows it all.
    page.goto(f"{live_server.url}/accounts/{lead.converted_account_id}/")
    timeline = page.locator(".timeline, #timeline, [data-timeline]").first
    timeline.wait_for()
    screenshot("sales-flow-10-account-360")
    _no_problems(page, browser_problems)
