"""The timeline of a record: order, what an account's covers, permissions, query count."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone

from rapport.access.permissions import forget
from rapport.activities.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_lead,
    make_opportunity,
)
from rapport.activities.timeline import (
    TimelineEntry,
    register_provider,
    timeline_for,
    unregister_provider,
)

pytestmark = pytest.mark.django_db


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_entries_come_newest_first(rep):
    account = make_account(rep)
    make_activity(rep, subject="Old", account=account, occurred_at=_ago(5))
    make_activity(rep, subject="New", account=account, occurred_at=_ago(1))
    make_activity(rep, subject="Middle", account=account, occurred_at=_ago(3))
    titles = [e.title for e in timeline_for(viewer=rep, subject_type="account", subject=account)]
    assert titles == ["New", "Middle", "Old"]


def test_an_accounts_timeline_includes_its_contacts_and_deals(rep):
    account = make_account(rep)
    contact = make_contact(rep, account)
    deal = make_opportunity(rep, account)
    make_activity(rep, subject="On the contact", contact=contact, occurred_at=_ago(1))
    make_activity(rep, subject="On the deal", opportunity=deal, occurred_at=_ago(2))
    make_activity(rep, subject="Elsewhere", account=make_account(rep, name="Other"))
    entries = timeline_for(viewer=rep, subject_type="account", subject=account)
    titles = [e.title for e in entries if e.activity_id is not None]
    assert titles == ["On the contact", "On the deal"]


def test_open_tasks_come_first_soonest_due(rep):
    lead = make_lead(rep)
    today = timezone.localdate()
    make_activity(rep, subject="Call", lead=lead, occurred_at=_ago(0))
    make_activity(
        rep, kind="task", subject="Later", lead=lead, due_date=today + datetime.timedelta(days=3)
    )
    make_activity(rep, kind="task", subject="Soon", lead=lead, due_date=today)
    make_activity(
        rep,
        kind="task",
        subject="Done",
        lead=lead,
        due_date=today,
        completed_at=_ago(1),
        occurred_at=_ago(2),
    )
    entries = timeline_for(viewer=rep, subject_type="lead", subject=lead)
    assert [(e.title, e.pinned) for e in entries] == [
        ("Soon", True),
        ("Later", True),
        ("Call", False),
        ("Done", False),
    ]
    assert entries[0].badge == "Due today"
    assert entries[0].can_complete


def test_a_viewer_sees_only_the_activities_they_may_read(make_user, rep):
    other = make_user()
    account = make_account(rep)
    make_activity(rep, subject="Mine", account=account)
    make_activity(other, subject="Theirs", account=account)
    titles = [e.title for e in timeline_for(viewer=rep, subject_type="account", subject=account)]
    assert titles == ["Mine"]


def test_notes_hidden_from_a_role_stay_out_of_the_subtitle(rep):
    from rapport.access.models import FieldPermission

    FieldPermission.objects.create(
        role=rep.role, record_type="activity", field_name="notes", access="hidden"
    )
    forget(rep)
    contact = make_contact(rep, make_account(rep))
    make_activity(rep, contact=contact, notes="The secret price is 42")
    [entry] = timeline_for(viewer=rep, subject_type="contact", subject=contact)
    assert "secret" not in entry.subtitle


def test_the_query_count_does_not_grow_with_the_entries(rep, django_assert_max_num_queries):
    account = make_account(rep)
    contact = make_contact(rep, account)
    for n in range(3):
        make_activity(rep, subject=f"a{n}", contact=contact)
    timeline_for(viewer=rep, subject_type="account", subject=account)  # warms the rule cache
    forget(rep)
    with django_assert_max_num_queries(20) as few:
        timeline_for(viewer=rep, subject_type="account", subject=account)
    for n in range(20):
        make_activity(
            rep, subject=f"b{n}", contact=contact, kind="task", due_date=timezone.localdate()
        )
        make_activity(rep, subject=f"c{n}", contact=contact)
    forget(rep)
    with django_assert_max_num_queries(len(few.captured_queries)):
        entries = timeline_for(viewer=rep, subject_type="account", subject=account)
    assert len([e for e in entries if e.activity_id is not None]) == 20 + 23


@pytest.fixture
def _orders_provider() -> Iterator[None]:
    def provider(*, viewer, subject_type, subject, limit):
        return [
            TimelineEntry(at=_ago(2), kind="order", icon="shopping-cart", title="Order 1"),
        ]

    register_provider("test-orders", provider)
    yield
    unregister_provider("test-orders")


@pytest.mark.usefixtures("_orders_provider")
def test_entries_of_every_provider_are_merged_by_time(rep):
    account = make_account(rep)
    make_activity(rep, subject="Recent call", account=account, occurred_at=_ago(1))
    make_activity(rep, subject="Old call", account=account, occurred_at=_ago(3))
    titles = [e.title for e in timeline_for(viewer=rep, subject_type="account", subject=account)]
    assert titles == ["Recent call", "Order 1", "Old call"]


def test_the_limit_caps_the_history(rep):
    lead = make_lead(rep)
    for n in range(5):
        make_activity(rep, subject=f"n{n}", lead=lead, occurred_at=_ago(n))
    entries = timeline_for(viewer=rep, subject_type="lead", subject=lead, limit=2)
    assert [e.title for e in entries] == ["n0", "n1"]
