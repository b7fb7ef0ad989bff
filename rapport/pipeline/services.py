"""Writes to the pipeline: opportunities, their stage moves and methodology steps; stages and
steps for administrators.

Every write checks permission through rapport.access, validates, and writes its audit entry in the
same transaction (through rapport.access.crud). The guided methodology is explicit here: creating a
deal, moving it and completing a step each prompt the next step — an OpportunityStep with its due
date and a task for the owner — in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rapport.access import crud, permissions
from rapport.core.audit import audit_record
from rapport.core.models import AuditEntry, PicklistValue
from rapport.pipeline.gates import StageGateError, unmet_gates
from rapport.pipeline.models import (
    MethodologyStep,
    Opportunity,
    OpportunityStep,
    Stage,
    StageChange,
)

RECORD_TYPE = "opportunity"
DEFAULT_CURRENCY = "EUR"

# Set by the move itself, never by the caller's values.
MOVE_MANAGED = frozenset({"stage", "stage_changed_at", "closed_at"})


def first_open_stage() -> Stage:
    """The stage new deals start in: the first active open stage."""
    stage = Stage.objects.active().open().order_by("sort_order", "id").first()
    if stage is None:
        raise ValidationError(
            {"stage": "There is no active open stage: an administrator must add one first."}
        )
    return stage


def default_currency() -> PicklistValue | None:
    """The currency new deals get unless told otherwise (EUR)."""
    return (
        PicklistValue.objects.filter(picklist__key="currency", key=DEFAULT_CURRENCY)
        .order_by()
        .first()
    )


def _refuse_protected(acting_user: Any, names: list[str]) -> None:
    refused = permissions.protected_fields_in(acting_user, RECORD_TYPE, names)
    if refused:
        raise PermissionDenied(
            "Your role may not set or change these fields: " + ", ".join(refused) + "."
        )


def _changed(opportunity: Opportunity, values: Mapping[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(opportunity, name, None) != value]


# The guided methodology ---------------------------------------------------------------------------


def _due_date(step: MethodologyStep, today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=step.due_in_days)


def _prompt(
    *, opportunity: Opportunity, step: MethodologyStep, acting_user: Any
) -> OpportunityStep:
    """Ask the owner to do `step`: the opportunity step with its due date, and a task."""
    from rapport.activities.services import activity_create

    due = _due_date(step)
    prompted = OpportunityStep.objects.create(
        opportunity=opportunity, step=step, prompted_at=timezone.now(), due_date=due
    )
    # The task is the system's side of an allowed write: the acting person may not be allowed
    # to create activities for the owner, yet the owner must get it.
    activity_create(
        acting_user=acting_user,
        values={
            "kind": "task",
            "subject": step.name,
            "notes": step.description,
            "owner": opportunity.owner,
            "due_date": due,
            "opportunity": opportunity,
            "account": opportunity.account,
            "contact": opportunity.contact,
            "opportunity_step": prompted,
        },
        check_permission=False,
    )
    return prompted


def _next_step(
    opportunity: Opportunity, stage: Stage, after: MethodologyStep | None = None
) -> MethodologyStep | None:
    """The first active step of `stage` (after `after`) not yet done on the deal."""
    steps = MethodologyStep.objects.filter(stage=stage, is_active=True).exclude(
        pk__in=OpportunityStep.objects.filter(
            opportunity=opportunity, completed_at__isnull=False
        ).values("step_id")
    )
    if after is not None:
        steps = steps.filter(sort_order__gte=after.sort_order).exclude(pk=after.pk)
        steps = steps.exclude(sort_order=after.sort_order, id__lt=after.pk)
    return steps.order_by("sort_order", "id").first()


def _prompt_stage(*, opportunity: Opportunity, acting_user: Any) -> OpportunityStep | None:
    """Prompt the first step of the deal's stage that is not done (once: an open one stays)."""
    if opportunity.stage.kind != Stage.Kind.OPEN:
        return None
    step = _next_step(opportunity, opportunity.stage)
    if step is None:
        return None
    existing = OpportunityStep.objects.filter(opportunity=opportunity, step=step).first()
    if existing is not None:
        return existing
    return _prompt(opportunity=opportunity, step=step, acting_user=acting_user)


# Opportunities ------------------------------------------------------------------------------------


