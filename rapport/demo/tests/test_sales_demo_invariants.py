"""The sales demo keeps every invariant the services keep: histories, touches, conversions,
stages, steps, amounts and orders add up.

The demo is built once for the module, at a tenth of its size, and rolled back at the end.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.test import override_settings
from django.utils import timezone

from rapport.activities.models import Activity
from rapport.customers.models import Account, Contact
from rapport.demo.builder import demo_build
from rapport.leads.models import Lead, LeadStatusChange, QualificationAnswer
from rapport.pipeline.catalog import line_total
from rapport.pipeline.models import (
    LineItem,
    Opportunity,
    OpportunityStep,
    Order,
    OrderLine,
    Stage,
    StageChange,
)

FROZEN = "2026-06-15 12:00:00+00:00"


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(FROZEN, tick=False),
        override_settings(DEMO_SALES_SCALE=0.1),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        demo_build()
        yield timezone.now()
        transaction.set_rollback(True)


@pytest.fixture
def now(_demo_once, db):
    return _demo_once


def test_every_lead_has_its_status_history_from_creation_to_its_status(now):
    changes = defaultdict(list)
    for lead_id, from_id, to_id, at in LeadStatusChange.objects.order_by(
        "changed_at", "id"
    ).values_list("lead_id", "from_status_id", "to_status_id", "changed_at"):
        changes[lead_id].append((from_id, to_id, at))
    leads = list(Lead.objects.values_list("pk", "status_id", "status_changed_at", "created_at"))

    assert len(leads) > 300
    for pk, status, changed_at, created_at in leads:
        history = changes[pk]
        assert history[0][0] is None, "the first entry is the lead's creation"
        assert history[0][2] == created_at
        for before, after in itertools.pairwise(history):
            assert after[0] == before[1], "each change starts from the status before it"
        assert history[-1][1] == status
        assert history[-1][2] == changed_at


def test_last_touched_is_the_latest_call_or_status_change_after_creation(now):
    calls = dict(
        Activity.objects.filter(kind="call", lead__isnull=False)
        .values_list("lead_id")
        .annotate(last=Max("occurred_at"))
    )
    changes = dict(
        LeadStatusChange.objects.filter(from_status__isnull=False)
        .values_list("lead_id")
        .annotate(last=Max("changed_at"))
    )
    leads = list(Lead.objects.values_list("pk", "last_touched_at"))

    for pk, touched in leads:
        moments = [at for at in (calls.get(pk), changes.get(pk)) if at is not None]
        assert touched == (max(moments) if moments else None)
    assert any(touched is None for _, touched in leads), "some leads were never touched"
    assert all(touched is None or touched <= now for _, touched in leads)


def test_leads_are_in_every_status_and_web_forms_brought_some(now):
    statuses = set(Lead.objects.values_list("status__key", flat=True))
    web = Lead.objects.filter(web_form__isnull=False)

    assert statuses == {"new", "working", "nurturing", "qualified", "unqualified", "converted"}
    assert web.exists()
    assert not web.exclude(source__key="website").exists()
    # A web-form lead was created by nobody: its first history entry has no author.
    assert not LeadStatusChange.objects.filter(
        lead__in=web.filter(converted_at__isnull=True),
        from_status__isnull=True,
        changed_by__isnull=False,
    ).exists()


def test_converted_leads_link_to_the_account_contact_and_opportunity_they_became(now):
    converted = Lead.objects.filter(status__key="converted").select_related(
        "converted_opportunity", "converted_contact"
    )

    assert converted.count() > 20
    assert (
        not Lead.objects.exclude(status__key="converted")
        .filter(converted_at__isnull=False)
        .exists()
    )
    for lead in converted:
        opportunity = lead.converted_opportunity
        assert opportunity is not None
        assert lead.converted_account_id == opportunity.account_id
        assert lead.converted_contact_id == opportunity.contact_id
        assert lead.converted_contact is not None
        assert lead.converted_contact.account_id == lead.converted_account_id
        assert lead.converted_by_id == lead.owner_id == opportunity.owner_id
        assert lead.converted_at == opportunity.created_at
    # Their answers and calls went with them.
    assert not QualificationAnswer.objects.filter(
        lead__status__key="converted", opportunity__isnull=True
    ).exists()
    assert not Activity.objects.filter(
        lead__status__key="converted", opportunity__isnull=True
    ).exists()
    # Converting needs a qualified lead: the status before "converted" is "qualified".
    assert set(
        LeadStatusChange.objects.filter(to_status__key="converted").values_list(
            "from_status__key", flat=True
        )
    ) == {"qualified"}


def test_opportunities_close_with_a_date_and_take_their_stage_probability(now):
    opportunities = Opportunity.objects.select_related("stage")

    assert set(opportunities.values_list("stage__kind", flat=True)) == {"open", "won", "lost"}
    assert len(set(opportunities.values_list("stage_id", flat=True))) == Stage.objects.count()
    assert not opportunities.filter(stage__kind="open", closed_at__isnull=False).exists()
    assert not opportunities.exclude(stage__kind="open").filter(closed_at__isnull=True).exists()
    assert not opportunities.filter(stage__kind="lost", loss_reason__isnull=True).exists()
    assert not opportunities.exclude(stage__kind="lost").filter(loss_reason__isnull=False).exists()
    for opportunity in opportunities:
        assert opportunity.probability == opportunity.stage.probability
        assert opportunity.created_at <= opportunity.stage_changed_at <= now
        for name in opportunity.stage.required_fields or []:
            assert getattr(opportunity, name) not in (None, ""), (opportunity, name)


def test_stage_changes_chain_from_creation_with_the_time_spent_in_each_stage(now):
    history = defaultdict(list)
    for row in StageChange.objects.order_by("changed_at", "id").values_list(
        "opportunity_id", "from_stage_id", "to_stage_id", "changed_at", "time_in_previous"
    ):
        history[row[0]].append(row[1:])

    for pk, stage, entered, created in Opportunity.objects.values_list(
        "pk", "stage_id", "stage_changed_at", "created_at"
    ):
        moves = history[pk]
        assert moves[0][0] is None
        assert moves[0][2] == created
        assert moves[0][3] is None
        for before, after in itertools.pairwise(moves):
            assert after[0] == before[1]
            assert after[3] == after[2] - before[2] > timedelta(0)
        assert (moves[-1][1], moves[-1][2]) == (stage, entered)


def test_steps_are_prompted_with_their_due_date_and_a_task_and_done_before_moving_on(now):
    steps = OpportunityStep.objects.select_related("step", "opportunity__stage")
    tasks = {
        task.opportunity_step_id: task
        for task in Activity.objects.filter(opportunity_step__isnull=False)
    }

    assert steps.filter(completed_at__isnull=False).exists()
    assert steps.filter(
        completed_at__isnull=True, due_date__lt=now.date(), opportunity__stage__kind="open"
    ).exists(), "some steps are overdue"
    for prompted in steps:
        assert prompted.due_date == prompted.prompted_at.date() + timedelta(
            days=prompted.step.due_in_days
        )
        assert (prompted.completed_at is None) == (prompted.completed_by_id is None)
        if prompted.completed_at is not None:
            assert prompted.prompted_at <= prompted.completed_at <= now
        task = tasks[prompted.pk]
        assert task.kind == "task"
        assert task.opportunity_id == prompted.opportunity_id
        assert task.owner_id == prompted.opportunity.owner_id
        assert (task.due_date, task.completed_at) == (prompted.due_date, prompted.completed_at)
    # A won deal passed every stage gate: every step of every open stage is done.
    won = Opportunity.objects.filter(stage__kind="won")
    open_steps = OpportunityStep.objects.filter(opportunity__in=won)
    assert open_steps.exists()
    assert not open_steps.filter(completed_at__isnull=True).exists()
    counts = set(won.annotate(n=Count("steps")).values_list("n", flat=True))
    assert len(counts) == 1, "every won deal did the same steps"


def test_amounts_are_the_sum_of_the_line_items(now):
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for opportunity_id, quantity, price, discount in LineItem.objects.values_list(
        "opportunity_id", "quantity", "unit_price", "discount_percent"
    ):
        totals[opportunity_id] += line_total(
            quantity=quantity, unit_price=price, discount_percent=discount
        )

    assert totals
    amounts = dict(Opportunity.objects.filter(pk__in=totals).values_list("pk", "amount"))
    assert amounts == totals
    assert not Opportunity.objects.filter(
        line_items__isnull=False, price_list__isnull=True
    ).exists()


def test_each_won_deal_has_one_order_whose_total_is_the_sum_of_its_lines(now):
    won = set(Opportunity.objects.filter(stage__kind="won").values_list("pk", flat=True))
    orders = list(Order.objects.select_related("opportunity"))

    assert {order.opportunity_id for order in orders} == won
    assert len(orders) == len(won)
    lines = defaultdict(list)
    for line in OrderLine.objects.all():
        lines[line.order_id].append(line)
    items = dict(LineItem.objects.values_list("opportunity_id").annotate(n=Count("id")).order_by())
    for order in orders:
        assert order.opportunity is not None
        assert order.opportunity.closed_at is not None
        assert order.number == f"ORD-{order.pk:06d}"
        assert order.account_id == order.opportunity.account_id
        assert len(lines[order.pk]) == items.get(order.opportunity_id, 0)
        for line in lines[order.pk]:
            assert line.total == line_total(
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
            )
        expected = sum((line.total for line in lines[order.pk]), Decimal(0))
        assert order.total_amount == (expected if lines[order.pk] else order.opportunity.amount)
        assert order.order_date >= order.opportunity.closed_at.date()


def test_history_lies_in_the_past_year_and_timestamps_are_the_records_own(now):
    year_ago = now - timedelta(days=366)
    for model in (Account, Contact, Lead, Opportunity, Activity, Order):
        assert not model.objects.filter(updated_at__lt=F("created_at")).exists(), model
        assert not model.objects.filter(updated_at__gt=now).exists(), model
        # Set explicitly in the past, not stamped with the moment of the build.
        assert model.objects.filter(updated_at__lt=now - timedelta(days=30)).exists(), model
    past = Activity.objects.exclude(kind__in=["meeting", "task"])
    assert not past.filter(Q(occurred_at__gt=now) | Q(occurred_at__lt=year_ago)).exists()
    assert not Activity.objects.filter(completed_at__gt=now).exists()
    assert Activity.objects.filter(kind="meeting", occurred_at__gt=now).exists(), (
        "meetings already in the calendar"
    )


def test_nobody_calls_a_contact_who_asked_not_to_be_contacted(now):
    assert Contact.objects.filter(do_not_contact=True).exists()
    assert Contact.objects.filter(left_company=True).exists()
    assert not Activity.objects.filter(
        kind__in=["call", "email"], contact__do_not_contact=True
    ).exists()


def test_some_accounts_form_group_hierarchies(now):
    parents = dict(Account.objects.values_list("pk", "parent_id"))
    children = [pk for pk, parent in parents.items() if parent is not None]

    assert children
    assert Account.objects.filter(children__children__isnull=False).exists(), "three levels"
    for pk in children:
        seen = {pk}
        current = parents[pk]
        while current is not None:
            assert current not in seen
            seen.add(current)
            current = parents[current]


def test_records_created_after_the_demo_get_new_ids(now):
    first = Account.objects.first()
    assert first is not None
    owner = first.owner
    highest = Account.objects.aggregate(top=Max("pk"))["top"]

    account = Account.objects.create(name="After the demo", owner=owner)
    activity = Activity.objects.create(kind="note", subject="After the demo", owner=owner)

    assert account.pk > highest
    assert activity.pk > Activity.objects.exclude(pk=activity.pk).aggregate(top=Max("pk"))["top"]
