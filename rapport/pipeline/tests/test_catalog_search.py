"""The search box finds products by name or code and orders by number, as the searcher may see."""

from __future__ import annotations

import pytest

from rapport.core.search import search
from rapport.pipeline import catalog
from rapport.pipeline.catalog import search_products
from rapport.pipeline.orders import search_orders
from rapport.pipeline.tests.matrix_specs_catalog import make_order, make_product, picklist_value

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    catalog.register()


def test_products_are_found_by_name_or_code(rep):
    make_product(
        name="Analytics licence", code="AN-100", family=picklist_value("product_family", "software")
    )
    make_product(name="Laptop", code="HW-7")
    assert [h.title for h in search_products(rep, "analytics", 5)] == ["Analytics licence"]
    [hit] = search_products(rep, "hw-7", 5)
    assert hit.title == "Laptop"
    assert hit.url.startswith("/products/")
    [licence] = search_products(rep, "licence an-100", 5)
    assert licence.subtitle == "AN-100 · Software licences"


def test_orders_are_found_by_number_or_by_its_digits(rep):
    order = make_order(rep)
    order.number = f"ORD-{order.pk:06d}"
    order.save(update_fields=["number"])
    assert [h.record_id for h in search_orders(rep, order.number.lower(), 5)] == [order.pk]
    assert [h.record_id for h in search_orders(rep, str(order.pk), 5)] == [order.pk]
    assert search_orders(rep, "ORD-999999", 5) == []


def test_orders_out_of_sight_are_not_found(rep, make_user):
    order = make_order(make_user(role="sales_rep"))
    order.number = f"ORD-{order.pk:06d}"
    order.save(update_fields=["number"])
    assert search_orders(rep, order.number, 5) == []


def test_the_search_box_asks_the_catalog_too(rep):
    make_product(name="Analytics licence", code="AN-100")
    kinds = {hit.kind for hit in search(user=rep, query="Analytics")}
    assert "product" in kinds


def test_the_search_page_shows_products_and_orders(client, rep):
    product = make_product(name="Analytics licence", code="AN-100")
    order = make_order(rep)
    order.number = f"ORD-{order.pk:06d}"
    order.save(update_fields=["number"])
    client.force_login(rep)
    page = client.get("/search/", {"q": "Analytics"}).content.decode()
    assert f"/products/{product.pk}/" in page
    page = client.get("/search/", {"q": order.number}).content.decode()
    assert f"/orders/{order.pk}/" in page