@transaction.atomic
def opportunity_create(
    *, acting_user: Any, values: Mapping[str, Any], check_permission: bool = True
) -> Opportunity:
    """Create a deal and prompt the first methodology step of its stage.

    The stage defaults to the first active open stage, the probability to the stage's, the
    currency to EUR and the owner to the acting person. A deal created at a later stage must have
    the fields that stage requires (and a loss reason if lost).
    """
    stage = values.get("stage") or first_open_stage()
    if check_permission and acting_user is not None:
        permissions.check(acting_user, "create", RECORD_TYPE)
    now = timezone.now()
    defaults = Opportunity(
        stage=stage,
        probability=stage.probability,
        currency=default_currency(),
        stage_changed_at=now,
        closed_at=now if stage.kind != Stage.Kind.OPEN else None,
    )
    _check_amount_and_price_list(defaults, values)
    # Field gates of the starting stage (a new deal has done no steps, so step gates wait for
    # its first move).
    missing = [name for name in (stage.required_fields or []) if values.get(name) in (None, "")]
    if stage.kind == Stage.Kind.LOST and values.get("loss_reason") is None:
        missing.append("loss_reason")
    if missing:
        raise ValidationError(
            {
                name: ValidationError(
                    "Required for a deal at %(stage)s.", code="stage_gate", params={"stage": stage}
                )
                for name in missing
            }
        )
    opportunity = crud.record_create(
        record_type=RECORD_TYPE,
        acting_user=acting_user,
        values={
            name: value for name, value in values.items() if value is not None or name != "stage"
        },
        check_permission=check_permission,
        instance=defaults,
    )
    StageChange.objects.create(
        opportunity=opportunity,
        from_stage=None,
        to_stage=stage,
        changed_at=now,
        changed_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    _prompt_stage(opportunity=opportunity, acting_user=acting_user)
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    acting_user: Any,
    opportunity: Opportunity,
    values: Mapping[str, Any],
    check_permission: bool = True,
) -> Opportunity:
    """Change a deal; a new stage in `values` goes through `opportunity_move_stage` (gates).

    While the deal has line items its amount is their sum: another amount is refused. A price
    list must be in the deal's currency.
    """
    values = dict(values)
    _check_amount_and_price_list(opportunity, values)
    stage = values.pop("stage", None)
    for name in ("stage_changed_at", "closed_at"):
        if name in values:
            raise ValidationError({name: "This field is set when the deal changes stage."})
    if stage is not None and stage.pk != opportunity.stage_id:
        return opportunity_move_stage(
            acting_user=acting_user,
            opportunity=opportunity,
            stage=stage,
            values=values,
            check_permission=check_permission,
        )
    return crud.record_update(
        record_type=RECORD_TYPE,
        obj=opportunity,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )


