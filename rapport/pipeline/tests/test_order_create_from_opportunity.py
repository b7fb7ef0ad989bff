"""A won opportunity becomes its order: once, numbered, with its lines, owned by its owner."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from rapport.core.models import AuditEntry
from rapport.pipeline.catalog import line_item_add
from rapport.pipeline.models import Order, OrderLine
from rapport.pipeline.orders import order_create_from_opportunity, order_delete, order_number
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity, make_product

pytestmark = pytest.mark.django_db


def test_a_won_deal_becomes_a_draft_order_with_its_lines(rep, make_user):
    manager = make_user(role="administrator")
    opportunity = make_opportunity(rep, kind="won", currency="USD")
    widget, service = make_product(name="Widget"), make_product(name="Setup")
    line_item_add(
        acting_user=rep, opportunity=opportunity, product=widget, quantity=3, unit_price="19.99"
    )
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=service,
        quantity=1,
        unit_price=500,
        discount_percent=10,
    )

    order = order_create_from_opportunity(acting_user=manager, opportunity=opportunity)

    order.refresh_from_db()
    assert order.opportunity_id == opportunity.pk
    assert order.account_id == opportunity.account_id
    assert order.owner == rep  # the opportunity's owner, not whoever clicked
    assert order.status.key == "draft"
    assert order.currency.key == "USD"
    assert order.total_amount == Decimal("509.97")
    lines = list(OrderLine.objects.filter(order=order).order_by("id"))
    assert [(line.product, line.quantity, line.unit_price, line.total) for line in lines] == [
        (widget, Decimal("3.00"), Decimal("19.99"), Decimal("59.97")),
        (service, Decimal("1.00"), Decimal("500.00"), Decimal("450.00")),
    ]
    assert lines[1].discount_percent == Decimal("10.00")


def test_the_number_is_ord_and_the_row_id_on_six_digits(rep):
    first = order_create_from_opportunity(
        acting_user=rep, opportunity=make_opportunity(rep, kind="won", amount=Decimal("1"))
    )
    second = order_create_from_opportunity(
        acting_user=rep, opportunity=make_opportunity(rep, kind="won", amount=Decimal("1"))
    )
    assert first.number == f"ORD-{first.pk:06d}"
    assert Order.objects.get(pk=second.pk).number == order_number(second.pk)
    assert first.number != second.number
    assert order_number(1) == "ORD-000001"
    assert order_number(1234567) == "ORD-1234567"


def test_a_deal_without_lines_becomes_an_order_for_its_amount(rep):
    opportunity = make_opportunity(rep, kind="won", amount=Decimal("12000"))
    order = order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    assert order.total_amount == Decimal("12000")
    assert not OrderLine.objects.filter(order=order).exists()


def test_a_deal_with_neither_lines_nor_amount_is_refused_naming_the_amount(rep):
    opportunity = make_opportunity(rep, kind="won")
    with pytest.raises(ValidationError) as refused:
        order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    assert "amount" in refused.value.message_dict
    assert not Order.all_objects.exists()


@pytest.mark.parametrize("kind", ["open", "lost"])
def test_only_a_won_deal_becomes_an_order(rep, kind):
    opportunity = make_opportunity(rep, kind=kind, amount=Decimal("100"))
    with pytest.raises(ValidationError) as refused:
        order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    assert "won" in refused.value.message_dict["opportunity"][0]
    assert not Order.all_objects.exists()


def test_a_second_order_is_refused_naming_the_first(rep):
    opportunity = make_opportunity(rep, kind="won", amount=Decimal("100"))
    first = order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    with pytest.raises(ValidationError) as refused:
        order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    assert first.number in refused.value.message_dict["opportunity"][0]
    assert Order.all_objects.count() == 1


def test_an_order_in_the_recycle_bin_still_counts_and_says_where_it_is(rep, admin_user):
    opportunity = make_opportunity(rep, kind="won", amount=Decimal("100"))
    first = order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    order_delete(acting_user=admin_user, order=first)
    with pytest.raises(ValidationError, match="recycle bin"):
        order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    assert Order.all_objects.count() == 1


def test_the_creation_is_audited_with_the_real_number(rep):
    opportunity = make_opportunity(rep, kind="won", amount=Decimal("100"))
    order = order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    [entry] = AuditEntry.objects.for_record("order", order.pk)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == rep
    assert entry.object_repr == order.number
    assert entry.changes["number"]["new"] == order.number


def test_another_rep_cannot_order_a_deal_out_of_sight(rep, make_user):
    opportunity = make_opportunity(rep, kind="won", amount=Decimal("100"))
    with pytest.raises(Http404):
        order_create_from_opportunity(
            acting_user=make_user(role="sales_rep"), opportunity=opportunity
        )
    assert not Order.all_objects.exists()


def test_a_role_that_only_reads_deals_cannot_order_them(rep, make_user):
    opportunity = make_opportunity(rep, kind="won", amount=Decimal("100"))
    with pytest.raises(PermissionDenied):
        order_create_from_opportunity(
            acting_user=make_user(role="executive"), opportunity=opportunity
        )
    assert not Order.all_objects.exists()
