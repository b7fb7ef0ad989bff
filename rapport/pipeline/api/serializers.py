"""Bodies of the opportunity, stage and methodology step collections."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rapport.api.records import RECORD_READ_ONLY, RecordSerializer
from rapport.pipeline.models import (
    MethodologyStep,
    Opportunity,
    OpportunityStep,
    Stage,
    StageChange,
)


class OpportunitySerializer(RecordSerializer):
    record_type = "opportunity"
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    stage_kind = serializers.CharField(source="stage.kind", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)

    class Meta:
        model = Opportunity
        fields = (
            "id",
            "name",
            "account",
            "account_name",
            "contact",
            "owner",
            "owner_name",
            "stage",
            "stage_name",
            "stage_kind",
            "stage_changed_at",
            "amount",
            "currency",
            "price_list",
            "forecast_close_date",
            "probability",
            "loss_reason",
            "source",
            "closed_at",
            "description",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = (*RECORD_READ_ONLY, "stage_changed_at", "closed_at")
        extra_kwargs: dict[str, Any] = {
            "owner": {"required": False},
            "stage": {"required": False},
            "probability": {"required": False},
            "currency": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # The currency is given and shown as its ISO code (the currency picklist's keys).
        fields["currency"].required = False
        return fields


class StageMoveSerializer(serializers.Serializer[Any]):
    """A move to another stage; other opportunity fields may be filled in the same call."""

    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(), help_text="The id of the stage to move to."
    )


class StageSerializer(RecordSerializer):
    record_type = "stage"
    required_fields = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Opportunity fields that must be filled before a deal may enter the stage.",
    )

    class Meta:
        model = Stage
        fields = (
            "id",
            "key",
            "name",
            "customer_label",
            "kind",
            "probability",
            "sort_order",
            "is_active",
            "description",
            "required_fields",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY
        extra_kwargs: dict[str, Any] = {"sort_order": {"required": False}}


class MethodologyStepSerializer(RecordSerializer):
    record_type = "methodology_step"
    stage_name = serializers.CharField(source="stage.name", read_only=True)

    class Meta:
        model = MethodologyStep
        fields = (
            "id",
            "stage",
            "stage_name",
            "name",
            "description",
            "due_in_days",
            "sort_order",
            "is_required",
            "is_active",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY
        extra_kwargs: dict[str, Any] = {"sort_order": {"required": False}}


class OpportunityStepSerializer(serializers.ModelSerializer[OpportunityStep]):
    """A methodology step on a deal: prompted, due, done."""

    name = serializers.CharField(source="step.name", read_only=True)
    stage = serializers.IntegerField(source="step.stage_id", read_only=True)

    class Meta:
        model = OpportunityStep
        fields = (
            "id",
            "step",
            "name",
            "stage",
            "prompted_at",
            "due_date",
            "completed_at",
            "completed_by",
        )
        read_only_fields = fields


class StepCompletionSerializer(serializers.Serializer[Any]):
    """The answer to completing a step: the step done and the next one prompted (or null)."""

    completed = OpportunityStepSerializer()
    next_step = OpportunityStepSerializer(allow_null=True)
    message = serializers.CharField()


class StageChangeSerializer(serializers.ModelSerializer[StageChange]):
    from_stage_name = serializers.CharField(
        source="from_stage.name", read_only=True, allow_null=True
    )
    to_stage_name = serializers.CharField(source="to_stage.name", read_only=True)
    time_in_previous_seconds = serializers.SerializerMethodField(
        help_text="Seconds the deal spent in the stage it left; null for its creation."
    )

    class Meta:
        model = StageChange
        fields = (
            "id",
            "from_stage",
            "from_stage_name",
            "to_stage",
            "to_stage_name",
            "changed_at",
            "changed_by",
            "time_in_previous_seconds",
        )
        read_only_fields = fields

    def get_time_in_previous_seconds(self, obj: StageChange) -> int | None:
        if obj.time_in_previous is None:
            return None
        return int(obj.time_in_previous.total_seconds())