def _check_amount_and_price_list(opportunity: Opportunity, values: Mapping[str, Any]) -> None:
    from rapport.pipeline.catalog import amount_from_lines

    errors: dict[str, str] = {}
    if "amount" in values and opportunity.pk is not None:
        total = amount_from_lines(opportunity)
        if total is not None and values["amount"] != total:
            errors["amount"] = (
                f"This deal has line items, so its amount is their sum ({total}); "
                "change the lines instead."
            )
    price_list = values.get("price_list", opportunity.price_list if opportunity.pk else None)
    currency = values.get("currency") or getattr(opportunity, "currency", None)
    if price_list is not None and currency is not None and price_list.currency_id != currency.pk:
        errors["price_list"] = (
            f"The price list “{price_list}” is not in the deal's currency ({currency.key})."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def opportunity_move_stage(
    *,
    acting_user: Any,
    opportunity: Opportunity,
    stage: Stage,
    values: Mapping[str, Any] | None = None,
    check_permission: bool = True,
    enforce_gates: bool = True,
) -> Opportunity:
    """Move a deal to `stage` (with other changes in `values`), through the stage gates.

    Refused with StageGateError (a ValidationError, code "stage_gate") naming every unmet gate.
    The move logs a StageChange with the time spent in the stage left, sets the probability to the
    stage's unless `values` gives one, sets or clears `closed_at`, and prompts the first step of
    the new stage. `enforce_gates=False` is for imports and demo data that replay history.
    """
    values = {k: v for k, v in (values or {}).items() if k not in MOVE_MANAGED}
    if check_permission and acting_user is not None:
        permissions.check(acting_user, "edit", RECORD_TYPE, opportunity)
        _refuse_protected(acting_user, _changed(opportunity, values))
    if stage.pk == opportunity.stage_id:
        return crud.record_update(
            record_type=RECORD_TYPE,
            obj=opportunity,
            acting_user=acting_user,
            values=values,
            check_permission=False,
        )
    if not stage.is_active:
        raise ValidationError({"stage": f"The stage {stage.name} is retired."})
    # Lock the row: two people dragging the same card must not both log a move from one stage.
    locked = (
        Opportunity.all_objects.select_for_update()
        .filter(pk=opportunity.pk)
        .values("stage_id", "stage_changed_at")
        .get()
    )
    if (locked["stage_id"], locked["stage_changed_at"]) != (
        opportunity.stage_id,
        opportunity.stage_changed_at,
    ):
        raise ValidationError(
            {
                "stage": ValidationError(
                    "Someone moved this deal a moment ago: reload it and try again.",
                    code="moved_meanwhile",
                )
            }
        )
    if enforce_gates:
        gates = unmet_gates(opportunity=opportunity, target=stage, values=values)
        if gates:
            raise StageGateError(stage=stage, gates=gates)
    now = timezone.now()
    previous = opportunity.stage
    time_in_previous = max(now - opportunity.stage_changed_at, datetime.timedelta(0))
    changes: dict[str, Any] = {**values, "stage": stage, "stage_changed_at": now}
    if "probability" not in values:
        changes["probability"] = stage.probability
    if stage.kind == Stage.Kind.OPEN:
        changes["closed_at"] = None
    elif previous.kind == Stage.Kind.OPEN or opportunity.closed_at is None:
        changes["closed_at"] = now
    crud.record_update(
        record_type=RECORD_TYPE,
        obj=opportunity,
        acting_user=acting_user,
        values=changes,
        check_permission=False,
    )
    StageChange.objects.create(
        opportunity=opportunity,
        from_stage=previous,
        to_stage=stage,
        changed_at=now,
        changed_by=acting_user if getattr(acting_user, "pk", None) else None,
        time_in_previous=time_in_previous,
    )
    _prompt_stage(opportunity=opportunity, acting_user=acting_user)
    return opportunity


@transaction.atomic
def opportunity_delete(
    *, acting_user: Any, opportunity: Opportunity, check_permission: bool = True
) -> Opportunity:
    """Move a deal to the recycle bin."""
    return crud.record_delete(
        record_type=RECORD_TYPE,
        obj=opportunity,
        acting_user=acting_user,
        check_permission=check_permission,
    )


@transaction.atomic
def opportunity_step_complete(
    *, acting_user: Any, opportunity_step: OpportunityStep, check_permission: bool = True
) -> OpportunityStep | None:
    """Mark a step done (and its open tasks), and prompt the next step of the stage.

    Returns the next step, or None when every step of the stage is done (time to move on).
    """
    opportunity = opportunity_step.opportunity
    if check_permission and acting_user is not None:
        permissions.check(acting_user, "edit", RECORD_TYPE, opportunity)
    # Lock the row: a double click must not complete the step (and prompt the next) twice.
    done_at = (
        OpportunityStep.objects.select_for_update()
        .filter(pk=opportunity_step.pk)
        .values_list("completed_at", flat=True)
        .get()
    )
    if done_at is not None or opportunity_step.completed_at is not None:
        raise ValidationError(
            {"step": f"“{opportunity_step.step.name}” is already done."}, code="already_done"
        )
    now = timezone.now()
    opportunity_step.completed_at = now
    opportunity_step.completed_by = acting_user if getattr(acting_user, "pk", None) else None
    opportunity_step.save(update_fields=["completed_at", "completed_by"])
    from rapport.activities.services import task_complete

    for task in opportunity_step.tasks.filter(kind="task", completed_at__isnull=True):
        task_complete(acting_user=acting_user, task=task, check_permission=False)
    audit_record(
        obj=opportunity,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"step_completed": {"old": None, "new": opportunity_step.step.name}},
    )
    if opportunity.stage_id != opportunity_step.step.stage_id:
        return None  # a step left behind in an earlier stage: nothing to prompt after it
    step = _next_step(opportunity, opportunity.stage, after=opportunity_step.step)
    if step is None:
        return None
    existing = OpportunityStep.objects.filter(opportunity=opportunity, step=step).first()
    if existing is not None:
        return existing
    return _prompt(opportunity=opportunity, step=step, acting_user=acting_user)


# Stages and steps (administrators) ----------------------------------------------------------------


def _next_sort_order(queryset: Any) -> int:
    top = queryset.aggregate(top=Max("sort_order"))["top"]
    return int(top or 0) + 10


def _check_required_fields(values: Mapping[str, Any]) -> None:
    names = values.get("required_fields")
    if names is None:
        return
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationError({"required_fields": "Give a list of opportunity field names."})
    allowed = set(requirable_fields())
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValidationError(
            {
                "required_fields": (
                    "Not fields a stage may require: "
                    + ", ".join(unknown)
                    + ". Choose from: "
                    + ", ".join(sorted(allowed))
                    + "."
                )
            }
        )


def requirable_fields() -> list[str]:
    """Opportunity fields a stage may require before a deal enters it."""
    return [
        "amount",
        "forecast_close_date",
        "contact",
        "price_list",
        "source",
        "description",
        "loss_reason",
    ]


