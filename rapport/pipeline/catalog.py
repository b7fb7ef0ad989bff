"""Products, price lists and their prices, and the line items that put products on opportunities.

Writes go through these services, so pages, the API and imports share the rules:

- one default price list per currency (making a list the default demotes the previous one);
- a line item's price comes from the opportunity's price list, else the default list for the
  opportunity's currency, unless the caller gives one;
- an opportunity with line items is worth the sum of their totals: every line change
  recalculates the amount and audits it as a change of the opportunity. Removing the last line
  leaves the amount as it was (the rep may then set it by hand again).

Changing lines needs permission to edit the opportunity, and to write its amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from rapport.access import crud, permissions
from rapport.core import audit
from rapport.core.models import AuditEntry, PicklistValue
from rapport.core.search import SearchHit
from rapport.pipeline.models import (
    LineItem,
    Opportunity,
    Order,
    PriceList,
    PriceListEntry,
    Product,
)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def line_total(*, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """Quantity times unit price less the discount, rounded to the cent.

    Rounds half to even, as `LineItem.total` (the model's figure, shown on pages) does, so the
    amount always equals the sum of the totals people see.
    """
    gross = quantity * unit_price
    return (gross * (HUNDRED - discount_percent) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_EVEN)


def register() -> None:
    """What the catalog registers at start-up (to be called from rapport.pipeline.registry):
    orders on the timelines of accounts, contacts and opportunities, and products and orders
    in the global search."""
    from rapport.activities.timeline import register_provider
    from rapport.core import search
    from rapport.pipeline.orders import orders_on_timeline, search_orders

    register_provider("orders", orders_on_timeline)
    search.register("product", search_products)
    search.register("order", search_orders)


def search_products(user: Any, query: str, limit: int) -> list[SearchHit]:
    """Products whose name or code contains every word searched (the catalogue is small)."""
    words = query.split()
    if not words or not permissions.policy_for(user, "product").can("read"):
        return []
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word) | Q(code__icontains=word)
    found = permissions.scope_queryset(
        user, "product", Product.objects.select_related("family").filter(condition)
    ).order_by("name", "id")[:limit]
    return [
        SearchHit(
            kind="product",
            kind_label="Product",
            record_id=product.pk,
            title=product.name,
            subtitle=" · ".join(
                part
                for part in (product.code, product.family.label if product.family else "")
                if part
            )
            + ("" if product.is_active else " · retired"),
            url=reverse("pipeline:product-detail", args=[product.pk]),
        )
        for product in found
    ]


# Products -----------------------------------------------------------------------------------------


def product_create(*, acting_user: Any, values: Mapping[str, Any]) -> Product:
    """Create a product (permission, field rules, validation and audit by the record framework)."""
    return crud.record_create(record_type="product", acting_user=acting_user, values=values)


def product_update(*, acting_user: Any, product: Product, values: Mapping[str, Any]) -> Product:
    """Change a product's fields."""
    return crud.record_update(
        record_type="product", obj=product, acting_user=acting_user, values=values
    )


def product_delete(*, acting_user: Any, product: Product) -> Product:
    """Move a product to the recycle bin; the lines and prices that name it keep it."""
    return crud.record_delete(record_type="product", obj=product, acting_user=acting_user)


# Price lists --------------------------------------------------------------------------------------


def _demote_other_defaults(price_list: PriceList, acting_user: Any) -> None:
    """Make `price_list` the only default of its currency; audit each list demoted."""
    # Lock the currency: two lists made default at once for one currency queue here, and the
    # second then sees (and demotes) the first.
    PicklistValue.objects.select_for_update().filter(pk=price_list.currency_id).first()
    others = list(
        PriceList.objects.select_for_update()
        .filter(currency_id=price_list.currency_id, is_default=True)
        .exclude(pk=price_list.pk)
    )
    if not others:
        return
    PriceList.objects.filter(pk__in=[other.pk for other in others]).update(is_default=False)
    for other in others:  # at most one: the service keeps a single default per currency
        audit.audit_record(
            obj=other,
            acting_user=acting_user,
            action=AuditEntry.Action.UPDATE,
            changes={"is_default": {"old": True, "new": False}},
        )


def _refuse_retired_default(*, is_default: bool, is_active: bool) -> None:
    if is_default and not is_active:
        raise ValidationError(
            {
                "is_active": "The default price list of a currency cannot be retired; "
                "make another list the default first."
            }
        )


@transaction.atomic
def price_list_create(*, acting_user: Any, values: Mapping[str, Any]) -> PriceList:
    """Create a price list; a new default list takes over from its currency's previous default."""
    _refuse_retired_default(
        is_default=bool(values.get("is_default", False)),
        is_active=bool(values.get("is_active", True)),
    )
    price_list: PriceList = crud.record_create(
        record_type="price_list", acting_user=acting_user, values=values
    )
    if price_list.is_default:
        _demote_other_defaults(price_list, acting_user)
    return price_list


@transaction.atomic
def price_list_update(
    *, acting_user: Any, price_list: PriceList, values: Mapping[str, Any]
) -> PriceList:
    """Change a price list; becoming the default demotes the currency's previous default."""
    _refuse_retired_default(
        is_default=bool(values.get("is_default", price_list.is_default)),
        is_active=bool(values.get("is_active", price_list.is_active)),
    )
    price_list = crud.record_update(
        record_type="price_list", obj=price_list, acting_user=acting_user, values=values
    )
    if price_list.is_default:
        _demote_other_defaults(price_list, acting_user)
    return price_list


@transaction.atomic
def price_list_set_active(*, acting_user: Any, price_list: PriceList, is_active: bool) -> PriceList:
    """Retire a price list or bring it back; retiring stands for deleting (lists are kept).

    Needs delete on price lists, like deactivating a person needs delete on people.
    """
    permissions.check(acting_user, "delete", "price_list", price_list)
    _refuse_retired_default(is_default=price_list.is_default, is_active=is_active)
    return crud.record_update(
        record_type="price_list",
        obj=price_list,
        acting_user=acting_user,
        values={"is_active": is_active},
        check_permission=False,
    )


def _money(value: Decimal) -> str:
    """A price as stored (two decimals), whether it was just typed or read back."""
    return str(Decimal(value).quantize(CENT))


def _entry_repr(entry: PriceListEntry) -> str:
    return f"{entry.product.name} ({entry.product.code}): {_money(entry.unit_price)}"


@transaction.atomic
def price_list_entry_set(
    *, acting_user: Any, price_list: PriceList, product: Product, unit_price: Decimal
) -> PriceListEntry:
    """Set a product's price on a list (adding the product when it is not on it yet).

    Audited as a change of the price list, under the field "prices".
    """
    permissions.check(acting_user, "edit", "price_list", price_list)
    if product.is_deleted:
        raise ValidationError({"product": "This product is in the recycle bin."})
    entry = (
        PriceListEntry.objects.select_for_update()
        .select_related("product")
        .filter(price_list=price_list, product=product)
        .first()
    )
    old = _entry_repr(entry) if entry is not None else None
    if entry is None:
        entry = PriceListEntry(price_list=price_list, product=product, unit_price=unit_price)
    else:
        entry.unit_price = unit_price
    entry.full_clean(validate_unique=False)
    entry.save()
    new = _entry_repr(entry)
    if old != new:
        audit.audit_record(
            obj=price_list,
            acting_user=acting_user,
            action=AuditEntry.Action.UPDATE,
            changes={"prices": {"old": old, "new": new}},
        )
    return entry


@transaction.atomic
def price_list_entry_remove(*, acting_user: Any, entry: PriceListEntry) -> None:
    """Take a product off a price list (lines already priced from it keep their price)."""
    price_list = entry.price_list
    permissions.check(acting_user, "edit", "price_list", price_list)
    old = _entry_repr(entry)
    entry.delete()
    audit.audit_record(
        obj=price_list,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"prices": {"old": old, "new": None}},
    )


