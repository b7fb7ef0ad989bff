"""The activity collection (CRUD, completing tasks) and the timeline of a record."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.activities import selectors, services
from rapport.activities.api.serializers import (
    ActivitySerializer,
    TimelineEntrySerializer,
    TimelineQuerySerializer,
)
from rapport.activities.filters import ActivityFilter
from rapport.activities.models import Activity
from rapport.activities.timeline import timeline_for
from rapport.api.base import ApiView
from rapport.api.errors import ErrorSerializer
from rapport.api.records import RecordViewSet


@extend_schema_view(
    list=extend_schema(summary="List activities"),
    retrieve=extend_schema(summary="Show an activity"),
    create=extend_schema(
        summary="Log an activity",
        description=(
            "A call, meeting, e-mail or note that happened, or a task to do (`due_date` "
            "required). It must concern an account, contact, lead or opportunity; the account is "
            "filled in from the contact or opportunity. `call_outcome` is the key of a value of "
            "the 'call_outcome' picklist, for calls only."
        ),
    ),
    update=extend_schema(summary="Replace an activity"),
    partial_update=extend_schema(summary="Change an activity"),
    destroy=extend_schema(
        summary="Delete an activity",
        description=(
            "The activity goes to the recycle bin, from which an administrator restores it."
        ),
        responses={204: None},
    ),
)
class ActivityViewSet(RecordViewSet):
    record_type = "activity"
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    search_fields = ("subject",)
    ordering_fields = ("occurred_at", "due_date", "created_at", "updated_at")
    ordering = ("-occurred_at", "-id")

    def get_base_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.select_related("owner", "call_outcome")

    def create_record(self, data: dict[str, Any]) -> Activity:
        return services.activity_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Activity, data: dict[str, Any]) -> Activity:
        return services.activity_update(
            acting_user=self.request.user, activity=instance, values=data
        )

    def delete_record(self, instance: Activity) -> None:
        services.activity_delete(acting_user=self.request.user, activity=instance)

    @extend_schema(
        summary="Complete a task",
        description="Marks the task done now; completing it again keeps the first time.",
        request=None,
        responses=ActivitySerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        task = services.task_complete(acting_user=request.user, task=self.get_object())
        return self.respond(task)


class TimelineViewSet(ApiView, viewsets.ViewSet):
    """GET /api/v1/timeline/?record_type=account&record_id=5"""

    filter_backends = ()
    pagination_class = None

    @extend_schema(
        summary="A record's timeline",
        description=(
            "What happened on an account, contact, lead or opportunity, as the web app shows it: "
            "open tasks first (soonest due), then everything else newest first. An account's "
            "timeline includes its contacts' and opportunities'. Only what the caller may read."
        ),
        parameters=[
            OpenApiParameter(
                "record_type",
                str,
                required=True,
                enum=["account", "contact", "lead", "opportunity"],
            ),
            OpenApiParameter("record_id", int, required=True),
            OpenApiParameter("limit", int, required=False, description="1 to 200 (default 50)."),
        ],
        responses={
            200: TimelineEntrySerializer(many=True),
            404: OpenApiResponse(
                ErrorSerializer, description="No such record, or the caller may not see it."
            ),
        },
    )
    def list(self, request: Request) -> Response:
        params = TimelineQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        record_type, record = selectors.subject_for_user(
            user=request.user,
            reference=f"{params.validated_data['record_type']}:{params.validated_data['record_id']}",
        )
        entries = timeline_for(
            viewer=request.user,
            subject_type=record_type,
            subject=record,
            limit=params.validated_data["limit"],
        )
        return Response(TimelineEntrySerializer(entries, many=True).data)
