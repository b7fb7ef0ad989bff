"""In a browser: an administrator sets up a product and its price; a rep puts it on a deal through
the products card, wins the deal, creates the order and confirms it. No CSP violation, no
console error, screenshots of each step."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from rapport.access.models import Role, User
from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import ensure_standard_roles
from rapport.core.picklists import picklists_ensure_defaults
from rapport.pipeline.models import Opportunity, Order, PriceListEntry, Product
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity, stage
from rapport.web.tests.browser import conftest as browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-catalog-passphrase"

# The browser fixtures live beside the shell's browser tests; this module borrows them.
chromium = browser.chromium
page = browser.page
screenshot = browser.screenshot
browser_problems = browser.browser_problems


def _sign_in(tab, live_server, user):
    tab.goto(f"{live_server.url}/login/")
    tab.get_by_label("E-mail").fill(user.email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{live_server.url}/")


def test_from_product_to_confirmed_order(live_server, chromium, page, screenshot, browser_problems):
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
    csp: list[str] = []

    def check(on_page, name):
        csp.extend(on_page.evaluate("window.__cspViolations || []"))
        screenshot_of(on_page, name)

    def screenshot_of(on_page, name):
        if on_page is page:
            screenshot(name)
        else:
            on_page.screenshot(path=f"test-artifacts/screenshots/{name}.png", full_page=True)

    # The administrator adds a product and a default EUR price list with its price.
    _sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("Name").fill("Analytics licence")
    page.get_by_label("Code").fill("AN-100")
    page.get_by_role("button", name="Create product").click()
    product = Product.objects.get(code="AN-100")
    page.wait_for_url(re.compile(rf"/products/{product.pk}/$"))
    check(page, "catalog-01-product")

    page.goto(f"{live_server.url}/price-lists/new/")
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
    check(page, "catalog-02-price-list")

    # The rep puts three licences on the deal, at the list price less 10 %.
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    rep_page = context.new_page()
    rep_page.on(
        "console",
        lambda msg: (
            browser_problems.console_errors.append(msg.text) if msg.type == "error" else None
        ),
    )
    rep_page.on("pageerror", lambda error: browser_problems.page_errors.append(str(error)))
    rep_page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    _sign_in(rep_page, live_server, rep)
    rep_page.goto(f"{live_server.url}/opportunities/{deal.pk}/")
    card = rep_page.locator("#opportunity-lines")
    card.get_by_role("link", name="Add product").click()
    card.get_by_label("Product").select_option(label=str(product))
    card.get_by_label("Quantity").fill("3")
    card.get_by_label("Discount %").fill("10")
    check(rep_page, "catalog-03-add-line-form")
    card.get_by_role("button", name="Add to opportunity").click()
    rep_page.locator("#opportunity-lines tfoot").get_by_text("3240.00").wait_for()
    assert Opportunity.objects.get(pk=deal.pk).amount == Decimal("3240.00")
    check(rep_page, "catalog-04-deal-with-line")

    # Won: the order card offers the order; it opens as a draft, then is confirmed.
    Opportunity.objects.filter(pk=deal.pk).update(stage=stage("won"))
    rep_page.goto(f"{live_server.url}/opportunities/{deal.pk}/")
    check(rep_page, "catalog-05-won-deal")
    rep_page.get_by_role("button", name="Create order").click()
    order = Order.objects.get(opportunity_id=deal.pk)
    rep_page.wait_for_url(re.compile(rf"/orders/{order.pk}/$"))
    assert order.number in rep_page.locator("h1").inner_text()
    assert "3240.00" in rep_page.locator("main").inner_text()
    check(rep_page, "catalog-06-draft-order")
    rep_page.get_by_label("New status").select_option(label="Confirmed")
    rep_page.get_by_role("button", name="Change status").click()
    rep_page.locator(".messages").get_by_text("is now Confirmed").wait_for()
    assert Order.objects.get(pk=order.pk).status.key == "confirmed"
    check(rep_page, "catalog-07-confirmed-order")
    rep_page.goto(f"{live_server.url}/orders/")
    rep_page.get_by_role("link", name=order.number).wait_for()
    check(rep_page, "catalog-08-orders")
    context.close()

    assert csp == []
    assert browser_problems.page_errors == []
    assert browser_problems.console_errors == []
