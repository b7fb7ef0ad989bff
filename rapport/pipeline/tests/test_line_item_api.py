"""Line items through the API: /opportunities/{id}/line-items/ and /line-items/{id}/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.access.models import Role
from rapport.access.permissions import field_permission_set
from rapport.pipeline.catalog import line_item_add
from rapport.pipeline.models import LineItem, Opportunity
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_opportunity,
    make_price_list,
    make_product,
    set_price,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_rep_adds_a_product_at_the_list_price_and_the_amount_follows(rep):
    product = make_product()
    set_price(make_price_list(is_default=True), product, "250.00")
    opportunity = make_opportunity(rep)

    response = _client(rep).post(
        f"/api/v1/opportunities/{opportunity.pk}/line-items/",
        {"product": product.pk, "quantity": "2", "discount_percent": "10"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_price"] == "250.00"
    assert body["total"] == "450.00"
    assert body["opportunity"] == opportunity.pk
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("450.00")


def test_a_missing_price_is_a_400_naming_unit_price(rep):
    opportunity = make_opportunity(rep)
    response = _client(rep).post(
        f"/api/v1/opportunities/{opportunity.pk}/line-items/",
        {"product": make_product().pk, "quantity": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert "unit_price" in response.json()["error"]["fields"]
    assert not LineItem.objects.exists()


def test_a_line_is_changed_and_removed_by_its_own_address(rep):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    client = _client(rep)

    changed = client.patch(f"/api/v1/line-items/{line.pk}/", {"quantity": "5"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["total"] == "50.00"
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("50.00")

    assert client.delete(f"/api/v1/line-items/{line.pk}/").status_code == 204
    assert not LineItem.objects.exists()


def test_the_product_of_a_line_does_not_change(rep):
    opportunity = make_opportunity(rep)
    product = make_product()
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=product, quantity=1, unit_price=10
    )
    response = _client(rep).patch(
        f"/api/v1/line-items/{line.pk}/", {"product": make_product().pk}, format="json"
    )
    assert response.status_code == 200
    assert LineItem.objects.get(pk=line.pk).product_id == product.pk


def test_another_reps_lines_answer_404_and_stay_as_they_were(rep, make_user):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    client = _client(make_user(role="sales_rep"))
    before = list(LineItem.objects.values())

    assert client.get(f"/api/v1/opportunities/{opportunity.pk}/line-items/").status_code == 404
    assert client.get(f"/api/v1/line-items/{line.pk}/").status_code == 404
    added = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/line-items/",
        {"product": make_product().pk, "quantity": "1", "unit_price": "1"},
        format="json",
    )
    assert added.status_code == 404
    changed = client.patch(f"/api/v1/line-items/{line.pk}/", {"quantity": "9"}, format="json")
    assert changed.status_code == 404
    assert client.delete(f"/api/v1/line-items/{line.pk}/").status_code == 404

    assert list(LineItem.objects.values()) == before
    assert Opportunity.objects.get(pk=opportunity.pk).amount == Decimal("10.00")


def test_a_reader_of_deals_sees_lines_but_may_not_change_them(rep, make_user):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    client = _client(make_user(role="executive"))
    before = list(LineItem.objects.values())

    listed = client.get(f"/api/v1/opportunities/{opportunity.pk}/line-items/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [line.pk]
    changed = client.patch(f"/api/v1/line-items/{line.pk}/", {"quantity": "9"}, format="json")
    assert changed.status_code == 403
    assert changed.json()["error"]["code"] == "permission_denied"
    assert client.delete(f"/api/v1/line-items/{line.pk}/").status_code == 403
    assert list(LineItem.objects.values()) == before


def test_whoever_may_not_see_the_amount_does_not_see_line_prices(rep, admin_user, make_user):
    opportunity = make_opportunity(rep)
    line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=10
    )
    field_permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="executive"),
        record_type="opportunity",
        field_name="amount",
        access="hidden",
    )
    [row] = (
        _client(make_user(role="executive"))
        .get(f"/api/v1/opportunities/{opportunity.pk}/line-items/")
        .json()
    )
    assert "unit_price" not in row
    assert "total" not in row
    assert row["quantity"] == "1.00"


def test_the_line_list_runs_the_same_queries_for_2_or_10_lines(rep):
    opportunity = make_opportunity(rep)
    client = _client(rep)
    url = f"/api/v1/opportunities/{opportunity.pk}/line-items/"

    def add(count):
        for _ in range(count):
            line_item_add(
                acting_user=rep,
                opportunity=opportunity,
                product=make_product(),
                quantity=1,
                unit_price=1,
            )

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()) == 2
    add(8)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 10
    assert len(many) == len(few)
