"""Changing lines needs edit on the opportunity (and its amount); a denial changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from rapport.access.models import Role
from rapport.access.permissions import field_permission_set, forget
from rapport.pipeline.catalog import line_item_add, line_item_remove, line_item_update
from rapport.pipeline.models import LineItem, Opportunity
from rapport.pipeline.orders import order_create_from_opportunity
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(rep):
    opportunity = make_opportunity(rep, amount=Decimal("500"))
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=80
    )
    return opportunity, line


def _state(opportunity):
    return (
        Opportunity.objects.get(pk=opportunity.pk).amount,
        list(LineItem.objects.values_list("id", "quantity", "unit_price", "discount_percent")),
    )


def test_another_reps_deal_is_out_of_sight(make_user, deal):
    opportunity, line = deal
    stranger = make_user(role="sales_rep")
    before = _state(opportunity)
    with pytest.raises(Http404):
        line_item_add(
            acting_user=stranger,
            opportunity=opportunity,
            product=make_product(),
            quantity=1,
            unit_price=1,
        )
    with pytest.raises(Http404):
        line_item_update(acting_user=stranger, line_item=line, values={"quantity": 9})
    with pytest.raises(Http404):
        line_item_remove(acting_user=stranger, line_item=line)
    assert _state(opportunity) == before


def test_a_role_that_only_reads_deals_cannot_change_lines(make_user, deal):
    opportunity, line = deal
    marketer = make_user(role="marketing")
    before = _state(opportunity)
    with pytest.raises(PermissionDenied):
        line_item_update(acting_user=marketer, line_item=line, values={"quantity": 9})
    with pytest.raises(PermissionDenied):
        line_item_remove(acting_user=marketer, line_item=line)
    assert _state(opportunity) == before


def test_a_role_whose_amount_is_read_only_cannot_change_lines(rep, admin_user, deal):
    opportunity, line = deal
    field_permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="sales_rep"),
        record_type="opportunity",
        field_name="amount",
        access="read_only",
    )
    forget(rep)
    before = _state(opportunity)
    with pytest.raises(PermissionDenied, match="amount"):
        line_item_update(acting_user=rep, line_item=line, values={"quantity": 9})
    assert _state(opportunity) == before


def test_lines_no_longer_change_once_the_deal_is_ordered(rep):
    opportunity = make_opportunity(rep, kind="won")
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=80
    )
    order = order_create_from_opportunity(acting_user=rep, opportunity=opportunity)
    before = _state(opportunity)
    with pytest.raises(ValidationError, match=order.number):
        line_item_update(acting_user=rep, line_item=line, values={"quantity": 9})
    with pytest.raises(ValidationError, match=order.number):
        line_item_remove(acting_user=rep, line_item=line)
    assert _state(opportunity) == before