@transaction.atomic
def stage_create(*, acting_user: Any, values: Mapping[str, Any]) -> Stage:
    """Add a stage (at the end of the pipeline unless an order is given)."""
    _check_required_fields(values)
    instance = Stage(sort_order=_next_sort_order(Stage.objects.all()))
    return crud.record_create(
        record_type="stage", acting_user=acting_user, values=values, instance=instance
    )


@transaction.atomic
def stage_update(*, acting_user: Any, stage: Stage, values: Mapping[str, Any]) -> Stage:
    """Change a stage. Its kind is fixed while deals are at it (their meaning would change)."""
    _check_required_fields(values)
    kind = values.get("kind")
    if kind is not None and kind != stage.kind and stage.opportunities.exists():
        raise ValidationError(
            {"kind": "Deals are at this stage: add a new stage instead of changing its kind."}
        )
    return crud.record_update(
        record_type="stage", obj=stage, acting_user=acting_user, values=values
    )


@transaction.atomic
def stage_retire(*, acting_user: Any, stage: Stage) -> Stage:
    """Retire a stage: deals at it keep it; no deal may enter it any more."""
    permissions.check(acting_user, "delete", "stage", stage)
    if stage.is_active and stage.kind == Stage.Kind.OPEN:
        others = Stage.objects.active().open().exclude(pk=stage.pk)
        if not others.exists():
            raise ValidationError({"is_active": "The last open stage cannot be retired."})
    return crud.record_update(
        record_type="stage",
        obj=stage,
        acting_user=acting_user,
        values={"is_active": False},
        check_permission=False,
    )


def _reorder(items: list[Any], item: Any, offset: int) -> list[Any]:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    return items


@transaction.atomic
def stage_reorder(*, acting_user: Any, stage: Stage, offset: int) -> None:
    """Move a stage up (offset < 0) or down the pipeline; every stage is renumbered."""
    permissions.check(acting_user, "edit", "stage", stage)
    ordered = _reorder(list(Stage.objects.order_by("sort_order", "id")), stage, offset)
    for position, item in enumerate(ordered, start=1):
        if item.sort_order != position * 10:
            crud.record_update(
                record_type="stage",
                obj=item,
                acting_user=acting_user,
                values={"sort_order": position * 10},
                check_permission=False,
            )


@transaction.atomic
def methodology_step_create(*, acting_user: Any, values: Mapping[str, Any]) -> MethodologyStep:
    """Add a step to a stage (last in the stage unless an order is given)."""
    stage = values.get("stage")
    instance = MethodologyStep(
        sort_order=_next_sort_order(MethodologyStep.objects.filter(stage=stage))
    )
    return crud.record_create(
        record_type="methodology_step", acting_user=acting_user, values=values, instance=instance
    )


@transaction.atomic
def methodology_step_update(
    *, acting_user: Any, step: MethodologyStep, values: Mapping[str, Any]
) -> MethodologyStep:
    """Change a step."""
    return crud.record_update(
        record_type="methodology_step", obj=step, acting_user=acting_user, values=values
    )


@transaction.atomic
def methodology_step_retire(*, acting_user: Any, step: MethodologyStep) -> MethodologyStep:
    """Retire a step: it is no longer prompted nor a gate; deals that did it keep it."""
    permissions.check(acting_user, "delete", "methodology_step", step)
    return crud.record_update(
        record_type="methodology_step",
        obj=step,
        acting_user=acting_user,
        values={"is_active": False},
        check_permission=False,
    )


@transaction.atomic
def methodology_step_reorder(*, acting_user: Any, step: MethodologyStep, offset: int) -> None:
    """Move a step up or down within its stage."""
    permissions.check(acting_user, "edit", "methodology_step", step)
    siblings = list(MethodologyStep.objects.filter(stage=step.stage).order_by("sort_order", "id"))
    for position, item in enumerate(_reorder(siblings, step, offset), start=1):
        if item.sort_order != position * 10:
            crud.record_update(
                record_type="methodology_step",
                obj=item,
                acting_user=acting_user,
                values={"sort_order": position * 10},
                check_permission=False,
            )


def opportunity_step_complete_for_task(*, task: Any, acting_user: Any) -> OpportunityStep | None:
    """A prompted task was ticked off (e.g. on a timeline): complete its methodology step too,
    and prompt the next one. Nothing happens for other tasks or a step already done.

    Meant to be registered with the activities app as a "task completed" handler, so the step
    and its task can never disagree whichever one the rep ticks.
    """
    step_id = getattr(task, "opportunity_step_id", None)
    if step_id is None:
        return None
    prompted = OpportunityStep.objects.select_related("step", "opportunity__stage").get(pk=step_id)
    if prompted.completed_at is not None:
        return None
    return opportunity_step_complete(
        acting_user=acting_user, opportunity_step=prompted, check_permission=False
    )
