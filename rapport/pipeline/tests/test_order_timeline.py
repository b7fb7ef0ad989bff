"""Orders show on the timelines of their account, their deal's contact, and their deal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.activities.timeline import providers, timeline_for
from rapport.customers.models import Contact
from rapport.pipeline import catalog
from rapport.pipeline.orders import order_create_from_opportunity, orders_on_timeline
from rapport.pipeline.tests.matrix_specs_catalog import make_opportunity, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    catalog.register()


def test_register_adds_the_orders_provider():
    assert providers()["orders"] is orders_on_timeline


def test_an_order_shows_on_its_account_contact_and_deal(rep):
    contact = Contact.objects.create(last_name="Buyer", owner=rep)
    won = make_opportunity(rep, kind="won", amount=Decimal("750"), contact=contact)
    order = order_create_from_opportunity(acting_user=rep, opportunity=won)

    for subject_type, subject in (
        ("account", won.account),
        ("contact", contact),
        ("opportunity", won),
    ):
        entries = [
            e
            for e in timeline_for(viewer=rep, subject_type=subject_type, subject=subject)
            if e.kind == "order"
        ]
        assert [e.title for e in entries] == [f"Order {order.number}"], subject_type
        assert entries[0].url == f"/orders/{order.pk}/"
        assert entries[0].badge == "Draft"
        assert "750.00 EUR" in entries[0].subtitle


def test_orders_the_viewer_may_not_see_stay_off_the_timeline(rep, make_user):
    order = make_order(rep)
    stranger = make_user(role="sales_rep")
    assert (
        orders_on_timeline(viewer=stranger, subject_type="account", subject=order.account, limit=50)
        == []
    )


def test_a_hidden_total_is_left_out(rep, admin_user):
    from rapport.access.models import Role
    from rapport.access.permissions import field_permission_set

    order = make_order(rep)
    field_permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="sales_rep"),
        record_type="order",
        field_name="total_amount",
        access="hidden",
    )
    [entry] = orders_on_timeline(
        viewer=rep, subject_type="account", subject=order.account, limit=50
    )
    assert "100.00" not in entry.subtitle


def test_other_subjects_get_nothing(rep):
    order = make_order(rep)
    assert orders_on_timeline(viewer=rep, subject_type="lead", subject=order, limit=50) == []


def test_the_provider_runs_the_same_queries_for_1_or_6_orders(admin_user):
    first = make_order(admin_user)
    account = first.account
    orders_on_timeline(viewer=admin_user, subject_type="account", subject=account, limit=50)
    with CaptureQueriesContext(connection) as few:
        orders_on_timeline(viewer=admin_user, subject_type="account", subject=account, limit=50)
    from rapport.pipeline.models import Order

    for _ in range(5):
        Order.objects.filter(pk=make_order(admin_user).pk).update(account=account)
    with CaptureQueriesContext(connection) as many:
        found = orders_on_timeline(
            viewer=admin_user, subject_type="account", subject=account, limit=50
        )
    assert len(found) == 6
    assert len(many) == len(few)