def price_list_entries(price_list: PriceList) -> QuerySet[PriceListEntry]:
    """A list's prices with their products, by product name."""
    return (
        PriceListEntry.objects.filter(price_list=price_list)
        .select_related("product", "product__family")
        .order_by("product__name", "product_id")
    )


# Price lookup -------------------------------------------------------------------------------------


def price_list_for(opportunity: Opportunity) -> PriceList | None:
    """Where an opportunity's lines take their prices from: its own list, else its currency's
    default list."""
    if opportunity.price_list_id is not None:
        price_list = opportunity.price_list
        assert price_list is not None
        if price_list.currency_id != opportunity.currency_id:
            # Prices in another currency would be silently wrong: refuse, naming the list.
            raise ValidationError(
                {
                    "unit_price": f"The opportunity's price list “{price_list}” is in "
                    f"{price_list.currency}, not in the opportunity's currency; choose a list "
                    "in its currency or enter a unit price."
                }
            )
        return price_list
    return PriceList.objects.filter(
        currency_id=opportunity.currency_id, is_default=True, is_active=True
    ).first()


def price_for(*, opportunity: Opportunity, product: Product) -> Decimal | None:
    """The product's unit price for this opportunity, or None when its list has no price."""
    price_list = price_list_for(opportunity)
    if price_list is None:
        return None
    return (
        PriceListEntry.objects.filter(price_list=price_list, product=product)
        .values_list("unit_price", flat=True)
        .first()
    )


