"""In a browser: an administrator sets up a product and its price; a rep puts it on a deal through
the products card, wins the deal, creates the order and confirms it. No CSP violation, no
console error, screenshots of each step."""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from django.db import connections

from rapport.access.models import Role, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles
from rapport.core.picklists import picklists_ensure_defaults
from rapport.pipeline.models import Opportunity, Order, PriceListEntry, Product
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity, stage
from rapport.web.tests.browser import fixtures as browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-catalog-passphrase"

# Watches a tab for CSP violations (read back after each step), as the shell's browser tests do.
CSP_WATCH = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => "
    "window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
)


class Walk:
    """One Chromium with a tab per person, and what went wrong in them."""

    def __init__(self, chromium, live_server):
        self.chromium = chromium
        self.url = live_server.url
        self.problems = browser.BrowserProblems()
        self.csp: list[str] = []

    def tab_for(self, user):
        context = self.chromium.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
        tab = context.new_page()
        tab.on(
            "console",
            lambda msg: (
                self.problems.console_errors.append(msg.text) if msg.type == "error" else None
            ),
        )
        tab.on("pageerror", lambda error: self.problems.page_errors.append(str(error)))
        tab.add_init_script(CSP_WATCH)
        tab.goto(f"{self.url}/login/")
        tab.get_by_label("E-mail").fill(user.email)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{self.url}/")
        return tab

    def check(self, tab, name):
        self.csp.extend(tab.evaluate("window.__cspViolations || []"))
        browser.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(browser.SCREENSHOTS / f"{name}.png"), full_page=True)


def _walk_through(walk, admin, rep, deal):
    url = walk.url

    # The administrator adds a product and a default EUR price list with its price.
    page = walk.tab_for(admin)
    page.goto(f"{url}/products/new/")
    page.get_by_label("Name").fill("Analytics licence")
    page.get_by_label("Code").fill("AN-100")
    page.get_by_role("button", name="Create product").click()
    product = Product.objects.get(code="AN-100")
    page.wait_for_url(re.compile(rf"/products/{product.pk}/$"))
    walk.check(page, "catalog-01-product")

    page.goto(f"{url}/price-lists/new/")
    page.get_by_label("Name").fill("Standard EUR")
    page.get_by_label("Currency").select_option(label="Euro (EUR)")
    page.get_by_label("Default").check()
    page.get_by_role("button", name="Create price list").click()
    page.wait_for_url(re.compile(r"/price-lists/\d+/$"))
    page.get_by_label("Product").select_option(label=str(product))
    page.get_by_label("Unit price").fill("1200")
    page.get_by_role("button", name="Save price").click()
    page.locator("#price-entries").get_by_role("link", name="Analytics licence").wait_for()
    assert PriceListEntry.objects.get().unit_price == Decimal("1200.00")
    walk.check(page, "catalog-02-price-list")

    # The rep puts three licences on the deal, at the list price less 10 %.
    tab = walk.tab_for(rep)
    tab.goto(f"{url}/opportunities/{deal.pk}/")
    card = tab.locator("#opportunity-lines")
    card.get_by_role("link", name="Add product").click()
    card.get_by_label("Product").select_option(label=str(product))
    card.get_by_label("Quantity").fill("3")
    card.get_by_label("Discount %").fill("10")
    walk.check(tab, "catalog-03-add-line-form")
    card.get_by_role("button", name="Add to opportunity").click()
    tab.locator("#opportunity-lines tfoot").get_by_text("3240.00").wait_for()
    assert Opportunity.objects.get(pk=deal.pk).amount == Decimal("3240.00")
    # The key facts at the top follow without a reload.
    tab.locator("#opportunity-key-facts").get_by_text("3,240.00").wait_for()
    walk.check(tab, "catalog-04-deal-with-line")

    # Won: the order card offers the order; it opens as a draft, then is confirmed.
    Opportunity.objects.filter(pk=deal.pk).update(stage=stage("won"))
    tab.goto(f"{url}/opportunities/{deal.pk}/")
    walk.check(tab, "catalog-05-won-deal")
    tab.get_by_role("button", name="Create order").click()
    tab.wait_for_url(re.compile(r"/orders/\d+/$"))
    order = Order.objects.get(opportunity_id=deal.pk)
    assert order.number in tab.locator("h1").inner_text()
    assert "3240.00" in tab.locator("main").inner_text()
    walk.check(tab, "catalog-06-draft-order")
    tab.get_by_label("New status").select_option(label="Confirmed")
    tab.get_by_role("button", name="Change status").click()
    tab.locator(".messages").get_by_text("is now Confirmed").wait_for()
    assert Order.objects.get(pk=order.pk).status.key == "confirmed"
    walk.check(tab, "catalog-07-confirmed-order")
    tab.goto(f"{url}/orders/")
    tab.get_by_role("link", name=order.number).wait_for()
    walk.check(tab, "catalog-08-orders")


def test_from_product_to_confirmed_order(live_server):
    if not browser.CHROMIUM.exists():
        pytest.skip(f"Browser tests need Chromium at {browser.CHROMIUM}.")
    ensure_standard_roles(Role)
    permissions_ensure_defaults()
    picklists_ensure_defaults()
    admin = User.objects.create_user(
        email="ada@example.com",
        password=PASSWORD,
        first_name="Ada",
        last_name="Admin",
        role=Role.objects.get(key="administrator"),
    )
    rep = User.objects.create_user(
        email="rita@example.com",
        password=PASSWORD,
        first_name="Rita",
        last_name="Rep",
        role=Role.objects.get(key="sales_rep"),
    )
    deal = make_opportunity(rep, name="Acme rollout", kind="open")
    outcome: list[BaseException] = []
    walks: list[Walk] = []

    # Playwright's sync API allows one instance per thread: the shell's and the board's browser
    # tests keep theirs open for the whole session, so this walk runs its own in a thread.
    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS
                )
                walk = Walk(chromium, live_server)
                walks.append(walk)
                try:
                    _walk_through(walk, admin, rep, deal)
                finally:
                    chromium.close()
                    # The walk's queries ran beside Playwright's event loop: close what they
                    # opened there, or PostgreSQL cannot drop the test database.
                    connections.close_all()
        except BaseException as error:
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the browser walk did not finish in 3 minutes"
    if outcome:
        raise outcome[0]
    [walk] = walks
    assert walk.csp == []
    assert walk.problems.page_errors == []
    assert walk.problems.console_errors == []
