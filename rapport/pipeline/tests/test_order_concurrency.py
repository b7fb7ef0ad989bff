"""Two people ordering at the same moment (PostgreSQL: SQLite writes one at a time anyway)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from rapport.pipeline.models import Order
from rapport.pipeline.orders import order_create_from_opportunity, order_number
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def _at_once(jobs):
    """Run the jobs in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_double_click_makes_one_order_and_a_readable_refusal(rep):
    won = make_opportunity(rep, kind="won", amount=Decimal("100"))
    results = _at_once(
        [lambda: order_create_from_opportunity(acting_user=rep, opportunity=won)] * 2
    )
    orders = [r for r in results if isinstance(r, Order)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(orders) == 1, results
    assert len(refusals) == 1, results
    assert orders[0].number in refusals[0].messages[0]
    assert Order.objects.count() == 1


def test_orders_made_at_the_same_moment_get_different_numbers(rep):
    deals = [make_opportunity(rep, kind="won", amount=Decimal("100")) for _ in range(4)]
    results = _at_once(
        [
            (lambda deal=deal: order_create_from_opportunity(acting_user=rep, opportunity=deal))
            for deal in deals
        ]
    )
    assert all(isinstance(r, Order) for r in results), results
    numbers = set(Order.objects.values_list("number", flat=True))
    assert len(numbers) == 4
    assert numbers == {order_number(pk) for pk in Order.objects.values_list("pk", flat=True)}
