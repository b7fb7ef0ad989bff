"""The scores app over the API: score snapshots and roll-ups (read), turnover (administrators)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.access.models import User
from rapport.api.base import ApiView
from rapport.api.errors import ErrorSerializer
from rapport.quality.scores import selectors, turnover
from rapport.quality.scores.api import serializers
from rapport.quality.scores.models import QualityRollup, QualityScore


def _viewer(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated ran first
    return user


@extend_schema_view(
    list=extend_schema(
        summary="List data-quality scores",
        description="One score per record you may see (yours; your team's if you manage one; "
        "everything for administrators), lowest first, with what to fix.",
    ),
    retrieve=extend_schema(summary="Show a data-quality score"),
)
class QualityScoreViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = serializers.QualityScoreSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ("record_type", "owner", "team", "object_id")
    ordering_fields = ("score", "id")
    ordering = ("score", "id")

    def get_queryset(self) -> QuerySet[QualityScore]:
        if getattr(self, "swagger_fake_view", False):
            return QualityScore.objects.none()
        return selectors.scores_for(_viewer(self.request))


@extend_schema_view(
    list=extend_schema(
        summary="List daily data-quality roll-ups",
        description="Per day, record type and owner: records scored, the sum of their scores "
        "and how many were below 60 (the trend).",
    ),
    retrieve=extend_schema(summary="Show a daily data-quality roll-up"),
)
class QualityRollupViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = serializers.QualityRollupSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ("day", "record_type", "owner", "team")
    ordering_fields = ("day", "id")
    ordering = ("-day", "id")

    def get_queryset(self) -> QuerySet[QualityRollup]:
        if getattr(self, "swagger_fake_view", False):
            return QualityRollup.objects.none()
        return selectors.rollups_for(_viewer(self.request))


class IsAdministrator(BasePermission):
    message = "Only administrators can hand over someone's records."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_administrator


class TurnoverViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = (IsAdministrator,)
    filter_backends: Any = []
    pagination_class = None

    @extend_schema(
        summary="Preview a leaver's active records (administrators)",
        request=serializers.TurnoverPreviewRequestSerializer,
        responses={
            200: serializers.TurnoverPreviewSerializer,
            400: OpenApiResponse(ErrorSerializer, description="No such person."),
            403: OpenApiResponse(ErrorSerializer, description="Not an administrator."),
        },
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        incoming = serializers.TurnoverPreviewRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        preview = turnover.turnover_preview(
            acting_user=_viewer(request), user=incoming.validated_data["from_user"]
        )
        return Response(serializers.TurnoverPreviewSerializer(preview).data)

    @extend_schema(
        summary="Hand a leaver's active records over (administrators)",
        description="Per kind of record: to one successor, round robin across the leaver's "
        "active team mates, or by office (people whose office is in the record's country). "
        "One audit entry per record changed; the answer is the hand-over report.",
        request=serializers.TurnoverReassignRequestSerializer,
        responses={
            200: serializers.HandOverReportSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A plan that cannot be carried out."),
            403: OpenApiResponse(ErrorSerializer, description="Not an administrator."),
        },
    )
    @action(detail=False, methods=["post"])
    def reassign(self, request: Request) -> Response:
        incoming = serializers.TurnoverReassignRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = turnover.records_reassign(
            acting_user=_viewer(request),
            from_user=incoming.validated_data["from_user"],
            plan=incoming.to_plan(),
        )
        return Response(serializers.HandOverReportSerializer(report).data)
