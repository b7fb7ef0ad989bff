"""Stage gates: what must be true before an opportunity may move to another stage.

Moving forward, every active required step of the stage the deal is in (and of the open stages it
skips over) must be done, and every field the target stage (and the skipped ones) requires must be
filled. Closing a deal as lost needs a loss reason, and nothing else: a deal may be lost at any
point. Moving backwards, and reopening a closed deal, pass no gate.

The services refuse a move with `StageGateError`; pages and the board call `unmet_gates` first to
show what is missing before the rep tries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError

from rapport.pipeline.models import MethodologyStep, Opportunity, OpportunityStep, Stage

GATE_CODE = "stage_gate"


@dataclass(frozen=True)
class UnmetGate:
    """One condition a move does not meet."""

    kind: Literal["step", "field", "loss_reason"]
    # The form/API field the gate belongs to: "stage" for steps, else the field to fill.
    field: str
    message: str


class StageGateError(ValidationError):
    """A move refused by its stage gates; `gates` lists each unmet one."""

    def __init__(self, *, stage: Stage, gates: list[UnmetGate]) -> None:
        self.gates = gates
        self.stage = stage
        errors: dict[str, list[ValidationError]] = {
            NON_FIELD_ERRORS: [
                ValidationError(
                    "The deal cannot move to %(stage)s yet: %(gates)s",
                    code=GATE_CODE,
                    params={
                        "stage": stage.name,
                        "gates": "; ".join(g.message for g in gates) + ".",
                    },
                )
            ]
        }
        for gate in gates:
            errors.setdefault(gate.field, []).append(ValidationError(gate.message, code=GATE_CODE))
        super().__init__(errors)


def _sort_key(stage: Stage) -> tuple[int, int]:
    return (stage.sort_order, stage.pk)


def is_forward(current: Stage, target: Stage) -> bool:
    """Whether a move from `current` to `target` advances an open deal (and so passes gates)."""
    if current.kind != Stage.Kind.OPEN or target.kind == Stage.Kind.LOST:
        return False
    if target.kind == Stage.Kind.WON:
        return True
    return _sort_key(target) > _sort_key(current)


@dataclass(frozen=True)
class GateFacts:
    """What the gates of one deal are judged on, read once (three queries) for any number of
    target stages: the active open stages, the active required steps, the steps the deal did."""

    open_stages: list[Stage]
    required_steps: list[MethodologyStep]
    done_step_ids: frozenset[int]


def gate_facts(opportunity: Opportunity) -> GateFacts:
    return GateFacts(
        open_stages=list(Stage.objects.active().open().order_by("sort_order", "id")),
        required_steps=list(
            MethodologyStep.objects.filter(is_active=True, is_required=True)
            .select_related("stage")
            .order_by("stage__sort_order", "stage_id", "sort_order", "id")
        ),
        done_step_ids=frozenset(
            OpportunityStep.objects.filter(
                opportunity=opportunity, completed_at__isnull=False
            ).values_list("step_id", flat=True)
        ),
    )


def skipped_stages(
    current: Stage, target: Stage, open_stages: list[Stage] | None = None
) -> list[Stage]:
    """The active open stages a forward move passes over, in pipeline order.

    Winning skips every open stage after the current one.
    """
    if open_stages is None:
        open_stages = list(Stage.objects.active().open().order_by("sort_order", "id"))
    low, high = _sort_key(current), _sort_key(target)
    winning = target.kind == Stage.Kind.WON
    return [
        stage
        for stage in open_stages
        if low < _sort_key(stage) and (winning or _sort_key(stage) < high)
    ]


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _attname(name: str) -> str:
    try:
        return str(Opportunity._meta.get_field(name).attname)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def _field_label(name: str) -> str:
    try:
        return str(Opportunity._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name.replace("_", " ")


def unmet_gates(
    *,
    opportunity: Opportunity,
    target: Stage,
    values: Mapping[str, Any] | None = None,
    facts: GateFacts | None = None,
) -> list[UnmetGate]:
    """Every gate the move of `opportunity` to `target` does not meet; empty when it may move.

    `values` are changes made in the same move (model field names); they count as filled.
    `facts` (from `gate_facts`) saves the queries when judging several targets for one deal.
    """
    values = values or {}
    current = opportunity.stage
    gates: list[UnmetGate] = []
    if target.pk == current.pk:
        return gates
    if target.kind == Stage.Kind.LOST:
        reason = values.get("loss_reason", opportunity.loss_reason_id)
        if _is_empty(reason):
            gates.append(
                UnmetGate(
                    kind="loss_reason",
                    field="loss_reason",
                    message="Give a loss reason to close the deal as lost",
                )
            )
        return gates
    if not is_forward(current, target):
        return gates
    facts = facts or gate_facts(opportunity)
    skipped = skipped_stages(current, target, facts.open_stages)
    step_stage_ids = {current.pk, *(stage.pk for stage in skipped)}
    for step in facts.required_steps:
        if step.stage_id in step_stage_ids and step.pk not in facts.done_step_ids:
            gates.append(
                UnmetGate(
                    kind="step",
                    field="stage",
                    message=f"Complete the step “{step.name}” ({step.stage.name})",
                )
            )
    seen: set[str] = set()
    for stage in [*skipped, target]:
        for name in stage.required_fields or []:
            if name in seen:
                continue
            seen.add(name)
            attname = _attname(name)
            value = values[name] if name in values else getattr(opportunity, attname, None)
            if _is_empty(value):
                gates.append(
                    UnmetGate(
                        kind="field",
                        field=name,
                        message=f"Fill in {_field_label(name)} (required from {stage.name} on)",
                    )
                )
    return gates
