"""Logging a call on a lead touches it; other activities do not."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rapport.activities.services import activity_create
from rapport.leads.models import Lead
from rapport.leads.tests.helpers import make_lead

pytestmark = pytest.mark.django_db


def test_a_call_logged_on_a_lead_sets_its_last_touch(rep) -> None:
    lead = make_lead(rep)
    call = activity_create(
        acting_user=rep, values={"kind": "call", "subject": "Intro call", "lead": lead}
    )
    assert Lead.objects.get(pk=lead.pk).last_touched_at == call.occurred_at


def test_a_note_on_a_lead_is_not_a_touch(rep) -> None:
    lead = make_lead(rep)
    activity_create(
        acting_user=rep, values={"kind": "note", "subject": "Met at fair", "lead": lead}
    )
    assert Lead.objects.get(pk=lead.pk).last_touched_at is None


def test_an_older_call_logged_late_does_not_move_the_touch_back(rep) -> None:
    lead = make_lead(rep)
    now = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(last_touched_at=now)
    activity_create(
        acting_user=rep,
        values={
            "kind": "call",
            "subject": "Last week's call",
            "lead": lead,
            "occurred_at": now - datetime.timedelta(days=7),
        },
    )
    assert Lead.objects.get(pk=lead.pk).last_touched_at == now


def test_touching_takes_one_update_then_rescores(rep, django_assert_num_queries) -> None:
    """One UPDATE touches the lead; then it is read once so its derived data follows: its
    match keys (unchanged: one read) and its quality score (two reads, one write)."""
    from rapport.activities.models import Activity
    from rapport.leads.services import lead_touch_from_activity

    lead = make_lead(rep)
    call = Activity(kind="call", subject="x", lead=lead, owner=rep, occurred_at=timezone.now())
    with django_assert_num_queries(6):
        lead_touch_from_activity(activity=call, acting_user=rep)
