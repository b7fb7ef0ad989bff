"""Creating a deal: sensible defaults, the first stage change, and the first step prompted."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rapport.activities.models import Activity
from rapport.core.models import AuditEntry, PicklistValue
from rapport.pipeline import services
from rapport.pipeline.models import Opportunity, OpportunityStep, StageChange

pytestmark = pytest.mark.django_db


def test_it_starts_at_the_first_open_stage_with_its_probability_in_euros(opportunity, rep):
    assert opportunity.stage.key == "prospecting"
    assert opportunity.probability == 10
    assert opportunity.currency.key == "EUR"
    assert opportunity.owner == rep
    assert opportunity.closed_at is None


def test_it_logs_the_first_stage_change_from_nowhere(opportunity, rep):
    [change] = StageChange.objects.filter(opportunity=opportunity)
    assert change.from_stage is None
    assert change.to_stage == opportunity.stage
    assert change.changed_by == rep
    assert change.time_in_previous is None


def test_it_prompts_the_first_step_with_a_task_for_the_owner(opportunity, rep):
    [prompted] = OpportunityStep.objects.filter(opportunity=opportunity)
    assert prompted.step.name == "Research the account"
    assert prompted.due_date == timezone.localdate() + datetime.timedelta(days=2)
    [task] = Activity.objects.filter(opportunity_step=prompted)
    assert task.kind == "task"
    assert task.owner == rep
    assert task.subject == "Research the account"
    assert task.due_date == prompted.due_date
    assert task.account == opportunity.account


def test_the_rep_may_set_probability_and_currency(make_opportunity, rep):
    usd = PicklistValue.objects.get(picklist__key="currency", key="USD")
    opportunity = make_opportunity(rep, probability=25, currency=usd)
    assert (opportunity.probability, opportunity.currency.key) == (25, "USD")


def test_it_is_audited(opportunity, rep):
    entry = AuditEntry.objects.get(record_type="opportunity", object_id=opportunity.pk)
    assert entry.action == "create"
    assert entry.actor == rep
    assert entry.changes["stage"]["new"]["id"] == opportunity.stage_id


def test_a_deal_created_at_a_later_stage_needs_that_stages_fields(stages, account, rep):
    with pytest.raises(ValidationError) as raised:
        services.opportunity_create(
            acting_user=rep,
            values={"name": "Late", "account": account, "stage": stages["proposal"]},
        )
    assert set(raised.value.message_dict) == {"amount", "forecast_close_date"}
    assert not Opportunity.objects.filter(name="Late").exists()
    made = services.opportunity_create(
        acting_user=rep,
        values={
            "name": "Late",
            "account": account,
            "stage": stages["proposal"],
            "amount": Decimal("100"),
            "forecast_close_date": datetime.date(2027, 1, 1),
        },
    )
    assert made.probability == 60
    assert OpportunityStep.objects.get(opportunity=made).step.name == "Send proposal"


def test_a_role_without_create_permission_is_refused_and_nothing_is_written(
    make_user, stages, account
):
    agent = make_user(role="service_agent")
    before = (Opportunity.all_objects.count(), Activity.all_objects.count())
    with pytest.raises(PermissionDenied):
        services.opportunity_create(acting_user=agent, values={"name": "No", "account": account})
    assert (Opportunity.all_objects.count(), Activity.all_objects.count()) == before
