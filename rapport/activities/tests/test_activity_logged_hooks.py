"""The activity-logged hooks run for calls, meetings, e-mails and notes, not for tasks."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from rapport.activities.hooks import register_activity_logged, unregister_activity_logged
from rapport.activities.models import Activity
from rapport.activities.services import activity_create
from rapport.activities.tests.factories import make_lead

pytestmark = pytest.mark.django_db

seen: list[tuple[int, Any]] = []


def _record(*, activity: Activity, acting_user: Any) -> None:
    seen.append((activity.pk, acting_user))


def _explode(*, activity: Activity, acting_user: Any) -> None:
    raise RuntimeError("handler failed")


@pytest.fixture(autouse=True)
def _handler() -> Iterator[None]:
    seen.clear()
    register_activity_logged(_record)
    yield
    unregister_activity_logged(_record)
    unregister_activity_logged(_explode)


@pytest.mark.parametrize("kind", ["call", "meeting", "email", "note"])
def test_logging_an_activity_runs_the_handlers(rep, kind):
    lead = make_lead(rep)
    activity = activity_create(acting_user=rep, values={"kind": kind, "subject": "x", "lead": lead})
    assert seen == [(activity.pk, rep)]


def test_planning_a_task_does_not_run_them(rep):
    lead = make_lead(rep)
    activity_create(
        acting_user=rep,
        values={
            "kind": "task",
            "subject": "x",
            "lead": lead,
            "due_date": datetime.date(2026, 1, 1),
        },
    )
    assert seen == []


def test_a_handler_registered_twice_runs_once(rep):
    register_activity_logged(_record)
    activity_create(
        acting_user=rep, values={"kind": "call", "subject": "x", "lead": make_lead(rep)}
    )
    assert len(seen) == 1


def test_a_failing_handler_leaves_nothing_saved(rep):
    lead = make_lead(rep)
    register_activity_logged(_explode)
    with pytest.raises(RuntimeError):
        activity_create(acting_user=rep, values={"kind": "call", "subject": "x", "lead": lead})
    assert not Activity.objects.exists()
