"""The scores app's API shapes: score snapshots, daily roll-ups, and the turnover requests."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rapport.access.models import User
from rapport.quality.scores import selectors, turnover
from rapport.quality.scores.models import QualityRollup, QualityScore


class QualityIssueSerializer(serializers.Serializer[dict[str, Any]]):
    field = serializers.CharField(help_text="The field to fix ('record' for the whole record).")
    reason = serializers.CharField(help_text="Why it costs points.")
    points = serializers.IntegerField(help_text="How many points it takes off the score.")


class QualityScoreSerializer(serializers.ModelSerializer[QualityScore]):
    issues = serializers.SerializerMethodField(help_text="What to fix, costliest first.")

    class Meta:
        model = QualityScore
        fields = (
            "id",
            "record_type",
            "object_id",
            "object_repr",
            "owner",
            "team",
            "score",
            "issues",
            "computed_at",
        )
        read_only_fields = fields

    @extend_schema_field(QualityIssueSerializer(many=True))
    def get_issues(self, obj: QualityScore) -> list[dict[str, Any]]:
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        issues = selectors.visible_issues(viewer, obj.record_type, obj.issues)
        return list(QualityIssueSerializer(issues, many=True).data)  # type: ignore[arg-type]


class QualityRollupSerializer(serializers.ModelSerializer[QualityRollup]):
    average = serializers.SerializerMethodField(help_text="The average score that day.")

    class Meta:
        model = QualityRollup
        fields = (
            "id",
            "day",
            "record_type",
            "owner",
            "team",
            "records",
            "score_sum",
            "poor",
            "average",
        )
        read_only_fields = fields

    def get_average(self, obj: QualityRollup) -> float:
        return obj.score_sum / obj.records if obj.records else 0.0


class TurnoverPreviewRequestSerializer(serializers.Serializer[Any]):
    from_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="The person leaving (deactivated or about to be)."
    )


class TurnoverCountsSerializer(serializers.Serializer[Any]):
    lead = serializers.IntegerField(help_text="Open leads.")
    opportunity = serializers.IntegerField(help_text="Open opportunities.")
    account = serializers.IntegerField(help_text="Accounts.")
    contact = serializers.IntegerField(help_text="Contacts.")
    task = serializers.IntegerField(help_text="Open tasks.")


class TurnoverPreviewSerializer(serializers.Serializer[Any]):
    from_user = serializers.IntegerField(source="user.pk", help_text="The person leaving.")
    counts = TurnoverCountsSerializer(help_text="Active records they own, per kind.")
    total = serializers.IntegerField(help_text="All of them together.")
    team_members = serializers.SerializerMethodField(
        help_text="The active team mates a round robin shares among."
    )

    def get_team_members(self, obj: turnover.TurnoverPreview) -> list[int]:
        return [member.pk for member in obj.team_members]


class TurnoverRuleSerializer(serializers.Serializer[Any]):
    rule = serializers.ChoiceField(
        choices=list(turnover.RULES.items()), help_text="How this kind is handed over."
    )
    successor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="The successor (rule 'successor'), or where unmatched records go ('office').",
    )


class TurnoverPlanSerializer(serializers.Serializer[Any]):
    all = TurnoverRuleSerializer(required=False, help_text="One rule for every kind.")
    lead = TurnoverRuleSerializer(required=False, help_text="Open leads.")
    opportunity = TurnoverRuleSerializer(required=False, help_text="Open opportunities.")
    account = TurnoverRuleSerializer(required=False, help_text="Accounts.")
    contact = TurnoverRuleSerializer(required=False, help_text="Contacts.")
    task = TurnoverRuleSerializer(required=False, help_text="Open tasks.")


class TurnoverReassignRequestSerializer(serializers.Serializer[Any]):
    from_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="The person leaving."
    )
    plan = TurnoverPlanSerializer(help_text="A rule per kind (kinds left out stay), or 'all'.")

    def to_plan(self) -> turnover.TurnoverPlan:
        data = self.validated_data["plan"]
        if "all" in data:
            chosen = data["all"]
            return turnover.TurnoverPlan.for_all(
                turnover.Rule(chosen["rule"], chosen.get("successor"))
            )
        return turnover.TurnoverPlan(
            {
                key: turnover.Rule(value["rule"], value.get("successor"))
                for key, value in data.items()
            }
        )


class HandOverLineSerializer(serializers.Serializer[Any]):
    record_type = serializers.CharField(help_text="The kind of record.")
    object_id = serializers.IntegerField(help_text="Its id.")
    record = serializers.CharField(help_text="Its name.")
    old_owner = serializers.CharField(help_text="Who owned it.")
    new_owner_id = serializers.IntegerField(help_text="The new owner's id.")
    new_owner = serializers.CharField(help_text="The new owner.")


class HandOverReportSerializer(serializers.Serializer[Any]):
    from_user = serializers.IntegerField(source="from_user.pk", help_text="The person leaving.")
    lines = HandOverLineSerializer(many=True, help_text="Every record that changed owner.")
    kept = TurnoverCountsSerializer(help_text="Records left with them, per kind.")
