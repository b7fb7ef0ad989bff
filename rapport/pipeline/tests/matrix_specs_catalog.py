"""How the permission matrix exercises products, price lists and orders, and the factories the
catalog tests share."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from rapport.access.tests.matrix_types import TypeSpec
from rapport.core.models import PicklistValue
from rapport.customers.models import Account
from rapport.pipeline.models import Opportunity, Order, PriceList, PriceListEntry, Product, Stage

_n = itertools.count(1)


def picklist_value(picklist_key: str, key: str) -> PicklistValue:
    return PicklistValue.objects.get(picklist__key=picklist_key, key=key)


def make_product(owner: Any = None, **values: Any) -> Product:
    n = next(_n)
    values.setdefault("name", f"Product {n}")
    values.setdefault("code", f"SKU-{n:05d}")
    return Product.objects.create(**values)


def make_price_list(
    owner: Any = None, *, currency: str = "EUR", is_default: bool = False, **values: Any
) -> PriceList:
    values.setdefault("name", f"Price list {next(_n)}")
    return PriceList.objects.create(
        currency=picklist_value("currency", currency), is_default=is_default, **values
    )


def set_price(price_list: PriceList, product: Product, price: str) -> PriceListEntry:
    return PriceListEntry.objects.create(
        price_list=price_list, product=product, unit_price=Decimal(price)
    )


def make_account(owner: Any) -> Account:
    return Account.objects.create(name=f"Customer {next(_n)}", owner=owner)


def stage(kind: str) -> Stage:
    """A stage of the kind ("open", "won", "lost"), made for the catalog tests."""
    found, _ = Stage.objects.get_or_create(
        key=f"catalog-{kind}",
        defaults={
            "name": f"Catalog {kind}",
            "kind": kind,
            "probability": {"open": 30, "won": 100, "lost": 0}[kind],
            "sort_order": 900,
        },
    )
    return found


def make_opportunity(
    owner: Any, *, kind: str = "open", currency: str = "EUR", **values: Any
) -> Opportunity:
    values.setdefault("name", f"Deal {next(_n)}")
    values.setdefault("account", make_account(owner))
    values.setdefault("probability", 30)
    return Opportunity.objects.create(
        owner=owner, stage=stage(kind), currency=picklist_value("currency", currency), **values
    )


def make_order(owner: Any) -> Order:
    n = next(_n)
    return Order.objects.create(
        number=f"TEST-{n:06d}",
        account=make_account(owner),
        owner=owner,
        status=picklist_value("order_status", "draft"),
        currency=picklist_value("currency", "EUR"),
        total_amount=Decimal("100.00"),
    )


def _order_api_create(person: Any) -> dict[str, Any]:
    return {"account": make_account(person).pk, "currency": "EUR"}


def _price_list_ui_create(person: Any) -> dict[str, Any]:
    return {"name": "New list", "currency": picklist_value("currency", "EUR").pk, "is_active": "on"}


def _price_list_ui_edit(person: Any) -> dict[str, Any]:
    return {
        "name": "Changed list",
        "currency": picklist_value("currency", "EUR").pk,
        "is_active": "on",
    }


def _order_ui_edit(person: Any) -> dict[str, Any]:
    return {"status": picklist_value("order_status", "confirmed").pk}


SPECS: dict[str, TypeSpec] = {
    "product": TypeSpec(
        make=make_product,
        api_create={"name": "New product", "code": "NEW-1"},
        api_edit={"description": "Changed"},
        ui_create={"name": "New product", "code": "NEW-1", "is_active": "on"},
        ui_edit={"name": "Changed product", "code": "CHANGED-1", "is_active": "on"},
        ui={
            "list": "/products/",
            "read": "/products/{pk}/",
            "create": "/products/new/",
            "edit": "/products/{pk}/edit/",
            "delete": "/products/{pk}/delete/",
        },
    ),
    "price_list": TypeSpec(
        make=make_price_list,
        api_create={"name": "New list", "currency": "EUR"},
        api_edit={"name": "Changed list"},
        ui_create=_price_list_ui_create,
        ui_edit=_price_list_ui_edit,
        ui={
            "list": "/price-lists/",
            "read": "/price-lists/{pk}/",
            "create": "/price-lists/new/",
            "edit": "/price-lists/{pk}/edit/",
            "delete": None,  # retired through the API's deactivate, or the edit form
        },
        api_delete_action="deactivate",
    ),
    "order": TypeSpec(
        make=make_order,
        api_create=_order_api_create,
        api_edit={"order_date": "2026-01-15"},
        ui_create={},
        ui_edit=_order_ui_edit,
        ui={
            "list": "/orders/",
            "read": "/orders/{pk}/",
            "create": None,  # pages create orders from won opportunities only
            "edit": "/orders/{pk}/status/",
            "delete": "/orders/{pk}/delete/",
        },
    ),
}
