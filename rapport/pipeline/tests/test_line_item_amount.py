"""An opportunity with line items is worth the sum of their totals, audited as a change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rapport.core.models import AuditEntry
from rapport.pipeline.catalog import line_item_add, line_item_remove, line_item_update
from rapport.pipeline.models import Opportunity
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity, make_product

pytestmark = pytest.mark.django_db


def _amount(opportunity):
    return Opportunity.objects.get(pk=opportunity.pk).amount


def _amount_changes(opportunity):
    return [
        entry.changes["amount"]
        for entry in AuditEntry.objects.for_record("opportunity", opportunity.pk).order_by("id")
        if "amount" in entry.changes
    ]


def test_adding_lines_sets_the_amount_to_their_sum(rep):
    opportunity = make_opportunity(rep, amount=Decimal("5000"))
    line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=2, unit_price=100
    )
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=make_product(),
        quantity=3,
        unit_price="33.33",
        discount_percent="33.33",
    )
    assert _amount(opportunity) == Decimal("266.66")
    assert _amount_changes(opportunity) == [
        {"old": "5000.00", "new": "200.00"},
        {"old": "200.00", "new": "266.66"},
    ]


def test_changing_a_line_recalculates_the_amount(rep):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=50
    )
    line_item_update(
        acting_user=rep, line_item=line, values={"quantity": "4", "discount_percent": "25"}
    )
    assert _amount(opportunity) == Decimal("150.00")
    assert _amount_changes(opportunity)[-1] == {"old": "50.00", "new": "150.00"}


def test_a_price_change_is_audited_as_the_amount_only(rep):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=2, unit_price=50
    )
    entries = AuditEntry.objects.count()
    line_item_update(acting_user=rep, line_item=line, values={"unit_price": "60"})
    [entry] = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - entries]
    assert entry.changes == {"amount": {"old": "100.00", "new": "120.00"}}


def test_a_change_that_changes_nothing_writes_nothing(rep):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=50
    )
    entries = AuditEntry.objects.count()
    line_item_update(acting_user=rep, line_item=line, values={"quantity": Decimal("1.00")})
    assert AuditEntry.objects.count() == entries


def test_removing_a_line_recalculates_from_the_lines_left(rep):
    opportunity = make_opportunity(rep)
    keep = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=70
    )
    drop = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=30
    )
    line_item_remove(acting_user=rep, line_item=drop)
    assert _amount(opportunity) == keep.total == Decimal("70.00")


def test_removing_the_last_line_leaves_the_amount_for_the_rep_to_set(rep):
    opportunity = make_opportunity(rep)
    line = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=70
    )
    line_item_remove(acting_user=rep, line_item=line)
    assert _amount(opportunity) == Decimal("70.00")
    removal = AuditEntry.objects.for_record("opportunity", opportunity.pk).first()
    assert removal is not None
    assert removal.changes["products"]["new"] is None


def test_amount_from_lines_is_none_without_lines_and_the_sum_with_them(rep):
    from rapport.pipeline.catalog import amount_from_lines

    opportunity = make_opportunity(rep, amount=Decimal("5"))
    assert amount_from_lines(opportunity) is None
    line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=2, unit_price=3
    )
    assert amount_from_lines(opportunity) == Decimal("6.00")