# Line items ---------------------------------------------------------------------------------------


def _locked_opportunity(pk: int) -> Opportunity:
    """The opportunity, locked until the transaction ends; 404 once it is in the recycle bin."""
    opportunity = Opportunity.objects.select_for_update().filter(pk=pk).first()
    if opportunity is None:
        raise Http404("No such opportunity.")
    return opportunity


def lines_check_changeable(*, acting_user: Any, opportunity: Opportunity) -> None:
    """Raise unless the person may change the deal's lines: Http404 (out of sight),
    PermissionDenied (no edit on deals, or the amount is read-only for them), ValidationError
    (the deal's order was made from them)."""
    policy = permissions.check(acting_user, "edit", "opportunity", opportunity)
    if "amount" in policy.protected_fields:
        raise PermissionDenied(
            "Your role may not change the amount of opportunities, which their line items set."
        )
    order_number = (
        Order.all_objects.filter(opportunity_id=opportunity.pk)
        .values_list("number", flat=True)
        .first()
    )
    if order_number:
        raise ValidationError(
            f"Order {order_number} was created from these lines; they can no longer change."
        )


def _line_repr(line: LineItem) -> str:
    """A line as the opportunity's history shows it: quantity, product and discount.

    No price: the history of a deal shows its lines to whoever reads the deal, and the prices
    add up to the amount, which a role may be forbidden to see. Price changes show in the
    amount's own (field-secured) history entries.
    """
    text = f"{line.quantity.normalize():f} x {line.product.name} ({line.product.code})"
    if line.discount_percent:
        text += f" less {Decimal(line.discount_percent).normalize():f}%"
    return text


def _audit_line(
    opportunity: Opportunity, acting_user: Any, old: str | None, new: str | None
) -> None:
    """Audit a line change on the opportunity, under "products" (a change with no visible
    difference, a price only, writes nothing here: the amount's entry tells it)."""
    if old == new:
        return
    audit.audit_record(
        obj=opportunity,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"products": {"old": old, "new": new}},
    )


def amount_from_lines(opportunity: Opportunity) -> Decimal | None:
    """The sum of the opportunity's line totals, or None when it has no lines.

    For the opportunity's own services: while a deal has lines, its amount is this sum.
    """
    # One opportunity's lines: a handful of rows, read in one query.
    lines = list(
        LineItem.objects.filter(opportunity_id=opportunity.pk).values_list(
            "quantity", "unit_price", "discount_percent"
        )
    )
    if not lines:
        return None
    return sum(
        (
            line_total(quantity=quantity, unit_price=price, discount_percent=discount)
            for quantity, price, discount in lines
        ),
        Decimal(0),
    )


def _recalculate_amount(opportunity: Opportunity, acting_user: Any) -> None:
    """Set the amount to the sum of the line totals (when there are lines), audited."""
    amount = amount_from_lines(opportunity)
    if amount is None:
        return
    old = opportunity.amount
    if old is not None and old == amount:
        return
    opportunity.amount = amount
    Opportunity.objects.filter(pk=opportunity.pk).update(amount=amount)
    audit.audit_record(
        obj=opportunity,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={
            "amount": {"old": None if old is None else str(old), "new": str(amount)},
        },
    )


