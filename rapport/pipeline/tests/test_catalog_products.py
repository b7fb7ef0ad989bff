"""Products: written by administrators, read by everyone, deleted into the recycle bin."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.core.models import AuditEntry
from rapport.pipeline.catalog import product_create, product_delete, product_update
from rapport.pipeline.models import Product
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_price_list,
    make_product,
    picklist_value,
    set_price,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_administrator_creates_changes_and_deletes_a_product_audited(admin_user):
    product = product_create(
        acting_user=admin_user,
        values={
            "name": "Widget",
            "code": "W-1",
            "family": picklist_value("product_family", "hardware"),
        },
    )
    product_update(acting_user=admin_user, product=product, values={"name": "Widget Pro"})
    product_delete(acting_user=admin_user, product=product)
    assert Product.all_objects.get(pk=product.pk).is_deleted
    assert not Product.objects.filter(pk=product.pk).exists()
    actions = list(
        AuditEntry.objects.for_record("product", product.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_a_rep_may_not_change_products(rep):
    product = make_product(name="Widget")
    with pytest.raises(PermissionDenied):
        product_update(acting_user=rep, product=product, values={"name": "Mine"})
    with pytest.raises(PermissionDenied):
        product_delete(acting_user=rep, product=product)
    assert Product.objects.get(pk=product.pk).name == "Widget"


def test_the_product_page_shows_its_prices_on_every_list(client, rep):
    product = make_product(name="Widget")
    set_price(make_price_list(name="Standard EUR", is_default=True), product, "100.00")
    set_price(make_price_list(name="Standard USD", currency="USD"), product, "110.00")
    client.force_login(rep)
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert "Standard EUR" in page
    assert "100.00 EUR" in page
    assert "110.00 USD" in page
    assert f"/products/{product.pk}/edit/" not in page  # a rep only reads


def test_the_product_list_filters_by_family_and_active(client, rep):
    make_product(name="Laptop", family=picklist_value("product_family", "hardware"))
    make_product(name="Licence", family=picklist_value("product_family", "software"))
    make_product(name="Old licence", is_active=False)
    client.force_login(rep)

    def names(query):
        html = client.get(f"/products/?{query}").content.decode()
        return {name for name in ("Laptop", "Licence", "Old licence") if f">{name}<" in html}

    assert names("") == {"Laptop", "Licence", "Old licence"}
    family = picklist_value("product_family", "hardware").pk
    assert names(f"family={family}") == {"Laptop"}
    assert names("is_active=false") == {"Old licence"}
    assert names("q=licence") == {"Licence", "Old licence"}


def test_the_api_filters_products_by_family_key(rep):
    make_product(name="Laptop", family=picklist_value("product_family", "hardware"))
    make_product(name="Licence", family=picklist_value("product_family", "software"))
    body = _client(rep).get("/api/v1/products/?family=hardware").json()
    assert [row["name"] for row in body["results"]] == ["Laptop"]
    assert body["results"][0]["family"] == "hardware"


def test_a_rep_gets_403_writing_products_through_the_api_and_nothing_changes(rep):
    product = make_product(name="Widget")
    client = _client(rep)
    assert (
        client.patch(f"/api/v1/products/{product.pk}/", {"name": "X"}, format="json").status_code
        == 403
    )
    assert client.delete(f"/api/v1/products/{product.pk}/").status_code == 403
    assert (
        client.post("/api/v1/products/", {"name": "N", "code": "N"}, format="json").status_code
        == 403
    )
    assert list(Product.all_objects.values_list("name", "deleted_at")) == [("Widget", None)]


def test_the_product_list_page_and_api_run_the_same_queries_for_2_or_10(client, admin_user):
    client.force_login(admin_user)
    api = _client(admin_user)
    for _ in range(2):
        make_product(family=picklist_value("product_family", "software"))
    client.get("/products/")
    api.get("/api/v1/products/")
    with CaptureQueriesContext(connection) as page_few:
        assert client.get("/products/").status_code == 200
    with CaptureQueriesContext(connection) as api_few:
        assert len(api.get("/api/v1/products/").json()["results"]) == 2
    for _ in range(8):
        make_product(family=picklist_value("product_family", "hardware"))
    with CaptureQueriesContext(connection) as page_many:
        assert client.get("/products/").status_code == 200
    with CaptureQueriesContext(connection) as api_many:
        assert len(api.get("/api/v1/products/").json()["results"]) == 10
    assert len(page_many) == len(page_few)
    assert len(api_many) == len(api_few)


def test_the_price_list_list_runs_the_same_queries_for_2_or_10(client, admin_user):
    client.force_login(admin_user)
    api = _client(admin_user)
    for _ in range(2):
        make_price_list()
    client.get("/price-lists/")
    api.get("/api/v1/price-lists/")
    with CaptureQueriesContext(connection) as page_few:
        assert client.get("/price-lists/").status_code == 200
    with CaptureQueriesContext(connection) as api_few:
        assert api.get("/api/v1/price-lists/").status_code == 200
    for _ in range(8):
        make_price_list(currency="USD")
    with CaptureQueriesContext(connection) as page_many:
        assert client.get("/price-lists/").status_code == 200
    with CaptureQueriesContext(connection) as api_many:
        assert len(api.get("/api/v1/price-lists/").json()["results"]) == 10
    assert len(page_many) == len(page_few)
    assert len(api_many) == len(api_few)


def test_the_product_page_runs_the_same_queries_for_1_or_6_prices(client, admin_user):
    product = make_product()
    set_price(make_price_list(), product, "1.00")
    client.force_login(admin_user)
    client.get(f"/products/{product.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/products/{product.pk}/").status_code == 200
    for currency in ("USD", "GBP", "CHF", "EUR", "EUR"):
        set_price(make_price_list(currency=currency), product, "2.00")
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/products/{product.pk}/").status_code == 200
    assert len(many) == len(few)
