"""Orders through the API: /orders/ and POST /opportunities/{id}/order/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.pipeline.catalog import line_item_add
from rapport.pipeline.models import Order
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_account,
    make_opportunity,
    make_order,
    make_product,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_won_deal_becomes_its_order_through_the_api(rep):
    won = make_opportunity(rep, kind="won")
    line_item_add(
        acting_user=rep, opportunity=won, product=make_product(), quantity=4, unit_price=25
    )
    response = _client(rep).post(f"/api/v1/opportunities/{won.pk}/order/")
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(opportunity=won)
    assert body["number"] == order.number == f"ORD-{order.pk:06d}"
    assert body["status"] == "draft"
    assert body["total_amount"] == "100.00"
    assert [line["total"] for line in body["lines"]] == ["100.00"]


def test_ordering_twice_is_a_400_naming_the_existing_order(rep):
    won = make_opportunity(rep, kind="won", amount=Decimal("10"))
    client = _client(rep)
    first = client.post(f"/api/v1/opportunities/{won.pk}/order/").json()
    again = client.post(f"/api/v1/opportunities/{won.pk}/order/")
    assert again.status_code == 400
    assert first["number"] in again.json()["error"]["fields"]["opportunity"][0]
    assert Order.objects.count() == 1


def test_an_open_deal_is_a_400_and_no_order(rep):
    deal = make_opportunity(rep, kind="open", amount=Decimal("10"))
    response = _client(rep).post(f"/api/v1/opportunities/{deal.pk}/order/")
    assert response.status_code == 400
    assert "opportunity" in response.json()["error"]["fields"]
    assert not Order.all_objects.exists()


def test_another_reps_deal_answers_404_and_no_order(rep, make_user):
    won = make_opportunity(rep, kind="won", amount=Decimal("10"))
    response = _client(make_user(role="sales_rep")).post(f"/api/v1/opportunities/{won.pk}/order/")
    assert response.status_code == 404
    assert not Order.all_objects.exists()


def test_a_reader_of_deals_gets_403_and_no_order(rep, make_user):
    won = make_opportunity(rep, kind="won", amount=Decimal("10"))
    response = _client(make_user(role="executive")).post(f"/api/v1/opportunities/{won.pk}/order/")
    assert response.status_code == 403
    assert not Order.all_objects.exists()


def test_a_rep_cannot_enter_an_order_directly(rep):
    response = _client(rep).post(
        "/api/v1/orders/", {"account": make_account(rep).pk, "currency": "EUR"}, format="json"
    )
    assert response.status_code == 403
    assert not Order.all_objects.exists()


def test_an_administrator_enters_an_order_directly_numbered_and_draft(admin_user):
    response = _client(admin_user).post(
        "/api/v1/orders/",
        {"account": make_account(admin_user).pk, "currency": "EUR", "total_amount": "99.00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"ORD-{body['id']:06d}"
    assert body["status"] == "draft"
    assert body["owner"] == admin_user.pk
    assert body["opportunity"] is None


def test_the_status_changes_by_key_and_the_number_does_not(rep):
    order = make_order(rep)
    response = _client(rep).patch(
        f"/api/v1/orders/{order.pk}/", {"status": "confirmed", "number": "X-1"}, format="json"
    )
    assert response.status_code == 200, response.content
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status.key == "confirmed"
    assert fresh.number == order.number


def test_the_list_filters_by_status_and_runs_the_same_queries_for_2_or_10(admin_user):
    client = _client(admin_user)
    for _ in range(2):
        make_order(admin_user)
    client.get("/api/v1/orders/")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/orders/").json()["results"]) == 2
    for _ in range(8):
        make_order(admin_user)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/orders/").json()["results"]) == 10
    assert len(many) == len(few)
    assert client.get("/api/v1/orders/?status=confirmed").json()["results"] == []


def test_whoever_may_not_see_the_total_sees_no_line_prices(rep, admin_user):
    from rapport.access.models import Role
    from rapport.access.permissions import field_permission_set

    won = make_opportunity(rep, kind="won")
    line_item_add(
        acting_user=rep, opportunity=won, product=make_product(), quantity=1, unit_price="4321.00"
    )
    order = _client(rep).post(f"/api/v1/opportunities/{won.pk}/order/").json()
    field_permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="sales_rep"),
        record_type="order",
        field_name="total_amount",
        access="hidden",
    )
    body = _client(rep).get(f"/api/v1/orders/{order['id']}/").json()
    assert "total_amount" not in body
    assert "4321" not in str(body)
    assert body["lines"][0]["quantity"] == "1.00"
