"""`/api/v1/merges/`: merge two or three records, list and read merges, undo one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.access import permissions
from rapport.api.base import ApiView
from rapport.api.errors import ErrorSerializer
from rapport.api.records import ID_PATTERN
from rapport.quality.merge import selectors, services
from rapport.quality.merge.api.serializers import MergeRequestSerializer, MergeSerializer
from rapport.quality.merge.models import Merge

_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description=(
        "The merge is refused: not two or three records, a field that is not merged or a value "
        "from a record outside the merge, an account merged with its own parent; `error.fields` "
        "names the field."
    ),
)
_UNDO_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description=(
        "The merge cannot be undone: already undone, a merged record was purged from the "
        "recycle bin, or a re-pointed row was deleted since."
    ),
)


class MergeViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Merges of contacts, accounts and leads; each can be undone."""

    permission_classes = (IsAuthenticated,)
    serializer_class = MergeSerializer
    filter_backends: list[Any] = []
    ordering = ("-merged_at", "-id")
    lookup_value_regex = ID_PATTERN

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        permissions.forget(request.user)

    def get_queryset(self) -> QuerySet[Merge]:
        return selectors.merges_visible(self.request.user).order_by("-merged_at", "-id")

    @extend_schema(summary="List merges", description="Newest first: those you may see.")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Read a merge")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Merge two or three records",
        description=(
            "Keeps the survivor with the chosen value per field, re-points every related record "
            "to it and moves the others to the recycle bin, in one transaction. Needs edit on "
            "the survivor and delete on the others (a data steward: edit on all of them)."
        ),
        request=MergeRequestSerializer,
        responses={201: MergeSerializer, 400: _REFUSED},
    )
    def create(self, request: Request) -> Response:
        body = MergeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        merge = services.records_merge(
            acting_user=request.user,
            record_type=data["record_type"],
            survivor=data["survivor"],
            others=data["others"],
            field_values=data["field_values"],
        )
        return Response(
            MergeSerializer(merge, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Undo a merge",
        description=(
            "Restores the survivor's fields, points the moved rows back and brings the merged "
            "records back from the recycle bin."
        ),
        request=None,
        responses={200: MergeSerializer, 400: _UNDO_REFUSED},
    )
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str) -> Response:
        merge = self.get_object()
        merge = services.merge_undo(acting_user=request.user, merge=merge)
        return Response(MergeSerializer(merge, context={"request": request}).data)
