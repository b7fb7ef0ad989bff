"""History of any record (`/api/v1/<collection>/{id}/history/`) and the recycle bin.

One route serves every record type in rapport.core.records: a type registered later gets its
history endpoint without a line here. Audit entries are read-only: these views offer no write.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.api.permissions import can_administer
from rapport.core import records
from rapport.core.audit import HistoryEntry, HistoryNotFoundError, history_for
from rapport.core.recycle import (
    BinEntry,
    NotInRecycleBinError,
    bin_types,
    record_restore,
    recycle_bin_entries,
)


def collection_of(record_type: records.RecordType) -> str:
    """The URL segment of a record type's collection, e.g. "teams"."""
    return slugify(record_type.label_plural)


def record_type_for_collection(collection: str) -> records.RecordType:
    for record_type in records.all_types():
        if collection_of(record_type) == collection:
            return record_type
    raise Http404("No such collection.")


class ChangeSerializer(serializers.Serializer[Any]):
    old = serializers.JSONField(allow_null=True, help_text="The value before the change.")
    new = serializers.JSONField(allow_null=True, help_text="The value after the change.")


class HistoryEntrySerializer(serializers.Serializer[HistoryEntry]):
    id = serializers.IntegerField(help_text="The audit entry's id.")
    action = serializers.CharField(
        help_text="create, update, delete, restore, deactivate, reactivate or purge."
    )
    actor_id = serializers.IntegerField(
        allow_null=True, help_text="Who made the change; null for the system."
    )
    actor_name = serializers.CharField(help_text="That person's name, or “System”.")
    at = serializers.DateTimeField(help_text="When the change was made.")
    changes = serializers.DictField(
        child=ChangeSerializer(),
        help_text="For each changed field, its old and new value (foreign keys as {id, repr}).",
    )


class HistoryView(ApiView):
    """Read-only: GET only, so nothing in the trail can be changed through the API."""

    permission_classes = (IsAuthenticated,)
    filter_backends = ()
    pagination_class = None
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Show a record's history",
        description=(
            "Who changed what and when, newest first. Needs permission to read the record; "
            "fields hidden from your role are left out."
        ),
        parameters=[
            OpenApiParameter(
                "collection",
                str,
                OpenApiParameter.PATH,
                description="The record type's collection, e.g. `teams`.",
                enum=["users", "teams", "offices", "roles"],
            ),
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's id."),
        ],
        responses=HistoryEntrySerializer(many=True),
    )
    def get(self, request: Request, collection: str, pk: int) -> Response:
        record_type = record_type_for_collection(collection)
        try:
            entries = history_for(record_type=record_type.key, object_id=pk, viewer=request.user)
        except HistoryNotFoundError as error:
            raise Http404("No such record.") from error
        return Response(HistoryEntrySerializer(entries, many=True).data)  # type: ignore[arg-type]


class IsAdministrator(IsAuthenticated):
    message = "Only administrators can open the recycle bin."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_administer(request.user)


class BinEntrySerializer(serializers.Serializer[BinEntry]):
    type = serializers.CharField(source="record_type.key", help_text="The record type, e.g. team.")
    id = serializers.IntegerField(source="object_id", help_text="The record's id.")
    name = serializers.CharField(help_text="The record's name.")
    deleted_at = serializers.DateTimeField(help_text="When it was deleted.")
    deleted_by_id = serializers.IntegerField(allow_null=True, help_text="Who deleted it.")
    deleted_by_name = serializers.CharField(help_text="That person's name.")
    purge_at = serializers.DateTimeField(help_text="When it will be deleted for good.")


def _type_enum() -> list[str]:
    return ["team", "office", "role"]


class RecycleBinView(ApiView):
    permission_classes = (IsAdministrator,)
    filter_backends = ()
    pagination_class = None

    @extend_schema(
        summary="List the recycle bin (administrators)",
        description="Deleted records, most recent first, restorable until `purge_at`.",
        parameters=[
            OpenApiParameter(
                "type",
                str,
                OpenApiParameter.QUERY,
                required=False,
                description="Only records of this type.",
                enum=_type_enum(),
            )
        ],
        responses=BinEntrySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("type") or None
        if wanted is not None and wanted not in {rt.key for rt in bin_types()}:
            raise serializers.ValidationError({"type": ["No such record type in the bin."]})
        entries = recycle_bin_entries(record_type=wanted)
        return Response(BinEntrySerializer(entries, many=True).data)  # type: ignore[arg-type]


class RestoredSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="The record type, e.g. team.")
    id = serializers.IntegerField(help_text="The record's id.")
    name = serializers.CharField(help_text="The record's name.")


class RestoreView(ApiView):
    permission_classes = (IsAdministrator,)
    filter_backends = ()
    pagination_class = None

    @extend_schema(
        summary="Restore a record from the recycle bin (administrators)",
        description="The record comes back exactly as it was deleted, with its relations.",
        parameters=[
            OpenApiParameter(
                "type",
                str,
                OpenApiParameter.PATH,
                description="The record type.",
                enum=_type_enum(),
            ),
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's id."),
        ],
        request=None,
        responses={200: RestoredSerializer},
    )
    def post(self, request: Request, record_type: str, pk: int) -> Response:
        try:
            restored = record_restore(
                record_type=record_type, object_id=pk, acting_user=request.user
            )
        except NotInRecycleBinError as error:
            raise Http404("No such record in the recycle bin.") from error
        body = {"type": record_type, "id": restored.pk, "name": str(restored)}
        return Response(RestoredSerializer(body).data, status=status.HTTP_200_OK)
