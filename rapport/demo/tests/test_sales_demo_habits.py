"""Reps differ the way their usage habits say, and the demo logins own believable work.

A diligent rep (the usage history's label for the same person) touches leads within hours, logs
many calls, completes methodology steps and fills fields; a drifting or stopped one does not.
The demo is built once for the module and rolled back at the end.
"""

from __future__ import annotations

import random
from datetime import timedelta
from statistics import median

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, Min, Q
from django.test import override_settings
from django.utils import timezone

from rapport.access.models import Role, User
from rapport.activities.models import Activity
from rapport.activities.my_day import my_day, team_of
from rapport.customers.models import Contact
from rapport.demo.builder import demo_build
from rapport.insights.demo import _habits
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity, OpportunityStep

FROZEN = "2026-06-15 12:00:00+00:00"
DILIGENT = {"diligent"}
LAX = {"drifting", "stopped"}


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(FROZEN, tick=False),
        override_settings(DEMO_SALES_SCALE=0.3),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        demo_build()
        people = sorted(User.objects.select_related("role"), key=lambda person: person.pk)
        # The usage history's habits, drawn the way its step draws them.
        kinds = {
            pk: habit.kind for pk, habit in _habits(people, random.Random("2024:usage")).items()
        }
        yield kinds
        transaction.set_rollback(True)


@pytest.fixture
def habits(_demo_once, db):
    return _demo_once


def _sellers(habits, kinds):
    return list(
        User.objects.filter(
            role__key__in=[Role.Key.SALES_REP, Role.Key.SALES_MANAGER],
            pk__in=[pk for pk, kind in habits.items() if kind in kinds],
        ).values_list("pk", flat=True)
    )


def _share(part, whole):
    return part / whole if whole else 0.0


def test_diligent_reps_touch_new_leads_within_hours_and_lax_ones_take_days(habits):
    first_calls = (
        Lead.objects.filter(converted_at__isnull=True)
        .annotate(first_call=Min("activities__occurred_at", filter=Q(activities__kind="call")))
        .filter(first_call__isnull=False)
    )

    def hours(kinds):
        return median(
            (lead.first_call - lead.created_at) / timedelta(hours=1)
            for lead in first_calls.filter(owner__in=_sellers(habits, kinds))
        )

    assert hours(DILIGENT) < 8
    assert hours(LAX) > 2 * hours(DILIGENT)


def test_lax_reps_leave_more_leads_untouched(habits):
    def untouched(kinds):
        leads = Lead.objects.filter(owner__in=_sellers(habits, kinds))
        return _share(leads.filter(last_touched_at__isnull=True).count(), leads.count())

    assert untouched(DILIGENT) < 0.1
    assert untouched(LAX) > 2 * untouched(DILIGENT)


def test_diligent_reps_log_more_calls_in_the_last_quarter(habits):
    since = timezone.now() - timedelta(days=90)

    def per_rep(kinds):
        owners = _sellers(habits, kinds)
        calls = Activity.objects.filter(
            owner__in=owners, kind="call", lead__isnull=True, occurred_at__gte=since
        )
        return calls.count() / len(owners)

    assert per_rep(DILIGENT) > 1.5 * per_rep(LAX)


def test_lax_reps_leave_more_methodology_steps_overdue(habits):
    today = timezone.localdate()

    def overdue(kinds):
        steps = OpportunityStep.objects.filter(
            opportunity__owner__in=_sellers(habits, kinds), opportunity__stage__kind="open"
        )
        late = steps.filter(completed_at__isnull=True, due_date__lt=today).count()
        return _share(late, steps.count())

    assert overdue(LAX) > 2 * overdue(DILIGENT)


def test_lax_reps_leave_more_amounts_and_forecast_dates_empty(habits):
    def empty(kinds):
        deals = Opportunity.objects.filter(owner__in=_sellers(habits, kinds), stage__kind="open")
        missing = deals.filter(Q(amount__isnull=True) | Q(forecast_close_date__isnull=True))
        return _share(missing.count(), deals.count())

    assert empty(LAX) > 2 * empty(DILIGENT)


def test_lax_reps_capture_fewer_title_levels(habits):
    def captured(kinds):
        contacts = Contact.objects.filter(owner__in=_sellers(habits, kinds))
        return _share(contacts.filter(title_level__isnull=False).count(), contacts.count())

    assert captured(DILIGENT) > captured(LAX) + 0.05
    levels = Contact.objects.filter(title_level__isnull=False)
    cxo = _share(levels.filter(title_level__key="c_level").count(), levels.count())
    assert 0.04 < cxo < 0.14


def test_the_rep_login_has_a_full_my_day(habits):
    rep = User.objects.get(email="rep@demo.rapport.test")

    _, (day,) = my_day(viewer=rep, people=[rep], today=timezone.localdate())

    assert len(day.tasks) >= 3
    today = timezone.localdate()
    assert any(task.due_date and task.due_date < today for task in day.tasks), "overdue tasks"
    assert len(day.leads) >= 5
    assert day.steps
    assert len(day.deals) >= 3


def test_the_manager_login_sees_a_team_with_work_on_its_plate(habits):
    manager = User.objects.get(email="manager@demo.rapport.test")

    _, days = my_day(viewer=manager, people=team_of(manager), today=timezone.localdate())

    assert len(days) >= 5
    assert sum(not day.is_clear for day in days) >= 4


def test_the_manager_login_leads_a_team_of_diligent_and_lax_reps(habits):
    manager = User.objects.get(email="manager@demo.rapport.test")
    reps = User.objects.filter(manager=manager, role__key=Role.Key.SALES_REP)
    kinds = {habits[rep.pk] for rep in reps}

    assert kinds & {"diligent", "steady"}
    assert kinds & LAX
    busy = reps.annotate(deals=Count("opportunities", distinct=True)).filter(deals__gt=0).count()
    assert busy == reps.count(), "every rep of the team has deals"
