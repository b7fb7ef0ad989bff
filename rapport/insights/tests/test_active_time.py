"""Heartbeats from pages measure active time; gaps longer than the idle threshold do not count."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rapport.insights.models import UsageEvent
from rapport.insights.selectors import IDLE_GAP, active_time
from rapport.insights.services import session_hash, usage_record


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def _since(start):
    return start - timedelta(seconds=1), timezone.now() + timedelta(seconds=1)


def test_a_heartbeat_is_recorded_with_the_area_of_the_page(rep, clock):
    client = Client()
    client.force_login(rep)

    response = client.post("/insights/heartbeat/", {"page": f"/people/{rep.pk}/"})

    assert response.status_code == 204
    event = UsageEvent.objects.get(kind=UsageEvent.Kind.HEARTBEAT)
    assert (event.user, event.area, event.path) == (rep, "people", "people/<int:pk>/")
    assert event.session_hash == session_hash(client.session.session_key)


def test_a_heartbeat_needs_a_signed_in_person_and_a_csrf_token(rep):
    assert Client().post("/insights/heartbeat/", {"page": "/"}).status_code == 403
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post("/insights/heartbeat/", {"page": "/"}).status_code == 403
    assert client.get("/insights/heartbeat/").status_code == 405

    assert not UsageEvent.objects.filter(kind=UsageEvent.Kind.HEARTBEAT).exists()


def test_active_time_sums_heartbeat_intervals_and_excludes_idle_gaps(rep, clock):
    client = Client()
    client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    start = timezone.now()
    client.get("/")  # at 0:00, the page view
    for _ in range(5):  # busy for five minutes: a beat each minute
        clock.shift(timedelta(minutes=1))
        client.post("/insights/heartbeat/", {"page": "/"})
    clock.shift(timedelta(minutes=20))  # lunch: no beats, idle
    client.get("/people/")
    for _ in range(3):  # three more busy minutes
        clock.shift(timedelta(minutes=1))
        client.post("/insights/heartbeat/", {"page": "/people/"})

    assert active_time(rep, *_since(start)) == timedelta(minutes=8)


def test_a_gap_of_exactly_the_idle_threshold_still_counts(rep, clock):
    start = timezone.now()
    usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep, session_key="s1", at=start)
    usage_record(kind=UsageEvent.Kind.HEARTBEAT, user=rep, session_key="s1", at=start + IDLE_GAP)
    usage_record(
        kind=UsageEvent.Kind.HEARTBEAT,
        user=rep,
        session_key="s1",
        at=start + 2 * IDLE_GAP + timedelta(seconds=1),
    )

    assert active_time(rep, start, start + timedelta(hours=1)) == IDLE_GAP


def test_two_sessions_are_measured_apart_and_other_kinds_and_people_do_not_count(
    rep, make_user, clock
):
    start = timezone.now()
    other = make_user()
    for minute in range(3):
        at = start + timedelta(minutes=minute)
        usage_record(kind=UsageEvent.Kind.HEARTBEAT, user=rep, session_key="laptop", at=at)
        usage_record(
            kind=UsageEvent.Kind.HEARTBEAT,
            user=rep,
            session_key="phone",
            at=at + timedelta(seconds=30),
        )
        usage_record(kind=UsageEvent.Kind.HEARTBEAT, user=other, session_key="x", at=at)
        usage_record(kind=UsageEvent.Kind.API_CALL, user=rep, at=at + timedelta(seconds=45))

    # Each session beats at 0, 1 and 2 minutes (two active minutes); they are never interleaved.
    assert active_time(rep, start, start + timedelta(hours=1)) == timedelta(minutes=4)


def test_active_time_only_counts_events_inside_the_period(rep, clock):
    start = timezone.now()
    for minute in range(10):
        usage_record(
            kind=UsageEvent.Kind.HEARTBEAT,
            user=rep,
            session_key="s",
            at=start + timedelta(minutes=minute),
        )

    assert active_time(rep, start, start + timedelta(minutes=4, seconds=30)) == timedelta(minutes=4)
