"""Adding a product to an opportunity: where the price comes from, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rapport.core.models import AuditEntry
from rapport.pipeline.catalog import line_item_add
from rapport.pipeline.models import LineItem
from rapport.pipeline.tests.matrix_specs_catalog import (
    make_opportunity,
    make_price_list,
    make_product,
    set_price,
)

pytestmark = pytest.mark.django_db


def test_the_price_comes_from_the_opportunitys_own_price_list(rep):
    product = make_product()
    own = make_price_list(name="Partner EUR")
    set_price(own, product, "80.00")
    set_price(make_price_list(name="Standard EUR", is_default=True), product, "100.00")
    opportunity = make_opportunity(rep, price_list=own)

    line = line_item_add(acting_user=rep, opportunity=opportunity, product=product, quantity=2)

    assert line.unit_price == Decimal("80.00")
    assert line.total == Decimal("160.00")


def test_without_a_list_of_its_own_the_price_comes_from_its_currencys_default_list(rep):
    product = make_product()
    set_price(make_price_list(currency="USD", is_default=True), product, "120.00")
    set_price(make_price_list(currency="EUR", is_default=True), product, "100.00")
    set_price(make_price_list(currency="EUR"), product, "90.00")
    opportunity = make_opportunity(rep, currency="USD")

    line = line_item_add(acting_user=rep, opportunity=opportunity, product=product, quantity=1)

    assert line.unit_price == Decimal("120.00")


def test_a_unit_price_given_wins_over_the_list(rep):
    product = make_product()
    set_price(make_price_list(is_default=True), product, "100.00")
    opportunity = make_opportunity(rep)

    line = line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=product,
        quantity=1,
        unit_price="75.50",
        discount_percent="10",
    )

    assert line.unit_price == Decimal("75.50")
    assert line.total == Decimal("67.95")


def test_a_product_without_a_price_and_no_unit_price_is_refused_naming_the_field(rep):
    product = make_product(name="Widget")
    make_price_list(is_default=True)
    opportunity = make_opportunity(rep)

    with pytest.raises(ValidationError) as refused:
        line_item_add(acting_user=rep, opportunity=opportunity, product=product, quantity=1)

    assert "unit_price" in refused.value.message_dict
    assert "Widget" in refused.value.message_dict["unit_price"][0]
    assert not LineItem.objects.exists()


def test_no_default_list_for_the_currency_and_no_unit_price_is_refused(rep):
    product = make_product()
    set_price(make_price_list(currency="EUR", is_default=True), product, "10.00")
    opportunity = make_opportunity(rep, currency="GBP")

    with pytest.raises(ValidationError) as refused:
        line_item_add(acting_user=rep, opportunity=opportunity, product=product, quantity=1)

    assert "default price list" in refused.value.message_dict["unit_price"][0]


def test_a_retired_product_cannot_be_added(rep):
    product = make_product(is_active=False)
    opportunity = make_opportunity(rep)

    with pytest.raises(ValidationError) as refused:
        line_item_add(
            acting_user=rep, opportunity=opportunity, product=product, quantity=1, unit_price=5
        )

    assert "product" in refused.value.message_dict
    assert not LineItem.objects.exists()


def test_a_quantity_below_one_hundredth_is_refused_naming_the_field(rep):
    opportunity = make_opportunity(rep)

    with pytest.raises(ValidationError) as refused:
        line_item_add(
            acting_user=rep,
            opportunity=opportunity,
            product=make_product(),
            quantity=0,
            unit_price=5,
        )

    assert "quantity" in refused.value.message_dict


def test_lines_are_numbered_in_the_order_they_are_added(rep):
    opportunity = make_opportunity(rep)
    first = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=1
    )
    second = line_item_add(
        acting_user=rep, opportunity=opportunity, product=make_product(), quantity=1, unit_price=1
    )
    assert (first.sort_order, second.sort_order) == (1, 2)


def test_the_line_is_written_to_the_opportunitys_history_without_its_price(rep):
    opportunity = make_opportunity(rep)
    line_item_add(
        acting_user=rep,
        opportunity=opportunity,
        product=make_product(name="Widget", code="W-1"),
        quantity=3,
        unit_price="9.90",
        discount_percent="5",
    )
    entry = AuditEntry.objects.for_record("opportunity", opportunity.pk).filter(
        changes__has_key="products"
    )
    [line_entry] = entry
    assert line_entry.actor == rep
    # The price adds up to the amount, which is field-secured: its own entry carries it.
    assert line_entry.changes["products"] == {"old": None, "new": "3 x Widget (W-1) less 5%"}


def test_a_price_list_in_another_currency_is_refused_rather_than_misprice(rep):
    product = make_product()
    dollars = make_price_list(name="Standard USD", currency="USD")
    set_price(dollars, product, "100.00")
    opportunity = make_opportunity(rep, currency="EUR", price_list=dollars)

    with pytest.raises(ValidationError) as refused:
        line_item_add(acting_user=rep, opportunity=opportunity, product=product, quantity=1)

    assert "Standard USD" in refused.value.message_dict["unit_price"][0]
    assert not LineItem.objects.exists()
