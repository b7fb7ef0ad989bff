"""Price lists: one default per currency, prices set inline, retiring instead of deleting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.core.models import AuditEntry
from rapport.pipeline.catalog import (
    price_list_create,
    price_list_entry_remove,
    price_list_entry_set,
    price_list_set_active,
    price_list_update,
)
from rapport.pipeline.models import PriceList, PriceListEntry
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_price_list,
    make_product,
    picklist_value,
    set_price,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _defaults(currency):
    return list(
        PriceList.objects.filter(currency__key=currency, is_default=True).values_list(
            "name", flat=True
        )
    )


def test_a_new_default_list_takes_over_from_its_currencys_previous_default(admin_user):
    make_price_list(name="Old EUR", is_default=True)
    make_price_list(name="Standard USD", currency="USD", is_default=True)
    price_list_create(
        acting_user=admin_user,
        values={
            "name": "New EUR",
            "currency": picklist_value("currency", "EUR"),
            "is_default": True,
        },
    )
    assert _defaults("EUR") == ["New EUR"]
    assert _defaults("USD") == ["Standard USD"]
    demoted = PriceList.objects.get(name="Old EUR")
    assert AuditEntry.objects.for_record("price_list", demoted.pk).get().changes == {
        "is_default": {"old": True, "new": False}
    }


def test_making_a_list_the_default_demotes_the_previous_one(admin_user):
    make_price_list(name="Old EUR", is_default=True)
    other = make_price_list(name="Other EUR")
    price_list_update(acting_user=admin_user, price_list=other, values={"is_default": True})
    assert _defaults("EUR") == ["Other EUR"]


def test_the_default_list_cannot_be_retired(admin_user):
    default = make_price_list(is_default=True)
    with pytest.raises(ValidationError) as refused:
        price_list_set_active(acting_user=admin_user, price_list=default, is_active=False)
    assert "is_active" in refused.value.message_dict
    with pytest.raises(ValidationError):
        price_list_update(acting_user=admin_user, price_list=default, values={"is_active": False})
    assert PriceList.objects.get(pk=default.pk).is_active


def test_a_price_is_added_changed_and_removed_each_audited_on_the_list(admin_user):
    price_list = make_price_list()
    product = make_product(name="Widget", code="W-1")
    price_list_entry_set(
        acting_user=admin_user, price_list=price_list, product=product, unit_price=Decimal("10")
    )
    entry = price_list_entry_set(
        acting_user=admin_user, price_list=price_list, product=product, unit_price=Decimal("12")
    )
    assert PriceListEntry.objects.get().unit_price == Decimal("12.00")
    price_list_entry_remove(acting_user=admin_user, entry=entry)
    assert not PriceListEntry.objects.exists()
    changes = [
        e.changes["prices"]
        for e in AuditEntry.objects.for_record("price_list", price_list.pk).order_by("id")
    ]
    assert changes == [
        {"old": None, "new": "Widget (W-1): 10.00"},
        {"old": "Widget (W-1): 10.00", "new": "Widget (W-1): 12.00"},
        {"old": "Widget (W-1): 12.00", "new": None},
    ]


def test_a_rep_may_read_price_lists_but_not_change_prices(rep):
    price_list = make_price_list()
    entry = set_price(price_list, make_product(), "10.00")
    with pytest.raises(PermissionDenied):
        price_list_entry_set(
            acting_user=rep, price_list=price_list, product=entry.product, unit_price=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        price_list_entry_remove(acting_user=rep, entry=entry)
    assert PriceListEntry.objects.get().unit_price == Decimal("10.00")


def test_prices_are_edited_inline_on_the_list_page(client, admin_user):
    price_list = make_price_list(name="Standard EUR")
    product = make_product(name="Widget")
    client.force_login(admin_user)

    page = client.get(f"/price-lists/{price_list.pk}/").content.decode()
    assert "Add or change a price" in page

    added = client.post(
        f"/price-lists/{price_list.pk}/prices/",
        {"product": product.pk, "unit_price": "25.50"},
        **HTMX,
    )
    assert added.status_code == 200
    assert 'id="price-entries"' in added.content.decode()
    assert "<html" not in added.content.decode()
    entry = PriceListEntry.objects.get()
    assert entry.unit_price == Decimal("25.50")

    removed = client.post(f"/price-lists/{price_list.pk}/prices/{entry.pk}/remove/", **HTMX)
    assert removed.status_code == 200
    assert not PriceListEntry.objects.exists()


def test_a_rep_sees_prices_without_controls_and_may_not_post(client, rep):
    price_list = make_price_list()
    entry = set_price(price_list, make_product(name="Widget"), "10.00")
    client.force_login(rep)
    page = client.get(f"/price-lists/{price_list.pk}/").content.decode()
    assert "Widget" in page
    assert "Add or change a price" not in page
    response = client.post(
        f"/price-lists/{price_list.pk}/prices/", {"product": entry.product_id, "unit_price": "1"}
    )
    assert response.status_code == 403
    removed = client.post(f"/price-lists/{price_list.pk}/prices/{entry.pk}/remove/")
    assert removed.status_code == 403
    assert PriceListEntry.objects.get().unit_price == Decimal("10.00")


def test_the_api_lists_sets_and_removes_prices(admin_user):
    price_list = make_price_list()
    product = make_product()
    client = APIClient()
    client.force_authenticate(admin_user)
    url = f"/api/v1/price-lists/{price_list.pk}/entries/"

    created = client.post(url, {"product": product.pk, "unit_price": "9.99"}, format="json")
    assert created.status_code == 200, created.content
    again = client.post(url, {"product": product.pk, "unit_price": "8.88"}, format="json")
    assert again.json()["id"] == created.json()["id"]
    assert client.get(url).json() == [
        {
            "id": created.json()["id"],
            "product": product.pk,
            "product_name": product.name,
            "product_code": product.code,
            "unit_price": "8.88",
        }
    ]
    assert client.delete(f"{url}{created.json()['id']}/").status_code == 204
    assert not PriceListEntry.objects.exists()


def test_a_rep_cannot_set_prices_through_the_api(rep):
    price_list = make_price_list()
    entry = set_price(price_list, make_product(), "10.00")
    client = APIClient()
    client.force_authenticate(rep)
    url = f"/api/v1/price-lists/{price_list.pk}/entries/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"product": entry.product_id, "unit_price": "1"}, format="json")
    assert response.status_code == 403
    assert client.delete(f"{url}{entry.pk}/").status_code == 403
    assert PriceListEntry.objects.get().unit_price == Decimal("10.00")


def test_price_lists_are_retired_not_deleted_through_the_api(admin_user):
    price_list = make_price_list()
    client = APIClient()
    client.force_authenticate(admin_user)
    refused = client.delete(f"/api/v1/price-lists/{price_list.pk}/")
    assert refused.status_code == 405
    assert "deactivate" in refused.json()["error"]["message"]
    retired = client.post(f"/api/v1/price-lists/{price_list.pk}/deactivate/")
    assert retired.status_code == 200
    assert retired.json()["is_active"] is False
    back = client.post(f"/api/v1/price-lists/{price_list.pk}/reactivate/")
    assert back.json()["is_active"] is True


def test_the_price_list_page_runs_the_same_queries_for_2_or_10_prices(client, admin_user):
    price_list = make_price_list()
    client.force_login(admin_user)
    for _ in range(2):
        set_price(price_list, make_product(), "1.00")
    client.get(f"/price-lists/{price_list.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/price-lists/{price_list.pk}/").status_code == 200
    for _ in range(8):
        set_price(price_list, make_product(), "1.00")
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/price-lists/{price_list.pk}/").status_code == 200
    assert len(many) == len(few)


def test_a_retired_list_cannot_become_the_default(admin_user):
    retired = make_price_list(is_active=False)
    with pytest.raises(ValidationError) as refused:
        price_list_update(acting_user=admin_user, price_list=retired, values={"is_default": True})
    assert "is_active" in refused.value.message_dict
    with pytest.raises(ValidationError):
        price_list_create(
            acting_user=admin_user,
            values={
                "name": "Retired default",
                "currency": picklist_value("currency", "EUR"),
                "is_default": True,
                "is_active": False,
            },
        )
    assert not PriceList.objects.filter(is_default=True).exists()


def test_the_price_api_runs_the_same_queries_for_2_or_10_prices(admin_user):
    price_list = make_price_list()
    client = APIClient()
    client.force_authenticate(admin_user)
    url = f"/api/v1/price-lists/{price_list.pk}/entries/"
    for _ in range(2):
        set_price(price_list, make_product(), "1.00")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()) == 2
    for _ in range(8):
        set_price(price_list, make_product(), "1.00")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 10
    assert len(many) == len(few)
