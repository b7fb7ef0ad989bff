"""Order pages: the list, an order's page, its status, and the card on the opportunity."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from rapport.pipeline.catalog import line_item_add
from rapport.pipeline.models import Order, OrderLine
from rapport.pipeline.orders import order_create_from_opportunity
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_opportunity,
    make_order,
    make_product,
    picklist_value,
)

pytestmark = pytest.mark.django_db


def test_the_opportunity_card_offers_create_order_on_a_won_deal_only(rep):
    won = make_opportunity(rep, kind="won", amount=Decimal("10"))
    open_deal = make_opportunity(rep, kind="open")
    card = render_to_string(
        "pipeline/orders/_opportunity_order.html", {"opportunity": won, "can_edit": True}
    )
    assert f'action="/opportunities/{won.pk}/order/"' in card
    assert "Create order" in card
    reader = render_to_string(
        "pipeline/orders/_opportunity_order.html", {"opportunity": won, "can_edit": False}
    )
    assert "Create order" not in reader
    waiting = render_to_string(
        "pipeline/orders/_opportunity_order.html", {"opportunity": open_deal, "can_edit": True}
    )
    assert "Create order" not in waiting
    assert "once the deal is won" in waiting


def test_the_card_shows_the_order_once_there_is_one(rep):
    won = make_opportunity(rep, kind="won", amount=Decimal("10"))
    order = order_create_from_opportunity(acting_user=rep, opportunity=won)
    card = render_to_string(
        "pipeline/orders/_opportunity_order.html", {"opportunity": won, "can_edit": True}
    )
    assert order.number in card
    assert f"/orders/{order.pk}/" in card
    assert "Create order" not in card


def test_create_order_posts_and_lands_on_the_order(client, rep):
    won = make_opportunity(rep, kind="won")
    line_item_add(
        acting_user=rep, opportunity=won, product=make_product(), quantity=2, unit_price=5
    )
    client.force_login(rep)
    response = client.post(f"/opportunities/{won.pk}/order/")
    order = Order.objects.get(opportunity=won)
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert order.number in page
    assert "10.00" in page


def test_a_refused_order_goes_back_to_the_opportunity_with_the_reason(client, rep):
    open_deal = make_opportunity(rep, kind="open", amount=Decimal("10"))
    client.force_login(rep)
    response = client.post(f"/opportunities/{open_deal.pk}/order/", follow=False)
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{open_deal.pk}/"
    assert not Order.all_objects.exists()


def test_another_rep_cannot_create_the_order(client, rep, make_user):
    won = make_opportunity(rep, kind="won", amount=Decimal("10"))
    client.force_login(make_user(role="sales_rep"))
    assert client.post(f"/opportunities/{won.pk}/order/").status_code == 404
    assert not Order.all_objects.exists()


def test_the_status_changes_from_the_order_page(client, rep):
    order = make_order(rep)
    confirmed = picklist_value("order_status", "confirmed")
    client.force_login(rep)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "Change status" in page
    assert "Confirmed with the customer." in page  # the value's definition as help
    response = client.post(f"/orders/{order.pk}/status/", {"status": confirmed.pk})
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == confirmed


def test_a_reader_sees_the_order_without_the_status_form_and_may_not_post(client, rep, make_user):
    order = make_order(rep)
    client.force_login(make_user(role="executive"))
    page = client.get(f"/orders/{order.pk}/")
    assert page.status_code == 200
    assert "Change status" not in page.content.decode()
    response = client.post(
        f"/orders/{order.pk}/status/", {"status": picklist_value("order_status", "confirmed").pk}
    )
    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).status.key == "draft"


def test_the_list_filters_by_status_owner_and_date(client, admin_user, make_user):
    rita, sam = make_user(role="sales_rep"), make_user(role="sales_rep")
    old = make_order(rita)
    Order.objects.filter(pk=old.pk).update(order_date=datetime.date(2025, 1, 10))
    confirmed = make_order(sam)
    Order.objects.filter(pk=confirmed.pk).update(status=picklist_value("order_status", "confirmed"))
    client.force_login(admin_user)

    def numbers(query):
        html = client.get(f"/orders/?{query}").content.decode()
        return {o.number for o in (old, confirmed) if o.number in html}

    assert numbers("") == {old.number, confirmed.number}
    assert numbers(f"status={picklist_value('order_status', 'confirmed').pk}") == {confirmed.number}
    assert numbers(f"owner={rita.pk}") == {old.number}
    assert numbers("ordered_to=2025-12-31") == {old.number}
    assert numbers("ordered_from=2026-01-01") == {confirmed.number}


def test_a_rep_lists_only_their_own_orders(client, rep, make_user):
    mine, theirs = make_order(rep), make_order(make_user(role="sales_rep"))
    client.force_login(rep)
    html = client.get("/orders/").content.decode()
    assert mine.number in html
    assert theirs.number not in html


def test_the_order_list_runs_the_same_queries_for_2_or_10_orders(client, admin_user):
    client.force_login(admin_user)
    for _ in range(2):
        make_order(admin_user)
    client.get("/orders/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/orders/").status_code == 200
    for _ in range(8):
        make_order(admin_user)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/orders/").status_code == 200
    assert len(many) == len(few)


def test_the_order_page_runs_the_same_queries_for_1_or_8_lines(client, rep):
    def order_with(lines):
        won = make_opportunity(rep, kind="won")
        for _ in range(lines):
            line_item_add(
                acting_user=rep, opportunity=won, product=make_product(), quantity=1, unit_price=1
            )
        return order_create_from_opportunity(acting_user=rep, opportunity=won)

    small, big = order_with(1), order_with(8)
    assert OrderLine.objects.filter(order=big).count() == 8
    client.force_login(rep)
    client.get(f"/orders/{small.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/orders/{small.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/orders/{big.pk}/").status_code == 200
    assert len(many) == len(few)


def test_the_order_page_hides_line_prices_with_the_total(client, rep, admin_user):
    from rapport.access.models import Role
    from rapport.access.permissions import field_permission_set

    won = make_opportunity(rep, kind="won")
    line_item_add(
        acting_user=rep,
        opportunity=won,
        product=make_product(name="Widget"),
        quantity=1,
        unit_price="4321.00",
    )
    order = order_create_from_opportunity(acting_user=rep, opportunity=won)
    field_permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="sales_rep"),
        record_type="order",
        field_name="total_amount",
        access="hidden",
    )
    client.force_login(rep)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert "Widget" in page
    assert "4321" not in page
