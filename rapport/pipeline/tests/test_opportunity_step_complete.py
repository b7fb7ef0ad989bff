"""Completing a methodology step prompts the next one (a task for the owner with its due date)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapport.activities.models import Activity
from rapport.pipeline import services
from rapport.pipeline.models import OpportunityStep
from rapport.pipeline.tests.conftest import complete_steps

pytestmark = pytest.mark.django_db


def _in_discovery(opportunity, rep, stages):
    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    return OpportunityStep.objects.get(opportunity=opportunity, completed_at__isnull=True)


def test_it_marks_the_step_and_its_task_done(opportunity, rep, stages):
    first = _in_discovery(opportunity, rep, stages)
    services.opportunity_step_complete(acting_user=rep, opportunity_step=first)
    first.refresh_from_db()
    assert first.completed_at is not None
    assert first.completed_by == rep
    assert Activity.objects.get(opportunity_step=first).completed_at is not None


def test_it_prompts_the_next_step_with_a_task_due_in_its_days(opportunity, rep, stages):
    first = _in_discovery(opportunity, rep, stages)
    following = services.opportunity_step_complete(acting_user=rep, opportunity_step=first)
    assert following is not None
    assert following.step.name == "Identify decision makers"
    assert following.due_date == timezone.localdate() + datetime.timedelta(days=5)
    task = Activity.objects.get(opportunity_step=following)
    assert (task.kind, task.owner, task.due_date, task.completed_at) == (
        "task",
        rep,
        following.due_date,
        None,
    )


def test_after_the_last_step_it_returns_nothing(opportunity, rep, stages):
    first = _in_discovery(opportunity, rep, stages)
    following = services.opportunity_step_complete(acting_user=rep, opportunity_step=first)
    assert following is not None
    assert services.opportunity_step_complete(acting_user=rep, opportunity_step=following) is None


def test_a_step_cannot_be_done_twice(opportunity, rep):
    step = OpportunityStep.objects.get(opportunity=opportunity)
    services.opportunity_step_complete(acting_user=rep, opportunity_step=step)
    with pytest.raises(ValidationError):
        services.opportunity_step_complete(acting_user=rep, opportunity_step=step)


def test_someone_who_may_not_edit_the_deal_cannot_complete_its_steps(opportunity, make_user):
    agent = make_user(role="service_agent")
    step = OpportunityStep.objects.get(opportunity=opportunity)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.opportunity_step_complete(acting_user=agent, opportunity_step=step)
    step.refresh_from_db()
    assert step.completed_at is None
    assert Activity.objects.get(opportunity_step=step).completed_at is None


def test_ticking_off_a_steps_task_completes_the_step_and_prompts_the_next(opportunity, rep, stages):
    from rapport.activities.services import task_complete

    first = _in_discovery(opportunity, rep, stages)
    task = Activity.objects.get(opportunity_step=first)
    task_complete(acting_user=rep, task=task)  # the registered handler completes the step
    first.refresh_from_db()
    assert first.completed_at is not None
    following = OpportunityStep.objects.get(
        opportunity=first.opportunity, step__name="Identify decision makers"
    )
    assert following.completed_at is None
    assert Activity.objects.filter(opportunity_step=following, completed_at=None).exists()
    # Again (the step is done now): nothing more happens.
    assert services.opportunity_step_complete_for_task(task=task, acting_user=rep) is None
