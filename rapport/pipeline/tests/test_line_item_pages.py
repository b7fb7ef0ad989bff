"""The products card of an opportunity: HTMX add, change and remove, and who may use it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from rapport.pipeline.catalog import line_item_add
from rapport.pipeline.models import LineItem, Opportunity
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_opportunity,
    make_price_list,
    make_product,
    set_price,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_card_renders_with_only_the_opportunity_and_can_edit(rep):
    opportunity = make_opportunity(rep)
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=make_product(name="Widget"),
        quantity=2,
        unit_price=10,
    )
    html = render_to_string(
        "pipeline/catalog/_opportunity_lines.html",
        {"opportunity": opportunity, "can_edit": True},
    )
    assert "Widget" in html
    assert "20.00" in html
    assert f"/opportunities/{opportunity.pk}/lines/add/" in html
    read_only = render_to_string(
        "pipeline/catalog/_opportunity_lines.html",
        {"opportunity": opportunity, "can_edit": False},
    )
    assert "Widget" in read_only
    assert "/lines/add/" not in read_only
    assert "/remove/" not in read_only


def test_the_add_form_comes_back_into_the_card(client, rep):
    opportunity = make_opportunity(rep)
    make_product(name="Widget")
    client.force_login(rep)
    response = client.get(f"/opportunities/{opportunity.pk}/lines/add/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="opportunity-lines"' in html
    assert "<html" not in html
    assert "Widget" in html  # offered in the product choice
    assert "Leave empty to use the price" in html


def test_adding_a_product_answers_with_the_card_and_the_new_amount(client, rep):
    product = make_product(name="Widget")
    set_price(make_price_list(is_default=True), product, "40.00")
    opportunity = make_opportunity(rep)
    client.force_login(rep)

    response = client.post(
        f"/opportunities/{opportunity.pk}/lines/add/",
        {"product": product.pk, "quantity": "3", "unit_price": "", "discount_percent": "0"},
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "opportunity-amount-changed"
    assert "120.00" in response.content.decode()
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("120.00")


def test_a_refused_line_shows_the_reason_in_the_form(client, rep):
    product = make_product(name="Widget")
    opportunity = make_opportunity(rep)
    client.force_login(rep)
    response = client.post(
        f"/opportunities/{opportunity.pk}/lines/add/",
        {"product": product.pk, "quantity": "1", "unit_price": "", "discount_percent": "0"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert "enter a unit price" in html
    assert not LineItem.objects.exists()


def test_without_htmx_a_refused_line_is_a_400_page(client, rep):
    opportunity = make_opportunity(rep)
    client.force_login(rep)
    response = client.post(
        f"/opportunities/{opportunity.pk}/lines/add/",
        {"product": make_product().pk, "quantity": "1", "discount_percent": "0"},
    )
    assert response.status_code == 400
    assert "<html" in response.content.decode()


def test_a_line_is_changed_and_removed_in_place(client, rep):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    client.force_login(rep)

    form = client.get(f"/line-items/{line.pk}/edit/", **HTMX).content.decode()
    assert 'name="quantity"' in form
    assert 'name="product"' not in form

    changed = client.post(
        f"/line-items/{line.pk}/edit/",
        {"quantity": "2", "unit_price": "15", "discount_percent": "0"},
        **HTMX,
    )
    assert changed.status_code == 200
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("30.00")

    removed = client.post(f"/line-items/{line.pk}/remove/")
    assert removed.status_code == 302
    assert removed["Location"] == f"/opportunities/{opportunity.pk}/lines/"
    assert not LineItem.objects.exists()


def test_another_rep_gets_404_and_nothing_changes(client, rep, make_user):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    client.force_login(make_user(role="sales_rep"))
    before = list(LineItem.objects.values())

    assert client.get(f"/opportunities/{opportunity.pk}/lines/").status_code == 404
    added = client.post(
        f"/opportunities/{opportunity.pk}/lines/add/",
        {"product": make_product().pk, "quantity": "1", "unit_price": "1", "discount_percent": "0"},
    )
    assert added.status_code == 404
    edited = client.post(
        f"/line-items/{line.pk}/edit/",
        {"quantity": "9", "unit_price": "1", "discount_percent": "0"},
    )
    assert edited.status_code == 404
    assert client.post(f"/line-items/{line.pk}/remove/").status_code == 404

    assert list(LineItem.objects.values()) == before


def test_a_reader_sees_the_lines_page_without_controls_and_may_not_post(client, rep, make_user):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    client.force_login(make_user(role="executive"))
    before = list(LineItem.objects.values())

    page = client.get(f"/opportunities/{opportunity.pk}/lines/")
    assert page.status_code == 200
    assert "/remove/" not in page.content.decode()
    assert client.post(f"/line-items/{line.pk}/remove/").status_code == 403
    assert list(LineItem.objects.values()) == before


def test_whoever_may_not_see_the_amount_sees_no_line_prices(client, rep, admin_user, make_user):
    from rapport.access.models import Role
    from rapport.access.permissions import field_permission_set

    opportunity = make_opportunity(rep)
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=make_product(name="Widget"),
        quantity=1,
        unit_price="1234.56",
    )
    field_permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="executive"),
        record_type="opportunity",
        field_name="amount",
        access="hidden",
    )
    client.force_login(make_user(role="executive"))
    page = client.get(f"/opportunities/{opportunity.pk}/lines/").content.decode()
    assert "Widget" in page
    assert "1234.56" not in page


def test_the_card_leaves_prices_out_when_the_pages_hidden_fields_include_the_amount(rep):
    opportunity = make_opportunity(rep)
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=make_product(name="Widget"),
        quantity=1,
        unit_price="1234.56",
    )
    html = render_to_string(
        "pipeline/catalog/_opportunity_lines.html",
        {"opportunity": opportunity, "can_edit": False, "hidden": frozenset({"amount"})},
    )
    assert "Widget" in html
    assert "1234.56" not in html


def test_the_opportunity_page_shows_the_products_and_order_cards(client, rep):
    opportunity = make_opportunity(rep, kind="won")
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=make_product(name="Widget"),
        quantity=2,
        unit_price="7.50",
    )
    client.force_login(rep)
    page = client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert 'id="opportunity-lines"' in page
    assert "Widget" in page
    assert "15.00" in page
    assert f'action="/opportunities/{opportunity.pk}/order/"' in page


def test_once_ordered_the_card_offers_no_changes_and_posts_are_refused(client, rep):
    from rapport.pipeline.orders import order_create_from_opportunity

    won = make_opportunity(rep, kind="won")
    line = line_item_add(
        acting_user=rep, opportunity=won, product=make_product(), quantity=1, unit_price=10
    )
    order_create_from_opportunity(acting_user=rep, opportunity=won)
    client.force_login(rep)
    before = list(LineItem.objects.values())

    page = client.get(f"/opportunities/{won.pk}/lines/").content.decode()
    assert "/lines/add/" not in page
    refused = client.post(
        f"/line-items/{line.pk}/edit/",
        {"quantity": "9", "unit_price": "1", "discount_percent": "0"},
    )
    assert refused.status_code == 403
    assert list(LineItem.objects.values()) == before


def test_the_lines_page_runs_the_same_queries_for_1_or_8_lines(client, rep):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opportunity = make_opportunity(rep)

    def add(count):
        for _ in range(count):
            line_item_add(
                acting_user=rep,
                opportunity=opportunity,
                product=make_product(),
                quantity=1,
                unit_price=1,
            )

    add(1)
    client.force_login(rep)
    url = f"/opportunities/{opportunity.pk}/lines/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(7)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_card_offers_no_changes_once_the_deal_is_ordered_even_if_told_it_may(rep):
    from rapport.pipeline.models import Opportunity
    from rapport.pipeline.orders import order_create_from_opportunity

    won = make_opportunity(rep, kind="won")
    line_item_add(
        acting_user=rep, opportunity=won, product=make_product(), quantity=1, unit_price=1
    )
    order_create_from_opportunity(acting_user=rep, opportunity=won)
    html = render_to_string(
        "pipeline/catalog/_opportunity_lines.html",
        {"opportunity": Opportunity.objects.get(pk=won.pk), "can_edit": True},
    )
    assert "/lines/add/" not in html
    assert "/remove/" not in html
