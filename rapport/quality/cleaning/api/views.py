"""The cleaning app through the API: corrections, the glossary, stale-data queues, bounces."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.access import permissions
from rapport.api.base import ApiView
from rapport.api.errors import ErrorSerializer
from rapport.api.pagination import CursorPagination
from rapport.core import records

from .. import services
from ..models import CorrectionRequest, EmailBounce, FieldDefinition

# --- corrections -------------------------------------------------------------------------------


class CorrectionSerializer(serializers.ModelSerializer[CorrectionRequest]):
    reporter_name = serializers.CharField(source="reporter.get_full_name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="`open`, `accepted` or `rejected`.")
    decided_by_name = serializers.CharField(
        source="decided_by.get_full_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = CorrectionRequest
        fields = (
            "id",
            "record_type",
            "object_id",
            "field_name",
            "current_value",
            "suggested_value",
            "comment",
            "reporter",
            "reporter_name",
            "status",
            "created_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "reason",
        )
        read_only_fields = fields


class CorrectionCreateSerializer(serializers.Serializer[Any]):
    record_type = serializers.CharField(help_text="The record type's key, e.g. `contact`.")
    object_id = serializers.IntegerField(help_text="The record's id.")
    field_name = serializers.CharField(help_text="The field whose value is wrong.")  # type: ignore[assignment]
    suggested_value = serializers.CharField(
        allow_blank=True, default="", help_text="The right value (a picklist key, a record id…)."
    )
    comment = serializers.CharField(allow_blank=True, default="", help_text="Why it is wrong.")


class CorrectionRejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        help_text="Why the correction is rejected (the reporter reads it)."
    )


BOX = OpenApiParameter(
    "box",
    str,
    enum=["mine", "assigned"],
    description="`mine`: the corrections you reported (default); `assigned`: those you decide "
    "(records you own, or all for data stewards).",
)
STATUS = OpenApiParameter(
    "status", str, enum=["open", "accepted", "rejected"], description="Only this status."
)


def _masked(user: Any, data: Any, corrections: list[CorrectionRequest]) -> Any:
    """Values of fields the viewer may not see are never sent."""
    hidden = services.hidden_for(user, corrections)
    rows = data if isinstance(data, list) else [data]
    for row in rows:
        if row["id"] in hidden:
            row["current_value"] = None
            row["suggested_value"] = None
    return data


class CorrectionViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Flags of wrong data: report, list yours or those you decide, accept or reject."""

    permission_classes = (IsAuthenticated,)
    serializer_class = CorrectionSerializer
    filter_backends: list[Any] = []

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        permissions.forget(request.user)

    def get_queryset(self) -> QuerySet[CorrectionRequest]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return CorrectionRequest.objects.none()
        box = self.request.query_params.get("box", "mine")
        if self.action != "list":
            return services.corrections_assigned_to(user) | services.corrections_reported_by(user)
        queryset = (
            services.corrections_assigned_to(user)
            if box == "assigned"
            else services.corrections_reported_by(user).select_related("reporter")
        )
        wanted = self.request.query_params.get("status")
        if wanted:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(
        summary="List corrections",
        description="Your reports (with their status and the decision's reason), or the ones you "
        "decide. Values of fields hidden from you are null.",
        parameters=[BOX, STATUS],
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        data = _masked(request.user, self.get_serializer(rows, many=True).data, rows)
        return self.get_paginated_response(data)

    @extend_schema(summary="Show a correction")
    def retrieve(self, request: Request, pk: str) -> Response:
        correction = self.get_object()
        return Response(_masked(request.user, self.get_serializer(correction).data, [correction]))

    @extend_schema(
        summary="Flag a field's value as wrong",
        description="Anyone who can read the record may flag a field they can see, suggesting "
        "the right value. The record's owner (or a data steward) decides.",
        request=CorrectionCreateSerializer,
        responses={201: CorrectionSerializer},
    )
    def create(self, request: Request) -> Response:
        body = CorrectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correction = services.correction_create(acting_user=request.user, **body.validated_data)
        return Response(self.get_serializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept a correction",
        description="Applies the suggested value through the record's normal update (validated, "
        "normalised, audited). A suggestion that fails validation answers 400 and is not applied.",
        request=None,
        responses={
            200: CorrectionSerializer,
            400: OpenApiResponse(description="Already decided, or the value is invalid."),
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        correction = services.correction_accept(
            correction=self.get_object(), acting_user=request.user
        )
        return Response(self.get_serializer(correction).data)

    @extend_schema(
        summary="Reject a correction",
        request=CorrectionRejectSerializer,
        responses={
            200: CorrectionSerializer,
            400: OpenApiResponse(description="Already decided, or no reason given."),
        },
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        body = CorrectionRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correction = services.correction_reject(
            correction=self.get_object(),
            reason=body.validated_data["reason"],
            acting_user=request.user,
        )
        return Response(self.get_serializer(correction).data)


# --- glossary ----------------------------------------------------------------------------------


class GlossaryEntrySerializer(serializers.Serializer[Any]):
    record_type = serializers.CharField()
    field_name = serializers.CharField()  # type: ignore[assignment]
    label = serializers.CharField()  # type: ignore[assignment]
    definition = serializers.CharField()
    owner = serializers.IntegerField(source="owner.pk", allow_null=True, default=None)
    allowed_values = serializers.CharField()
    fill_rate = serializers.FloatField(
        allow_null=True, help_text="Share of the records you see that have a value (0 to 1)."
    )


class FieldDefinitionSerializer(serializers.ModelSerializer[FieldDefinition]):
    class Meta:
        model = FieldDefinition
        fields = ("id", "record_type", "field_name", "definition", "owner", "allowed_values")
        read_only_fields = ("id",)
        validators: list[Any] = []  # an upsert: the service writes the existing entry


class GlossaryViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The field glossary: what each field means, who owns it, its allowed values and fill rate."""

    permission_classes = (IsAuthenticated,)
    serializer_class = GlossaryEntrySerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[FieldDefinition]:
        return FieldDefinition.objects.none()

    @extend_schema(
        summary="List the glossary",
        description="Every field you may see of accounts, contacts, leads, opportunities and "
        "activities, with its definition and fill rate over the records you see.",
        parameters=[
            OpenApiParameter("search", str, description="Words in the label or definition.")
        ],
        responses=GlossaryEntrySerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        grouped = services.glossary(request.user, search=request.query_params.get("search", ""))
        entries = [entry for group in grouped.values() for entry in group]
        return Response(GlossaryEntrySerializer(entries, many=True).data)

    @extend_schema(
        summary="Write a field's definition (data stewards)",
        request=FieldDefinitionSerializer,
        responses={200: FieldDefinitionSerializer},
    )
    def create(self, request: Request) -> Response:
        body = FieldDefinitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.field_definition_set(acting_user=request.user, **body.validated_data)
        return Response(FieldDefinitionSerializer(entry).data)


# --- stale data --------------------------------------------------------------------------------

QUEUES = ("untouched", "bounced", "left_company", "deceased")


class StaleRecordSerializer(serializers.Serializer[Any]):
    record_type = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField()


class StaleActionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[
            "mark_reviewed",
            "clear_email",
            "set_left_company",
            "mark_deceased",
            "do_not_contact",
        ]
    )
    record_type = serializers.CharField(help_text="`account`, `contact` or `lead`.")
    object_id = serializers.IntegerField()


def stale_queryset(user: Any, queue: str, record_type: str, months: int) -> QuerySet[Any]:
    if queue == "untouched":
        return services.stale_records(user, record_type, months=months)
    if queue == "bounced":
        return services.bounced_records(user, record_type)
    if queue == "left_company":
        return services.left_company_contacts(user)
    if queue == "deceased":
        return services.deceased_contacts(user)
    raise Http404("No such queue.")


def stale_rows(user: Any, record_type: str, objects: list[Any]) -> list[dict[str, Any]]:
    hidden = permissions.hidden_fields_of(user, record_type)
    return [
        {
            "record_type": record_type,
            "id": obj.pk,
            "name": str(obj),
            "email": None if "email" in hidden else getattr(obj, "email", None),
            "updated_at": obj.updated_at,
        }
        for obj in objects
    ]


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit():
        raise serializers.ValidationError({name: "Give a whole number."})
    return int(raw)


class StaleViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Stale-data review queues: untouched records, bounced e-mails, people who left, deceased."""

    permission_classes = (IsAuthenticated,)
    serializer_class = StaleRecordSerializer
    filter_backends: list[Any] = []
    pagination_class = CursorPagination

    def get_queryset(self) -> QuerySet[Any]:
        request = self.request
        queue = request.query_params.get("queue", "untouched")
        record_type = request.query_params.get("type", "contact")
        if queue in ("left_company", "deceased"):
            record_type = "contact"
        return stale_queryset(request.user, queue, record_type, _int_param(request, "months", 12))

    @extend_schema(
        summary="List a stale-data queue",
        parameters=[
            OpenApiParameter("queue", str, enum=list(QUEUES), description="Which queue."),
            OpenApiParameter(
                "type", str, enum=list(services.STALE_TYPES), description="Record type."
            ),
            OpenApiParameter("months", int, description="Untouched for this many months (12)."),
        ],
        responses=StaleRecordSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        queryset = self.get_queryset()
        record_type = records.for_model(queryset.model).key
        page = list(self.paginate_queryset(queryset) or [])
        return self.get_paginated_response(stale_rows(request.user, record_type, page))

    @extend_schema(
        summary="Act on a stale record",
        description="`mark_reviewed` takes it off the queue; `clear_email` removes a bounced "
        "address; `set_left_company`, `mark_deceased` and `do_not_contact` apply to contacts.",
        request=StaleActionSerializer,
        responses={204: None},
    )
    @action(detail=False, methods=["post"])
    def act(self, request: Request) -> Response:
        body = StaleActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stale_act(request.user, **body.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


def stale_act(user: Any, *, action: str, record_type: str, object_id: int) -> None:
    """One stale-queue action, shared by the page and the API."""
    if record_type not in services.STALE_TYPES:
        raise serializers.ValidationError({"record_type": "Choose account, contact or lead."})
    if action == "mark_reviewed":
        services.stale_mark_reviewed(record_type=record_type, object_id=object_id, acting_user=user)
    elif action == "clear_email":
        services.stale_clear_email(record_type=record_type, object_id=object_id, acting_user=user)
    elif record_type != "contact":
        raise serializers.ValidationError({"action": "This action applies to contacts only."})
    elif action == "set_left_company":
        services.stale_set_left_company(object_id=object_id, acting_user=user)
    elif action == "mark_deceased":
        services.contact_mark_deceased(object_id=object_id, acting_user=user)
    else:
        services.stale_set_do_not_contact(object_id=object_id, acting_user=user)


class EmailBounceSerializer(serializers.ModelSerializer[EmailBounce]):
    class Meta:
        model = EmailBounce
        fields = ("id", "record_type", "object_id", "email", "bounced_at", "reason")
        read_only_fields = ("id", "bounced_at")


class EmailBounceViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Bounced e-mails, recorded by the mail integration (or by hand)."""

    permission_classes = (IsAuthenticated,)
    serializer_class = EmailBounceSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[EmailBounce]:
        return EmailBounce.objects.none()

    @extend_schema(
        summary="Record a bounced e-mail",
        description="For a contact or lead you can read; the record then appears in the "
        "bounced queue while its current address is the one that bounced.",
        responses={
            201: EmailBounceSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such contact or lead."),
        },
    )
    def create(self, request: Request) -> Response:
        body = EmailBounceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bounce = services.email_bounce_record(acting_user=request.user, **body.validated_data)
        return Response(EmailBounceSerializer(bounce).data, status=status.HTTP_201_CREATED)
