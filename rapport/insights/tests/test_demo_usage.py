"""`rapport demo` adds a year of usage: deterministic, with diligent, drifting and stopped people.

The demo is built once for the module (it takes seconds) and rolled back at the end.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from rapport.access.models import User
from rapport.demo.builder import demo_build
from rapport.insights.models import UsageEvent
from rapport.insights.selectors import active_time

FROZEN = "2026-06-15 12:00:00+00:00"


def _digest():
    per_person = list(
        UsageEvent.objects.values_list("user__email", "kind")
        .annotate(n=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("user__email", "kind")
    )
    sample = list(
        UsageEvent.objects.order_by(
            "user__email", "at", "kind", "session_hash", "path"
        ).values_list("user__email", "kind", "at", "area", "path", "duration_ms", "session_hash")[
            :2000
        ]
    )
    return per_person, sample


def _build_and_roll_back(seed):
    with transaction.atomic():
        demo_build(seed=seed)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.fixture(scope="module")
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.mark.usefixtures("frozen")
def test_the_same_seed_builds_the_same_usage_history(db):
    first = _build_and_roll_back(7)
    second = _build_and_roll_back(7)

    assert first == second
    assert first[0], "the demo built no usage at all"


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker, frozen):
    with django_db_blocker.unblock(), transaction.atomic():
        demo_build()
        yield timezone.now()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once


def _beats(email, start, end):
    return UsageEvent.objects.filter(
        user__email=email, kind=UsageEvent.Kind.HEARTBEAT, at__gte=start, at__lt=end
    ).count()


def test_the_history_covers_twelve_months_and_ends_before_today(demo):
    span = UsageEvent.objects.aggregate(first=Min("at"), last=Max("at"))

    assert demo - timedelta(days=366) <= span["first"] < demo - timedelta(days=360)
    assert span["last"] < demo
    kinds = set(UsageEvent.objects.values_list("kind", flat=True).distinct())
    assert kinds == set(UsageEvent.Kind.values)


def test_the_diligent_keep_going_and_the_drifting_fade(demo):
    year_ago = demo - timedelta(days=365)
    early = (year_ago + timedelta(days=30), year_ago + timedelta(days=90))
    late = (demo - timedelta(days=60), demo)

    manager_early = _beats("manager@demo.rapport.test", *early)
    manager_late = _beats("manager@demo.rapport.test", *late)
    rep_early = _beats("rep@demo.rapport.test", *early)
    rep_late = _beats("rep@demo.rapport.test", *late)

    assert manager_late > 0.7 * manager_early
    assert rep_late < 0.5 * rep_early


def test_a_couple_of_people_stopped_using_rapport(demo):
    recent = set(
        UsageEvent.objects.filter(at__gte=demo - timedelta(days=90)).values_list(
            "user_id", flat=True
        )
    )
    stopped = User.objects.exclude(pk__in=recent)

    assert stopped.count() == 2
    assert all(UsageEvent.objects.filter(user=person).exists() for person in stopped)


def test_demo_sessions_give_realistic_active_time(demo):
    manager = User.objects.get(email="manager@demo.rapport.test")
    month = active_time(manager, demo - timedelta(days=30), demo)

    # A diligent manager: well over an hour a week, far from all day.
    assert timedelta(hours=5) < month < timedelta(hours=40)


def test_some_people_use_the_api(demo):
    callers = (
        UsageEvent.objects.filter(kind=UsageEvent.Kind.API_CALL)
        .values_list("user__email", flat=True)
        .distinct()
    )

    assert "manager@demo.rapport.test" in set(callers)
    assert 2 <= len(set(callers)) <= 5