def _as_decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: "Enter a number."}) from None


@transaction.atomic
def line_item_add(
    *,
    acting_user: Any,
    opportunity: Opportunity,
    product: Product,
    quantity: Decimal | int | str,
    unit_price: Decimal | int | str | None = None,
    discount_percent: Decimal | int | str = 0,
) -> LineItem:
    """Put a product on an opportunity and recalculate its amount.

    Without `unit_price` the price comes from the opportunity's price list, else the default list
    of its currency; a product with no price there is refused (naming the `unit_price` field).
    """
    # Lock the opportunity: two lines added at once must both count in the amount.
    opportunity = _locked_opportunity(opportunity.pk)
    lines_check_changeable(acting_user=acting_user, opportunity=opportunity)
    if product.is_deleted or not product.is_active:
        raise ValidationError({"product": f"{product} is retired and can no longer be sold."})
    if unit_price is None or unit_price == "":
        price = price_for(opportunity=opportunity, product=product)
        if price is None:
            price_list = price_list_for(opportunity)
            where = (
                f"the price list “{price_list}”"
                if price_list is not None
                else "a default price list for this currency"
            )
            raise ValidationError(
                {"unit_price": f"{product} has no price in {where}; enter a unit price."}
            )
    else:
        price = _as_decimal(unit_price, "unit_price")
    next_order = (
        LineItem.objects.filter(opportunity_id=opportunity.pk).aggregate(last=Max("sort_order"))[
            "last"
        ]
        or 0
    ) + 1
    line = LineItem(
        opportunity=opportunity,
        product=product,
        quantity=_as_decimal(quantity, "quantity"),
        unit_price=price,
        discount_percent=_as_decimal(discount_percent, "discount_percent"),
        sort_order=next_order,
    )
    line.full_clean()
    line.save()
    _audit_line(opportunity, acting_user, None, _line_repr(line))
    _recalculate_amount(opportunity, acting_user)
    return line


LINE_FIELDS = ("quantity", "unit_price", "discount_percent")


@transaction.atomic
def line_item_update(
    *, acting_user: Any, line_item: LineItem, values: Mapping[str, Any]
) -> LineItem:
    """Change a line's quantity, unit price or discount and recalculate the amount."""
    unknown = sorted(set(values) - set(LINE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: "Only quantity, unit price and discount can change."})
    opportunity = _locked_opportunity(line_item.opportunity_id)
    lines_check_changeable(acting_user=acting_user, opportunity=opportunity)
    line = LineItem.objects.select_related("product").get(pk=line_item.pk)
    old, before = _line_repr(line), [getattr(line, name) for name in LINE_FIELDS]
    for name, value in values.items():
        setattr(line, name, _as_decimal(value, name))
    line.full_clean()
    if [getattr(line, name) for name in LINE_FIELDS] != before:
        line.save(update_fields=list(values))
        _audit_line(opportunity, acting_user, old, _line_repr(line))
        _recalculate_amount(opportunity, acting_user)
    return line


@transaction.atomic
def line_item_remove(*, acting_user: Any, line_item: LineItem) -> Opportunity:
    """Take a line off its opportunity and recalculate the amount from the lines left."""
    opportunity = _locked_opportunity(line_item.opportunity_id)
    lines_check_changeable(acting_user=acting_user, opportunity=opportunity)
    line = LineItem.objects.select_related("product").get(pk=line_item.pk)
    old = _line_repr(line)
    line.delete()
    _audit_line(opportunity, acting_user, old, None)
    _recalculate_amount(opportunity, acting_user)
    return opportunity


def opportunity_lines(opportunity: Opportunity) -> QuerySet[LineItem]:
    """An opportunity's lines in order, with their products."""
    return LineItem.objects.filter(opportunity_id=opportunity.pk).select_related("product")


def product_prices(product: Product) -> QuerySet[PriceListEntry]:
    """A product's prices on every list, with the lists and their currencies, by list name."""
    return (
        PriceListEntry.objects.filter(product_id=product.pk)
        .select_related("price_list", "price_list__currency")
        .order_by("price_list__name", "price_list_id")
    )
