"""A rep drags a deal on the board: refused by a gate it snaps back and says why; after the
step is done on the deal's page (seeing the next-step prompt), the same drag moves it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rapport.access.models import Role, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles
from rapport.core.picklists import picklists_ensure_defaults
from rapport.customers.models import Account
from rapport.pipeline import services
from rapport.pipeline.defaults import stages_ensure_defaults
from rapport.pipeline.models import Opportunity, Stage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-board-passphrase"


def _drag(page: Any, card: str, column: str) -> None:
    page.locator(card).drag_to(page.locator(column))


def test_a_rep_drags_a_deal_through_the_gates(live_server, page, screenshot, browser_problems):
    ensure_standard_roles(Role)
    permissions_ensure_defaults()
    picklists_ensure_defaults()
    stages_ensure_defaults()
    rep = User.objects.create_user(
        email="rita@example.com",
        password=PASSWORD,
        first_name="Rita",
        last_name="Rep",
        role=Role.objects.get(key="sales_rep"),
    )
    account = Account.objects.create(name="Acme GmbH", owner=rep)
    deal = services.opportunity_create(
        acting_user=rep,
        values={"name": "Acme rollout", "account": account, "amount": Decimal(48000)},
    )
    services.opportunity_create(
        acting_user=rep,
        values={"name": "Globex pilot", "account": account, "amount": Decimal(9000)},
    )
    discovery = Stage.objects.get(key="discovery")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(rep.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_role("link", name="Acme rollout").wait_for()
    screenshot("pipeline-opportunity-list")
    page.goto(f"{live_server.url}/opportunities/new/")
    screenshot("pipeline-opportunity-new")

    page.goto(f"{live_server.url}/pipeline/board/")
    screenshot("pipeline-board")
    _drag(page, f"#card-{deal.pk}", f'[data-stage="{discovery.pk}"] .board-cards')
    status = page.locator("#board-status")
    status.wait_for(state="visible")
    assert "cannot move to Discovery yet" in status.inner_text()
    assert "Research the account" in status.inner_text()
    # The card snapped back to its column.
    assert page.locator(f'[data-stage="{deal.stage_id}"] #card-{deal.pk}').count() == 1
    screenshot("pipeline-board-refused")
    assert Opportunity.objects.get(pk=deal.pk).stage_id == deal.stage_id

    page.goto(f"{live_server.url}/opportunities/{deal.pk}/")
    screenshot("pipeline-opportunity")
    page.locator("#opportunity-steps").get_by_role("button", name="Done").click()
    page.get_by_text("All steps done — move to Discovery.").first.wait_for()
    # The timeline reloads: the step's task is done, so nothing is left under "Next up".
    page.locator("#opportunity-timeline .timeline-next").wait_for(state="detached")
    screenshot("pipeline-opportunity-steps-done")

    page.goto(f"{live_server.url}/pipeline/board/")
    _drag(page, f"#card-{deal.pk}", f'[data-stage="{discovery.pk}"] .board-cards')
    page.get_by_text("“Acme rollout” moved to Discovery.").wait_for()
    assert page.locator(f'[data-stage="{discovery.pk}"] #card-{deal.pk}').count() == 1
    screenshot("pipeline-board-moved")
    assert Opportunity.objects.get(pk=deal.pk).stage == discovery

    page.goto(
        f"{live_server.url}/opportunities/{deal.pk}/move/?stage={Stage.objects.get(key='proposal').pk}"
    )
    page.get_by_text("Before moving to Proposal").wait_for()
    screenshot("pipeline-move-gates")

    csp = page.evaluate("window.__cspViolations || []")
    assert csp == []
    assert browser_problems.page_errors == []
    # The refused drop answers 400 on purpose (the browser logs it); nothing else may fail.
    assert [e for e in browser_problems.console_errors if "status of 400" not in e] == []
