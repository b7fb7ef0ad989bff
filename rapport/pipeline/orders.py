"""Orders: what won opportunities become.

An order is created from a won opportunity, once. Its lines copy the opportunity's line items;
an opportunity without line items becomes an order without lines whose total is the
opportunity's amount (so a deal sold without the product catalogue still yields an order), and
one with neither lines nor an amount is refused. Numbers are "ORD-" and the row id on six or more
digits: the database hands out the id, so two orders created at once never share a number.

Creating an order from an opportunity needs permission to edit the opportunity (reps create
orders no other way). Roles with create on orders (administrators by default) may also enter an
order directly (`order_create`, e.g. for a deal won outside Rapport). Changing and deleting an
order need edit and delete on orders.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from rapport.access import crud, permissions
from rapport.activities.timeline import TimelineEntry
from rapport.core import audit
from rapport.core.models import AuditEntry, PicklistValue
from rapport.core.search import SearchHit
from rapport.pipeline.catalog import line_total
from rapport.pipeline.models import LineItem, Opportunity, Order, OrderLine, Stage

NUMBER_PREFIX = "ORD-"
DRAFT = "draft"
# What people change on an order after it is created; the rest comes from the opportunity.
EDITABLE_FIELDS = ("status", "order_date", "owner", "external_id")
# What an order entered directly may set.
CREATE_FIELDS = (*EDITABLE_FIELDS, "account", "currency", "total_amount")


def order_number(pk: int) -> str:
    """The number of the order with this id, e.g. ORD-000042."""
    return f"{NUMBER_PREFIX}{pk:06d}"


def _draft_status() -> PicklistValue:
    status = PicklistValue.objects.filter(picklist__key="order_status", key=DRAFT).first()
    if status is None:
        raise ValidationError({"status": "The order status list has no “draft” value."})
    return status


@transaction.atomic
def order_create_from_opportunity(*, acting_user: Any, opportunity: Opportunity) -> Order:
    """Turn a won opportunity into a draft order owned by the opportunity's owner."""
    # Lock the opportunity: a double click must not make two orders (the one-to-one would refuse
    # the second anyway, but with an error people cannot read).
    # Only the opportunity's row ("self"): locking its stage too would queue every order made
    # from deals at that stage.
    locked = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("stage")
        .filter(pk=opportunity.pk)
        .first()
    )
    if locked is None:
        raise Http404("No such opportunity.")
    opportunity = locked
    permissions.check(acting_user, "edit", "opportunity", opportunity)
    if opportunity.stage.kind != Stage.Kind.WON:
        raise ValidationError(
            {
                "opportunity": "Only a won opportunity becomes an order; this one is "
                f"at “{opportunity.stage.name}”."
            }
        )
    existing = Order.all_objects.filter(opportunity_id=opportunity.pk).first()
    if existing is not None:
        where = " (in the recycle bin)" if existing.is_deleted else ""
        raise ValidationError(
            {"opportunity": f"This opportunity already has order {existing.number}{where}."}
        )
    lines = list(
        LineItem.objects.filter(opportunity_id=opportunity.pk).order_by("sort_order", "id")
    )
    if not lines and opportunity.amount is None:
        raise ValidationError(
            {"amount": "Add line items or an amount to the opportunity before ordering."}
        )
    totals = [
        line_total(
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
        )
        for line in lines
    ]
    order = Order(
        # A unique placeholder until the id is known, replaced in this same transaction.
        number=f"new-{uuid.uuid4().hex[:24]}",
        opportunity=opportunity,
        account_id=opportunity.account_id,
        owner_id=opportunity.owner_id,
        status=_draft_status(),
        order_date=timezone.localdate(),
        currency_id=opportunity.currency_id,
        total_amount=sum(totals, Decimal(0)) if lines else opportunity.amount or Decimal(0),
    )
    order.full_clean(exclude=["number"])
    order.save()
    _number(order)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            total=total,
        )
        for line, total in zip(lines, totals, strict=True)
    )
    audit.audit_record(
        obj=order,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        record_type="order",
        changes=audit.created(order),
    )
    return order


