"""Moving a deal through the pipeline: stage gates forward, none backwards, won and lost."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.activities.models import Activity
from rapport.core.models import AuditEntry, PicklistValue
from rapport.pipeline import services
from rapport.pipeline.gates import StageGateError
from rapport.pipeline.models import Opportunity, OpportunityStep, StageChange
from rapport.pipeline.tests.conftest import complete_steps, ready_for

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def _state(opportunity: Opportunity) -> tuple[object, ...]:
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    return (
        fresh.stage_id,
        fresh.probability,
        fresh.stage_changed_at,
        StageChange.objects.filter(opportunity=opportunity).count(),
        OpportunityStep.objects.filter(opportunity=opportunity).count(),
    )


def test_an_open_required_step_of_the_current_stage_blocks_the_move(opportunity, rep, stages):
    before = _state(opportunity)
    with pytest.raises(StageGateError) as raised:
        services.opportunity_move_stage(
            acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
        )
    assert [gate.kind for gate in raised.value.gates] == ["step"]
    assert "Research the account" in raised.value.gates[0].message
    assert raised.value.error_dict["stage"][0].code == "stage_gate"
    assert _state(opportunity) == before


def test_steps_of_skipped_stages_and_fields_of_skipped_stages_are_gates_too(
    opportunity, rep, stages
):
    complete_steps(opportunity, rep)
    with pytest.raises(StageGateError) as raised:
        services.opportunity_move_stage(
            acting_user=rep, opportunity=opportunity, stage=stages["negotiation"]
        )
    messages = [gate.message for gate in raised.value.gates]
    assert "Complete the step “Discovery call” (Discovery)" in messages
    assert "Complete the step “Run a demo” (Solution & demo)" in messages
    assert "Complete the step “Send proposal” (Proposal)" in messages
    assert {gate.field for gate in raised.value.gates if gate.kind == "field"} == {
        "amount",
        "forecast_close_date",
    }


def test_required_fields_of_the_target_stage_are_gates_and_the_move_may_fill_them(
    opportunity, rep, stages
):
    ready_for(opportunity, rep, stages["proposal"])
    with pytest.raises(StageGateError) as raised:
        services.opportunity_move_stage(
            acting_user=rep,
            opportunity=opportunity,
            stage=stages["proposal"],
            values={"amount": None, "forecast_close_date": None},
        )
    assert [g.field for g in raised.value.gates] == ["amount", "forecast_close_date"]
    assert "Fill in amount (required from Proposal on)" in str(raised.value)
    services.opportunity_move_stage(
        acting_user=rep,
        opportunity=opportunity,
        stage=stages["proposal"],
        values={"amount": Decimal("9000"), "forecast_close_date": datetime.date(2027, 2, 1)},
    )
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert (fresh.stage.key, fresh.amount, fresh.probability) == ("proposal", Decimal("9000"), 60)


def test_a_retired_step_is_no_gate(opportunity, rep, stages):
    OpportunityStep.objects.filter(opportunity=opportunity).delete()
    stages["prospecting"].steps.update(is_active=False)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    assert Opportunity.objects.get(pk=opportunity.pk).stage.key == "discovery"


def test_moving_backwards_needs_no_gate(opportunity, rep, stages):
    ready_for(opportunity, rep, stages["solution"])
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["solution"]
    )
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["prospecting"]
    )
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert (fresh.stage.key, fresh.probability) == ("prospecting", 10)


def test_it_records_time_spent_in_previous_stage(make_opportunity, rep, stages):
    with time_machine.travel(START, tick=False):
        opportunity = make_opportunity(rep)
    with time_machine.travel(START + datetime.timedelta(days=3, hours=4), tick=False):
        complete_steps(opportunity, rep)
        services.opportunity_move_stage(
            acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
        )
    change = StageChange.objects.filter(opportunity=opportunity).last()
    assert change is not None
    assert change.from_stage == stages["prospecting"]
    assert change.to_stage == stages["discovery"]
    assert change.time_in_previous == datetime.timedelta(days=3, hours=4)
    assert change.changed_by == rep
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert fresh.stage_changed_at == START + datetime.timedelta(days=3, hours=4)


def test_entering_a_stage_prompts_its_first_step_with_a_task(opportunity, rep, stages):
    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    prompted = OpportunityStep.objects.get(opportunity=opportunity, completed_at__isnull=True)
    assert prompted.step.name == "Discovery call"
    assert Activity.objects.get(opportunity_step=prompted).subject == "Discovery call"


def test_winning_closes_the_deal_at_100_percent(opportunity, rep, stages):
    ready_for(opportunity, rep, stages["closed_won"])
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["closed_won"]
    )
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert fresh.is_closed
    assert fresh.probability == 100
    assert fresh.closed_at is not None


def test_losing_needs_a_loss_reason_and_nothing_else(opportunity, rep, stages):
    before = _state(opportunity)
    with pytest.raises(StageGateError) as raised:
        services.opportunity_move_stage(
            acting_user=rep, opportunity=opportunity, stage=stages["closed_lost"]
        )
    assert [g.kind for g in raised.value.gates] == ["loss_reason"]
    assert _state(opportunity) == before
    price = PicklistValue.objects.get(picklist__key="loss_reason", key="price")
    services.opportunity_move_stage(
        acting_user=rep,
        opportunity=opportunity,
        stage=stages["closed_lost"],
        values={"loss_reason": price},
    )
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert (fresh.probability, fresh.loss_reason, fresh.closed_at is not None) == (0, price, True)


def test_the_rep_may_keep_their_own_probability(opportunity, rep, stages):
    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep,
        opportunity=opportunity,
        stage=stages["discovery"],
        values={"probability": 35},
    )
    assert Opportunity.objects.get(pk=opportunity.pk).probability == 35


def test_reopening_a_lost_deal_clears_its_close_date(opportunity, rep, stages):
    price = PicklistValue.objects.get(picklist__key="loss_reason", key="price")
    services.opportunity_move_stage(
        acting_user=rep,
        opportunity=opportunity,
        stage=stages["closed_lost"],
        values={"loss_reason": price},
    )
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    assert Opportunity.objects.get(pk=opportunity.pk).closed_at is None


def test_a_move_is_audited(opportunity, rep, stages):
    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    entry = AuditEntry.objects.for_record("opportunity", opportunity.pk).filter(action="update")[0]
    assert entry.changes["stage"]["new"]["repr"] == "Discovery"
    assert entry.changes["probability"] == {"old": 10, "new": 20}


def test_update_with_a_new_stage_goes_through_the_gates(opportunity, rep, stages):
    before = _state(opportunity)
    with pytest.raises(ValidationError):
        services.opportunity_update(
            acting_user=rep,
            opportunity=opportunity,
            values={"stage": stages["discovery"], "name": "Renamed"},
        )
    assert _state(opportunity) == before
    assert Opportunity.objects.get(pk=opportunity.pk).name == "Big deal"


def test_someone_who_may_not_edit_the_deal_cannot_move_it(opportunity, make_user, stages):
    other_rep = make_user(role="sales_rep")
    before = _state(opportunity)
    from django.http import Http404

    with pytest.raises((PermissionDenied, Http404)):
        services.opportunity_move_stage(
            acting_user=other_rep, opportunity=opportunity, stage=stages["closed_lost"]
        )
    assert _state(opportunity) == before


def test_a_move_from_a_stale_copy_is_refused(opportunity, rep, stages):
    stale = Opportunity.objects.get(pk=opportunity.pk)
    price = PicklistValue.objects.get(picklist__key="loss_reason", key="price")
    services.opportunity_move_stage(
        acting_user=rep,
        opportunity=opportunity,
        stage=stages["closed_lost"],
        values={"loss_reason": price},
    )
    with pytest.raises(ValidationError) as raised:
        services.opportunity_move_stage(
            acting_user=rep,
            opportunity=stale,
            stage=stages["closed_lost"],
            values={"loss_reason": price},
        )
    assert raised.value.error_dict["stage"][0].code == "moved_meanwhile"
    assert StageChange.objects.filter(opportunity=opportunity).count() == 2
