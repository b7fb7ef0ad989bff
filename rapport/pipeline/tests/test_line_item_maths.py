"""A line's total: quantity times unit price less the discount, rounded to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rapport.pipeline.catalog import line_total
from rapport.pipeline.models import LineItem


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "expected"),
    [
        ("1", "100.00", "0", "100.00"),
        ("3", "19.99", "0", "59.97"),
        ("2", "50.00", "10", "90.00"),
        ("1.5", "10.00", "0", "15.00"),
        ("3", "33.33", "33.33", "66.66"),  # 99.99 x 0.6667 = 66.663333 -> 66.66
        ("1", "0.05", "50", "0.02"),  # 0.025: half to even
        ("1", "0.15", "50", "0.08"),  # 0.075: half to even
        ("7", "12.50", "100", "0.00"),
    ],
)
def test_the_total_is_quantity_times_price_less_the_discount(quantity, price, discount, expected):
    total = line_total(
        quantity=Decimal(quantity), unit_price=Decimal(price), discount_percent=Decimal(discount)
    )
    assert total == Decimal(expected)


@pytest.mark.parametrize(
    ("quantity", "price", "discount"),
    [("3", "33.33", "33.33"), ("1", "0.05", "50"), ("2.25", "17.77", "12.5")],
)
def test_the_service_total_agrees_with_the_line_total_pages_show(quantity, price, discount):
    line = LineItem(
        quantity=Decimal(quantity), unit_price=Decimal(price), discount_percent=Decimal(discount)
    )
    assert (
        line_total(
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
        )
        == line.total
    )
