"""Validation rules through the API: administrators list, read, create, change (enable/disable is a
change of is_active) and delete rules, and list the records that currently break one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.api.errors import ErrorSerializer
from rapport.api.permissions import can_administer
from rapport.core import audit, records
from rapport.core.models import AuditEntry
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.services import (
    RECORD_TYPE,
    rule_create,
    rule_text,
    rule_update,
    rule_violations,
)

VIOLATIONS_SHOWN = 100


class IsRuleAdministrator(BasePermission):
    message = "Only administrators can read or change validation rules."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_administer(request.user)


class ValidationRuleSerializer(serializers.ModelSerializer[ValidationRule]):
    applies_when = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="When the rule applies: a condition as JSON, or its text form as a string; "
        "null for always.",
    )
    condition = serializers.JSONField(
        help_text="What a record the rule applies to must meet: JSON, or the text form as a string."
    )
    applies_when_text = serializers.SerializerMethodField(
        help_text="The text form of applies_when."
    )
    condition_text = serializers.SerializerMethodField(help_text="The text form of condition.")
    field_names = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="The fields the message is shown on.",
    )

    class Meta:
        model = ValidationRule
        fields = (
            "id", "record_type", "name", "kind", "field_names", "applies_when", "applies_when_text",
            "condition", "condition_text", "message", "is_active", "sort_order", "created_at",
            "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "created_at", "updated_at")

    def get_applies_when_text(self, rule: ValidationRule) -> str:
        return rule_text(rule.applies_when)

    def get_condition_text(self, rule: ValidationRule) -> str:
        return rule_text(rule.condition)


class RuleViolationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The record's id.")
    name = serializers.CharField(help_text="How the record reads.")


class RuleViolationsSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="How many records break the rule now.")
    record_type = serializers.CharField(help_text="Their record type.")
    records = RuleViolationSerializer(
        many=True, help_text=f"The first {VIOLATIONS_SHOWN}, newest first."
    )


def _errors(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


_E = ErrorSerializer
_RULE = ValidationRuleSerializer


@extend_schema_view(
    list=extend_schema(summary="List validation rules", responses={200: _RULE(many=True), 403: _E}),
    retrieve=extend_schema(
        summary="Read a validation rule", responses={200: _RULE, 403: _E, 404: _E}
    ),
    create=extend_schema(
        summary="Create a validation rule", responses={201: _RULE, 400: _E, 403: _E}
    ),
    update=extend_schema(
        summary="Replace a validation rule", responses={200: _RULE, 400: _E, 403: _E, 404: _E}
    ),
    partial_update=extend_schema(
        summary="Change a validation rule (e.g. is_active to enable or disable it)",
        responses={200: _RULE, 400: _E, 403: _E, 404: _E},
    ),
    destroy=extend_schema(
        summary="Delete a validation rule", responses={204: None, 403: _E, 404: _E}
    ),
)
class ValidationRuleViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    permission_classes = (IsRuleAdministrator,)
    serializer_class = ValidationRuleSerializer
    queryset = ValidationRule.objects.all()
    filterset_fields = ("record_type", "is_active", "kind")
    search_fields = ("name", "message")
    ordering_fields = ("record_type", "sort_order", "name", "id")
    lookup_value_regex = r"\d+"

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            rule = rule_create(values=dict(serializer.validated_data), acting_user=request.user)
        except DjangoValidationError as error:
            raise _errors(error) from None
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(rule, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            rule = rule_update(
                rule=rule, values=dict(serializer.validated_data), acting_user=request.user
            )
        except DjangoValidationError as error:
            raise _errors(error) from None
        return Response(self.get_serializer(rule).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        audit.audit_record(
            obj=rule,
            acting_user=request.user,  # type: ignore[arg-type]
            action=AuditEntry.Action.DELETE,
            changes=audit.diff(audit.snapshot(rule), {}),
            record_type=RECORD_TYPE,
        )
        rule.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Records that break the rule now",
        responses={200: RuleViolationsSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def violations(self, request: Request, pk: str | None = None) -> Response:
        rule = self.get_object()
        found = rule_violations(rule=rule, acting_user=request.user)
        rows = [{"id": record.pk, "name": str(record)} for record in found[:VIOLATIONS_SHOWN]]
        data = {"count": found.count(), "record_type": records.get(rule.record_type).key,
                "records": rows}  # fmt: skip
        return Response(RuleViolationsSerializer(data).data)
