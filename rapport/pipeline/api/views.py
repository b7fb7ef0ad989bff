"""The opportunity, stage and methodology step collections.

Writes go through rapport.pipeline.services, so the API enforces the same stage gates as the
pages: a refused move answers 400 with every unmet gate named (`fields.stage` for steps, the
field's name for a missing value, `loss_reason` for a loss without a reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.errors import ErrorSerializer
from rapport.api.records import RecordViewSet
from rapport.pipeline import selectors, services
from rapport.pipeline.api.serializers import (
    MethodologyStepSerializer,
    OpportunitySerializer,
    OpportunityStepSerializer,
    StageChangeSerializer,
    StageMoveSerializer,
    StageSerializer,
    StepCompletionSerializer,
)
from rapport.pipeline.filters import OpportunityFilter
from rapport.pipeline.models import MethodologyStep, Opportunity, OpportunityStep, Stage

# Filters standing for a field: refused like the field itself when it is hidden from the caller.
FILTER_FIELDS = {"amount_min": "amount", "amount_max": "amount"}


def all_done_message(opportunity: Opportunity) -> str:
    """What the rep reads when the stage's steps are all done."""
    following = selectors.next_stage(opportunity)
    if following is None:
        return "All steps done."
    return f"All steps done — move to {following.name}."


