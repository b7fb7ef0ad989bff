"""Permission-aware reads of the pipeline: a deal and what its page shows, time in each stage,
the board, and open pipeline per account.

Each read runs a constant number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from rapport.access import permissions
from rapport.pipeline.gates import UnmetGate, gate_facts, unmet_gates
from rapport.pipeline.models import (
    MethodologyStep,
    Opportunity,
    OpportunityStep,
    Stage,
    StageChange,
)

RECORD_TYPE = "opportunity"


def opportunities_base() -> QuerySet[Opportunity]:
    """Deals with what lists and cards show loaded up front."""
    return Opportunity.objects.select_related("account", "owner", "stage", "currency", "contact")


def visible_opportunities(viewer: Any) -> QuerySet[Opportunity]:
    """The deals `viewer` may see (none without read permission)."""
    return permissions.scope_queryset(viewer, RECORD_TYPE, opportunities_base())


def opportunity_for_user(*, user: Any, pk: int, action: str = "read") -> tuple[Opportunity, bool]:
    """The deal if `user` may see it (Http404 otherwise, PermissionDenied for a refused action),
    and whether they may edit it."""
    policy = permissions.policy_for(user, RECORD_TYPE)
    if not policy.can("read"):
        permissions.check(user, "read", RECORD_TYPE)
    opportunity = visible_opportunities(user).filter(pk=pk).first()
    if opportunity is None:
        raise Http404("No such opportunity.")
    if action != "read":
        permissions.check(user, action, RECORD_TYPE, opportunity)
    return opportunity, policy.can("edit")


def active_stages() -> list[Stage]:
    """The stages deals may enter, in pipeline order."""
    return list(Stage.objects.active().order_by("sort_order", "id"))


# Time in stage ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageTime:
    """How long a deal has spent in one stage, over all its visits."""

    stage: Stage
    duration: datetime.timedelta
    visits: int
    current: bool


def stage_history(opportunity: Opportunity) -> list[StageChange]:
    """The deal's stage changes, oldest first."""
    return list(
        StageChange.objects.filter(opportunity=opportunity)
        .select_related("from_stage", "to_stage", "changed_by")
        .order_by("changed_at", "id")
    )


def time_in_stages(
    opportunity: Opportunity, *, now: datetime.datetime | None = None
) -> list[StageTime]:
    """Time spent in each stage the deal has been in (the current one counts until `now`),
    in pipeline order."""
    now = now or timezone.now()
    totals = {
        row["from_stage"]: (row["total"] or datetime.timedelta(0), row["visits"])
        for row in StageChange.objects.filter(opportunity=opportunity, from_stage__isnull=False)
        .order_by()
        .values("from_stage")
        .annotate(total=Sum("time_in_previous"), visits=Count("id"))
    }
    stage_ids = set(totals) | {opportunity.stage_id}
    stages = Stage.objects.filter(pk__in=stage_ids).order_by("sort_order", "id")
    result = []
    for stage in stages:
        duration, visits = totals.get(stage.pk, (datetime.timedelta(0), 0))
        current = stage.pk == opportunity.stage_id
        if current:
            duration += max(now - opportunity.stage_changed_at, datetime.timedelta(0))
            visits += 1
        result.append(StageTime(stage=stage, duration=duration, visits=visits, current=current))
    return result


def time_in_stage_by_opportunity(
    opportunity_ids: Iterable[int],
) -> dict[int, dict[int, datetime.timedelta]]:
    """{opportunity id: {stage id: time spent there}} from the logged changes (one query); the
    time in a deal's current stage is not included (it is still running)."""
    result: dict[int, dict[int, datetime.timedelta]] = {}
    rows = (
        StageChange.objects.filter(
            opportunity_id__in=list(opportunity_ids), from_stage__isnull=False
        )
        .order_by()
        .values("opportunity_id", "from_stage_id")
        .annotate(total=Sum("time_in_previous"))
    )
    for row in rows:
        result.setdefault(row["opportunity_id"], {})[row["from_stage_id"]] = row[
            "total"
        ] or datetime.timedelta(0)
    return result


# Methodology steps on a deal ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepLine:
    """A methodology step of the deal's stage as its page lists it."""

    step: MethodologyStep
    prompted: OpportunityStep | None

    @property
    def done(self) -> bool:
        return self.prompted is not None and self.prompted.completed_at is not None

    @property
    def is_open(self) -> bool:
        return self.prompted is not None and self.prompted.completed_at is None

    @property
    def overdue(self) -> bool:
        return (
            self.is_open
            and self.prompted is not None
            and self.prompted.due_date is not None
            and self.prompted.due_date < timezone.localdate()
        )


def steps_of(opportunity: Opportunity) -> list[StepLine]:
    """The active steps of the deal's current stage, each with its prompt on this deal if any."""
    prompted = {
        item.step_id: item
        for item in OpportunityStep.objects.filter(
            opportunity=opportunity, step__stage=opportunity.stage_id
        ).select_related("completed_by")
    }
    steps = MethodologyStep.objects.filter(stage=opportunity.stage_id).order_by("sort_order", "id")
    return [
        StepLine(step=step, prompted=prompted.get(step.pk))
        for step in steps
        if step.is_active or step.pk in prompted
    ]


