"""task_complete: sets completed_at once, leaves a methodology step alone."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from rapport.activities.models import Activity
from rapport.activities.services import task_complete, task_reopen
from rapport.activities.tests.factories import (
    make_account,
    make_activity,
    make_opportunity,
    make_step,
)
from rapport.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _task(owner, **fields):
    fields.setdefault("account", make_account(owner))
    return make_activity(
        owner, kind="task", subject="Send the quote", due_date=datetime.date(2026, 3, 2), **fields
    )


@time_machine.travel(NOW, tick=False)
def test_completing_a_task_sets_when_and_is_audited(rep):
    task = task_complete(acting_user=rep, task=_task(rep))
    assert Activity.objects.get(pk=task.pk).completed_at == NOW
    entry = AuditEntry.objects.get(record_type="activity", object_id=task.pk)
    assert entry.changes["completed_at"]["new"] == NOW.isoformat()


def test_completing_twice_keeps_the_first_time(rep):
    task = _task(rep)
    first = task_complete(acting_user=rep, task=task).completed_at
    task_complete(acting_user=rep, task=task)
    assert Activity.objects.get(pk=task.pk).completed_at == first
    assert AuditEntry.objects.filter(record_type="activity", object_id=task.pk).count() == 1


def test_a_methodology_task_completes_its_step_through_the_registered_handler(rep):
    account = make_account(rep)
    step = make_step(make_opportunity(rep, account))
    task = _task(rep, account=account, opportunity_step=step, opportunity=step.opportunity)
    task_complete(acting_user=rep, task=task)
    step.refresh_from_db()
    assert step.completed_at is not None


def test_only_a_task_can_be_completed(rep):
    call = make_activity(rep, account=make_account(rep))
    with pytest.raises(ValidationError):
        task_complete(acting_user=rep, task=call)
    assert Activity.objects.get(pk=call.pk).completed_at is None


def test_someone_who_cannot_see_the_task_gets_no_such_record(make_user, rep):
    task = _task(rep)
    with pytest.raises(Http404):
        task_complete(acting_user=make_user(), task=task)
    assert Activity.objects.get(pk=task.pk).completed_at is None


def test_a_completed_task_can_be_reopened(rep):
    task = task_complete(acting_user=rep, task=_task(rep))
    task_reopen(acting_user=rep, task=task)
    assert Activity.objects.get(pk=task.pk).completed_at is None