@transaction.atomic
def order_create(*, acting_user: Any, values: Mapping[str, Any]) -> Order:
    """Enter an order directly (an import, a deal won outside Rapport): needs create on orders.

    `values` name the account and currency at least; the status defaults to draft, the owner to
    the acting person, and the number is given here.
    """
    if "number" in values or "opportunity" in values:
        name = "number" if "number" in values else "opportunity"
        raise ValidationError(
            {name: "Set by Rapport: numbers are given, and opportunities order themselves."}
        )
    permissions.check(acting_user, "create", "order")
    refused = permissions.protected_fields_in(acting_user, "order", values.keys())
    if refused:
        raise PermissionDenied(
            "Your role may not set or change these fields: " + ", ".join(refused) + "."
        )
    unknown = sorted(set(values) - set(CREATE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: "This field cannot be set on a new order."})
    order = Order(number=f"new-{uuid.uuid4().hex[:24]}", owner=acting_user)
    if "status" not in values:
        order.status = _draft_status()
    for name, value in values.items():
        setattr(order, name, value)
    # Not through crud.record_create: the audit entry must carry the real number, known only
    # once the row has its id.
    order.full_clean(exclude=["number"])
    order.save()
    _number(order)
    audit.audit_record(
        obj=order,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        record_type="order",
        changes=audit.created(order),
    )
    return order


def _number(order: Order) -> None:
    """Give a freshly saved order its number, derived from its id (unique by construction)."""
    order.number = order_number(order.pk)
    Order.objects.filter(pk=order.pk).update(number=order.number)


def order_update(*, acting_user: Any, order: Order, values: Mapping[str, Any]) -> Order:
    """Change an order's status, date, owner or external id (permission, audit by the framework)."""
    refused = sorted(set(values) - set(EDITABLE_FIELDS))
    if refused:
        raise ValidationError(
            {refused[0]: "Comes from the opportunity and cannot change on the order."}
        )
    return crud.record_update(
        record_type="order", obj=order, acting_user=acting_user, values=values
    )


def order_delete(*, acting_user: Any, order: Order) -> Order:
    """Move an order to the recycle bin (its opportunity cannot be ordered again until purged)."""
    return crud.record_delete(record_type="order", obj=order, acting_user=acting_user)


def order_lines(order: Order) -> QuerySet[OrderLine]:
    """An order's lines with their products."""
    return OrderLine.objects.filter(order_id=order.pk).select_related("product")


# Timeline -----------------------------------------------------------------------------------------

TIMELINE_SUBJECTS = ("account", "contact", "opportunity")


def orders_on_timeline(
    *, viewer: Any, subject_type: str, subject: Model, limit: int
) -> list[TimelineEntry]:
    """The orders of an account, of a contact's deals, or of a deal, as the viewer may see them.

    One query (plus the viewer's rules, read once per request); registered by
    `rapport.pipeline.catalog.register`.
    """
    if subject_type not in TIMELINE_SUBJECTS:
        return []
    about = {
        "account": Q(account_id=subject.pk),
        "contact": Q(opportunity__contact_id=subject.pk),
        "opportunity": Q(opportunity_id=subject.pk),
    }[subject_type]
    queryset = Order.objects.filter(about).select_related("status", "currency", "owner")
    found = permissions.scope_queryset(viewer, "order", queryset).order_by("-created_at", "-id")
    total_hidden = "total_amount" in permissions.hidden_fields_of(viewer, "order")
    entries = []
    for order in found[:limit]:
        parts = [f"Ordered {order.order_date:%-d %b %Y}"]
        if not total_hidden:
            parts.append(f"{order.total_amount} {order.currency.key}")
        parts.append(f"by {order.owner.get_full_name() or order.owner}")
        entries.append(
            TimelineEntry(
                at=order.created_at,
                kind="order",
                icon="shopping-cart",
                title=f"Order {order.number}",
                subtitle=" · ".join(parts),
                url=reverse("pipeline:order-detail", args=[order.pk]),
                badge=order.status.label,
                badge_tone=order.status.color or "gray",
            )
        )
    return entries


# Global search ------------------------------------------------------------------------------------


def search_orders(user: Any, query: str, limit: int) -> list[SearchHit]:
    """The order with the number searched: "ORD-000042", or just 42 (an exact, indexed match)."""
    text = query.strip().upper()
    if not text or not permissions.policy_for(user, "order").can("read"):
        return []
    numbers = {text}
    digits = text.removeprefix(NUMBER_PREFIX)
    if digits.isdigit() and len(digits) <= 12:
        numbers.add(order_number(int(digits)))
    found = permissions.scope_queryset(
        user,
        "order",
        Order.objects.select_related("account", "status").filter(number__in=numbers),
    )[:limit]
    return [
        SearchHit(
            kind="order",
            kind_label="Order",
            record_id=order.pk,
            title=order.number,
            subtitle=f"{order.account.name} · {order.status.label} · {order.order_date:%-d %b %Y}",
            url=reverse("pipeline:order-detail", args=[order.pk]),
        )
        for order in found
    ]