def next_stage(opportunity: Opportunity) -> Stage | None:
    """The open stage after the deal's, or the won stage after the last open one."""
    if opportunity.stage.kind != Stage.Kind.OPEN:
        return None
    later = [
        s
        for s in active_stages()
        if s.kind != Stage.Kind.LOST
        and (s.sort_order, s.pk) > (opportunity.stage.sort_order, opportunity.stage.pk)
    ]
    return later[0] if later else None


@dataclass(frozen=True)
class StageOption:
    """A stage the deal could move to, with what stands in the way."""

    stage: Stage
    current: bool
    passed: bool
    gates: list[UnmetGate] = field(default_factory=list)


def stage_path(opportunity: Opportunity) -> list[StageOption]:
    """Every active stage (and the deal's own, if retired) with the gates of moving there."""
    stages = active_stages()
    if opportunity.stage_id not in {s.pk for s in stages}:
        stages.append(opportunity.stage)
        stages.sort(key=lambda s: (s.sort_order, s.pk))
    current_key = (opportunity.stage.sort_order, opportunity.stage.pk)
    facts = gate_facts(opportunity)
    return [
        StageOption(
            stage=stage,
            current=stage.pk == opportunity.stage_id,
            passed=stage.kind == Stage.Kind.OPEN and (stage.sort_order, stage.pk) < current_key,
            gates=unmet_gates(opportunity=opportunity, target=stage, facts=facts),
        )
        for stage in stages
    ]


# The board ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardColumn:
    stage: Stage
    cards: list[Opportunity]
    total: Decimal
    count: int


BOARD_CARD_LIMIT = 50  # cards per column; the column's count and total cover them all


def board(
    *, viewer: Any, owner_id: int | None = None, team_id: int | None = None
) -> list[BoardColumn]:
    """The board's columns: open stages with their deals, then won and lost (as drop zones,
    showing the deals closed in the last 30 days). Count and total per column cover every deal
    at the stage; each column lists at most BOARD_CARD_LIMIT cards, closing soonest first."""
    deals = visible_opportunities(viewer)
    if owner_id:
        deals = deals.filter(owner_id=owner_id)
    if team_id:
        deals = deals.filter(owner__team_id=team_id)
    stages = active_stages()
    recent = timezone.now() - datetime.timedelta(days=30)
    open_ids = [s.pk for s in stages if s.kind == Stage.Kind.OPEN]
    closed_ids = [s.pk for s in stages if s.kind != Stage.Kind.OPEN]
    shown = deals.filter(stage_id__in=open_ids) | deals.filter(
        stage_id__in=closed_ids, closed_at__gte=recent
    )
    totals = {
        row["stage_id"]: (row["total"] or Decimal(0), row["count"])
        for row in shown.order_by()
        .values("stage_id")
        .annotate(total=Sum("amount"), count=Count("id"))
    }
    # Cards: one query, numbered within each stage so no column crowds out the others.
    ranked = shown.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("stage_id")],
            order_by=[F("forecast_close_date").asc(nulls_last=True), F("id").asc()],
        )
    ).filter(rank__lte=BOARD_CARD_LIMIT)
    by_stage: dict[int, list[Opportunity]] = {s.pk: [] for s in stages}
    for card in permissions.mask_hidden(viewer, RECORD_TYPE, ranked.order_by("stage_id", "rank")):
        by_stage.setdefault(card.stage_id, []).append(card)
    hidden = permissions.policy_for(viewer, RECORD_TYPE).hidden_fields
    return [
        BoardColumn(
            stage=stage,
            cards=by_stage.get(stage.pk, []),
            total=Decimal(0) if "amount" in hidden else totals.get(stage.pk, (Decimal(0), 0))[0],
            count=totals.get(stage.pk, (Decimal(0), 0))[1],
        )
        for stage in stages
    ]


# Accounts ---------------------------------------------------------------------------------------


def open_pipeline_by_account(
    account_ids: Iterable[int], *, viewer: Any = None
) -> dict[int, Decimal]:
    """{account id: sum of its open deals' amounts} in one query; accounts without open deals
    are left out. With `viewer`, only the deals they may see count (and nothing when the amount
    is hidden from them)."""
    deals: QuerySet[Opportunity] = Opportunity.objects.open().filter(
        account_id__in=list(account_ids)
    )
    if viewer is not None:
        if "amount" in permissions.policy_for(viewer, RECORD_TYPE).hidden_fields:
            return {}
        deals = permissions.scope_queryset(viewer, RECORD_TYPE, deals)
    return {
        row["account_id"]: row["total"]
        for row in deals.order_by().values("account_id").annotate(total=Sum("amount"))
        if row["total"] is not None
    }


def opportunities_with_steps(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """The deals with their prompted steps loaded (for pages listing deals with next steps)."""
    return queryset.prefetch_related(
        Prefetch(
            "steps",
            queryset=OpportunityStep.objects.select_related("step").order_by("due_date", "id"),
        )
    )
