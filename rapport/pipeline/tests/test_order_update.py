"""Changing an order: its status and a few facts; the rest came from the opportunity."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from rapport.core.models import AuditEntry, PicklistValue
from rapport.pipeline.models import Order
from rapport.pipeline.orders import order_delete, order_update
from rapport.pipeline.tests.matrix_specs_catalog import make_account, make_order, picklist_value

pytestmark = pytest.mark.django_db


def _row(order):
    return Order.all_objects.filter(pk=order.pk).values().get()


def test_the_owner_moves_their_order_to_another_status_audited(rep):
    order = make_order(rep)
    confirmed = picklist_value("order_status", "confirmed")
    order_update(acting_user=rep, order=order, values={"status": confirmed})
    assert Order.objects.get(pk=order.pk).status == confirmed
    entry = AuditEntry.objects.for_record("order", order.pk).get()
    assert entry.changes["status"]["new"]["repr"] == "Confirmed"


def test_facts_from_the_opportunity_do_not_change_on_the_order(rep):
    order = make_order(rep)
    before = _row(order)
    with pytest.raises(ValidationError) as refused:
        order_update(acting_user=rep, order=order, values={"account": make_account(rep)})
    assert "account" in refused.value.message_dict
    assert _row(order) == before


def test_a_retired_status_cannot_be_chosen(rep):
    order = make_order(rep)
    PicklistValue.objects.filter(picklist__key="order_status", key="invoiced").update(
        is_active=False
    )
    before = _row(order)
    with pytest.raises(ValidationError):
        order_update(
            acting_user=rep,
            order=order,
            values={"status": picklist_value("order_status", "invoiced")},
        )
    assert _row(order) == before


def test_another_rep_cannot_change_or_delete_an_order_out_of_sight(rep, make_user):
    order = make_order(rep)
    stranger = make_user(role="sales_rep")
    before = _row(order)
    with pytest.raises(Http404):
        order_update(
            acting_user=stranger,
            order=order,
            values={"status": picklist_value("order_status", "confirmed")},
        )
    with pytest.raises(Http404):
        order_delete(acting_user=stranger, order=order)
    assert _row(order) == before


def test_a_rep_may_not_delete_even_their_own_order(rep):
    order = make_order(rep)
    before = _row(order)
    with pytest.raises(PermissionDenied):
        order_delete(acting_user=rep, order=order)
    assert _row(order) == before


def test_an_administrator_deletes_an_order_into_the_recycle_bin(rep, admin_user):
    order = make_order(rep)
    order_delete(acting_user=admin_user, order=order)
    assert not Order.objects.filter(pk=order.pk).exists()
    assert Order.all_objects.get(pk=order.pk).is_deleted