@extend_schema_view(
    list=extend_schema(summary="List opportunities"),
    retrieve=extend_schema(summary="Show an opportunity"),
    create=extend_schema(
        summary="Add an opportunity",
        description=(
            "The stage defaults to the first open stage, the probability to the stage's, the "
            "currency to EUR and the owner to the caller. The first methodology step of the "
            "stage is prompted: a task for the owner with its due date."
        ),
    ),
    update=extend_schema(summary="Replace an opportunity"),
    partial_update=extend_schema(
        summary="Change an opportunity",
        description="A new `stage` goes through the stage gates, as POST …/move/ does.",
    ),
    destroy=extend_schema(
        summary="Delete an opportunity",
        description="The deal goes to the recycle bin, from which an administrator restores it.",
        responses={204: None},
    ),
)
class OpportunityViewSet(RecordViewSet):
    record_type = "opportunity"
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    search_fields = ("name", "account__name")
    ordering_fields = (
        "name",
        "amount",
        "forecast_close_date",
        "probability",
        "stage_changed_at",
        "created_at",
        "updated_at",
    )
    ordering = ("forecast_close_date", "id")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        from rapport.access import permissions

        hidden = permissions.policy_for(request.user, self.record_type).hidden_fields
        refused = sorted(name for name in request.query_params if FILTER_FIELDS.get(name) in hidden)
        if refused:
            raise exceptions.ValidationError(
                {name: ["Your role may not filter by this field."] for name in refused}
            )

    def get_base_queryset(self) -> QuerySet[Opportunity]:
        return Opportunity.objects.select_related(
            "stage", "account", "owner", "currency", "loss_reason", "source"
        )

    def create_record(self, data: dict[str, Any]) -> Opportunity:
        return services.opportunity_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Opportunity, data: dict[str, Any]) -> Opportunity:
        return services.opportunity_update(
            acting_user=self.request.user, opportunity=instance, values=data
        )

    def delete_record(self, instance: Opportunity) -> None:
        services.opportunity_delete(acting_user=self.request.user, opportunity=instance)

    @extend_schema(
        summary="Move an opportunity to another stage",
        description=(
            "Body: `stage` (id) and any opportunity fields to fill in the same move (e.g. "
            "`amount`, `forecast_close_date`, `loss_reason`). Refused with 400 listing every "
            "unmet stage gate: required steps not done, required fields empty, a loss without "
            "a reason. Moving backwards passes no gate."
        ),
        request=StageMoveSerializer,
        responses={200: OpportunitySerializer, 400: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def move(self, request: Request, pk: str | None = None) -> Response:
        opportunity = self.get_object()
        data = request.data if isinstance(request.data, Mapping) else {}
        move = StageMoveSerializer(data={"stage": data.get("stage")})
        move.is_valid(raise_exception=True)
        rest = {k: v for k, v in data.items() if k != "stage"}
        fields = self.get_serializer(opportunity, data=rest, partial=True)
        fields.is_valid(raise_exception=True)
        services.opportunity_move_stage(
            acting_user=request.user,
            opportunity=opportunity,
            stage=move.validated_data["stage"],
            values=dict(fields.validated_data),
        )
        return self.respond(opportunity)

    @extend_schema(
        summary="List an opportunity's methodology steps",
        description="Every step prompted on the deal, with its due date and when it was done.",
        responses=OpportunityStepSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def steps(self, request: Request, pk: str | None = None) -> Response:
        opportunity = self.get_object()
        rows = OpportunityStep.objects.filter(opportunity=opportunity).select_related("step")
        return Response(OpportunityStepSerializer(rows, many=True).data)

    @extend_schema(
        summary="Complete a methodology step",
        description=(
            "Marks the step (and its task) done and prompts the next step of the stage: a task "
            "for the owner with its due date. `next_step` is null when the stage's steps are all "
            "done."
        ),
        request=None,
        parameters=[OpenApiParameter("step_id", int, OpenApiParameter.PATH)],
        responses={200: StepCompletionSerializer, 400: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step_id>\d+)/complete",
        url_name="step-complete",
        filter_backends=[],
        pagination_class=None,
    )
    def complete_step(self, request: Request, pk: str | None = None, step_id: str = "") -> Response:
        opportunity = self.get_object()
        prompted = get_object_or_404(
            OpportunityStep.objects.select_related("step"), pk=step_id, opportunity=opportunity
        )
        following = services.opportunity_step_complete(
            acting_user=request.user, opportunity_step=prompted
        )
        prompted.refresh_from_db()
        message = (
            f"Next: {following.step.name}, due {following.due_date:%d %b %Y}."
            if following is not None and following.due_date
            else all_done_message(opportunity)
        )
        return Response(
            {
                "completed": OpportunityStepSerializer(prompted).data,
                "next_step": OpportunityStepSerializer(following).data if following else None,
                "message": message,
            }
        )

    @extend_schema(
        summary="Show an opportunity's stage history",
        description="Every stage change, oldest first, with the time spent in the stage left.",
        responses=StageChangeSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="stage-history",
        filter_backends=[],
        pagination_class=None,
    )
    def stage_history(self, request: Request, pk: str | None = None) -> Response:
        opportunity = self.get_object()
        return Response(StageChangeSerializer(selectors.stage_history(opportunity), many=True).data)


class RetirableViewSet(RecordViewSet):
    """Configuration that is retired (kept for history), never deleted."""

    def delete_record(self, instance: Any) -> None:
        raise exceptions.MethodNotAllowed(
            "DELETE", detail="Retire it with POST …/retire/: deals that used it keep it."
        )


@extend_schema_view(
    list=extend_schema(summary="List stages"),
    retrieve=extend_schema(summary="Show a stage"),
    create=extend_schema(summary="Add a stage (administrators)"),
    update=extend_schema(summary="Replace a stage (administrators)"),
    partial_update=extend_schema(summary="Change a stage (administrators)"),
    destroy=extend_schema(summary="Stages are never deleted", responses={405: ErrorSerializer}),
)
class StageViewSet(RetirableViewSet):
    record_type = "stage"
    serializer_class = StageSerializer
    filterset_fields = ("kind", "is_active")
    search_fields = ("name", "customer_label", "key")
    ordering_fields = ("sort_order", "name")
    ordering = ("sort_order", "id")

    def create_record(self, data: dict[str, Any]) -> Stage:
        return services.stage_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Stage, data: dict[str, Any]) -> Stage:
        return services.stage_update(acting_user=self.request.user, stage=instance, values=data)

    @extend_schema(
        summary="Retire a stage (administrators)",
        description="Deals at the stage keep it; no deal may enter it any more.",
        request=None,
        responses=StageSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def retire(self, request: Request, pk: str | None = None) -> Response:
        stage = services.stage_retire(acting_user=request.user, stage=self.get_object())
        return self.respond(stage)


@extend_schema_view(
    list=extend_schema(summary="List methodology steps"),
    retrieve=extend_schema(summary="Show a methodology step"),
    create=extend_schema(summary="Add a methodology step (administrators)"),
    update=extend_schema(summary="Replace a methodology step (administrators)"),
    partial_update=extend_schema(summary="Change a methodology step (administrators)"),
    destroy=extend_schema(
        summary="Methodology steps are never deleted", responses={405: ErrorSerializer}
    ),
)
class MethodologyStepViewSet(RetirableViewSet):
    record_type = "methodology_step"
    serializer_class = MethodologyStepSerializer
    filterset_fields = ("stage", "is_active", "is_required")
    search_fields = ("name", "description")
    ordering_fields = ("sort_order", "name")
    ordering = ("stage__sort_order", "sort_order", "id")

    def get_base_queryset(self) -> QuerySet[MethodologyStep]:
        return MethodologyStep.objects.select_related("stage")

    def create_record(self, data: dict[str, Any]) -> MethodologyStep:
        return services.methodology_step_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: MethodologyStep, data: dict[str, Any]) -> MethodologyStep:
        return services.methodology_step_update(
            acting_user=self.request.user, step=instance, values=data
        )

    @extend_schema(
        summary="Retire a methodology step (administrators)",
        description="It is no longer prompted nor a stage gate; deals that did it keep it.",
        request=None,
        responses=MethodologyStepSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def retire(self, request: Request, pk: str | None = None) -> Response:
        step = services.methodology_step_retire(acting_user=request.user, step=self.get_object())
        return self.respond(step)
