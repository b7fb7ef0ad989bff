"""Imports through the API: upload (multipart), configure, preview, dry run, commit, cancel,
roll back, the report as CSV, and saved mappings.

A batch is visible to the person who uploaded it and to administrators; uploading needs the
right to create records of the type. Long passes answer 202 with the task id: follow it at
`/api/v1/tasks/<task_id>/` (or the batch itself, whose counters move chunk by chunk).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.imports import services
from rapport.imports.mapping import IMPORTABLE_TYPES, importable_fields
from rapport.imports.models import ImportBatch, ImportMapping
from rapport.imports.reading import ImportFileError


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    status = serializers.CharField(
        read_only=True,
        help_text="uploaded, checking, checked, committing, committed, cancelled, failed, "
        "rolling_back or rolled_back.",
    )
    rollback_until = serializers.DateTimeField(read_only=True, allow_null=True)
    can_roll_back = serializers.BooleanField(read_only=True)

    class Meta:
        model = ImportBatch
        fields = (
            "id", "record_type", "file_name", "file_format", "encoding", "delimiter", "headers",
            "mapping", "options", "duplicate_mode", "commit_mode", "status", "error",
            "rows_total", "rows_done", "accepted", "rejected", "duplicates", "created",
            "updated", "skipped", "committed_through", "task_id", "created_at", "checked_at",
            "committed_at", "rolled_back_at", "rollback_until", "can_roll_back",
        )  # fmt: skip
        read_only_fields = fields


class UploadSerializer(serializers.Serializer[Any]):
    record_type = serializers.CharField(help_text="One of: " + ", ".join(IMPORTABLE_TYPES) + ".")
    file = serializers.FileField(help_text="CSV, XLSX, or vCard (contacts).")


class ConfigureSerializer(serializers.Serializer[Any]):
    mapping = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='Header -> field name ("" skips the column).',
    )
    options = serializers.DictField(
        required=False,
        default=dict,
        help_text="day_first (bool), decimal_mark (auto . ,), match_on (field), unresolved "
        "(reject | report).",
    )
    duplicate_mode = serializers.ChoiceField(
        choices=ImportBatch.DuplicateMode.values, default="skip"
    )
    commit_mode = serializers.ChoiceField(
        choices=ImportBatch.CommitMode.values, default="valid_only"
    )
    save_as = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Save the mapping by this name."
    )


class ReasonSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    message = serializers.CharField()


class PreviewRowSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(help_text="Row number in the file (1 = header).")
    cells = serializers.DictField(child=serializers.CharField(), help_text="As read.")
    values = serializers.DictField(
        child=serializers.CharField(), help_text="As they will be stored."
    )
    verdict = serializers.CharField(help_text="accepted, rejected or duplicate.")
    reasons = ReasonSerializer(many=True)
    matched = serializers.CharField(help_text="The record or earlier line it duplicates.")


class ImportFieldSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    required = serializers.BooleanField()  # type: ignore[assignment]
    kind = serializers.CharField()
    help = serializers.CharField()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


class ImportBatchViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ImportBatch],
):
    """Imports: one uploaded file each, from upload to commit (and rollback)."""

    serializer_class = ImportBatchSerializer
    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)
    filter_backends = ()
    pagination_class = None

    def get_queryset(self) -> QuerySet[ImportBatch]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return ImportBatch.objects.none()
        user: Any = self.request.user
        queryset = ImportBatch.objects.all()
        if not user.is_administrator:
            queryset = queryset.filter(created_by=user)
        return queryset.order_by("-created_at", "-id")

    def get_object(self) -> ImportBatch:
        return services.batch_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: ImportBatchSerializer},
        summary="Upload a file (headers read, mapping suggested)",
    )
    def create(self, request: Request) -> Response:
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            batch = services.batch_upload(
                acting_user=request.user,
                record_type=form.validated_data["record_type"],
                uploaded_file=upload,
                file_name=upload.name or "upload",
            )
        except ImportFileError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from None
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ImportFieldSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def fields(self, request: Request, pk: str) -> Response:
        """The fields the columns can be mapped onto (for this person)."""
        batch = self.get_object()
        found = importable_fields(batch.record_type, request.user)
        return Response(ImportFieldSerializer(found, many=True).data)

    @extend_schema(request=ConfigureSerializer, responses={200: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def configure(self, request: Request, pk: str) -> Response:
        """Set the mapping and options; 400 names the header or field that is wrong."""
        batch = self.get_object()
        form = ConfigureSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        services.batch_configure(
            batch=batch,
            acting_user=request.user,
            mapping=dict(data["mapping"]),
            options=dict(data["options"]),
            duplicate_mode=data["duplicate_mode"],
            commit_mode=data["commit_mode"],
            save_as=data["save_as"],
        )
        return Response(ImportBatchSerializer(batch).data)

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="Rows (default 20, max 100).")],
        responses={200: PreviewRowSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str) -> Response:
        """The first rows as they will be stored, with their verdicts (nothing written)."""
        batch = self.get_object()
        try:
            limit = max(1, min(100, int(request.query_params.get("limit", "20"))))
        except ValueError:
            raise serializers.ValidationError({"limit": ["Give a whole number."]}) from None
        rows = services.batch_preview(batch=batch, acting_user=request.user, limit=limit)
        return Response(PreviewRowSerializer(rows, many=True).data)

    def _started(self, batch: ImportBatch) -> Response:
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportBatchSerializer})
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request: Request, pk: str) -> Response:
        """Check every row in the worker (status checking, then checked)."""
        batch = self.get_object()
        return self._started(services.batch_dry_run_start(batch=batch, acting_user=request.user))

    @extend_schema(request=None, responses={202: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str) -> Response:
        """Import the rows in the worker (status committing, then committed)."""
        batch = self.get_object()
        return self._started(services.batch_commit_start(batch=batch, acting_user=request.user))

    @extend_schema(request=None, responses={200: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Stop a running pass at its next chunk (a commit undoes what it wrote)."""
        batch = self.get_object()
        services.batch_cancel(batch=batch, acting_user=request.user)
        return Response(ImportBatchSerializer(batch).data)

    @extend_schema(request=None, responses={202: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def rollback(self, request: Request, pk: str) -> Response:
        """Undo a committed import (within 30 days) in the worker."""
        batch = self.get_object()
        return self._started(services.batch_rollback_start(batch=batch, acting_user=request.user))

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="Original cells + line, verdict, action, field, "
                "reason, matched record, score.",
            )
        }
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> StreamingHttpResponse:
        """The row-by-row report as CSV (streamed)."""
        batch = self.get_object()
        response = StreamingHttpResponse(
            _csv_stream(services.batch_report_rows(batch=batch)), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.csv"'
        return response


class ImportMappingSerializer(serializers.ModelSerializer[ImportMapping]):
    owner: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = ImportMapping
        fields = ("id", "name", "record_type", "columns", "options", "owner", "updated_at")
        read_only_fields = ("id", "owner", "updated_at")


class ImportMappingViewSet(ApiView, viewsets.ModelViewSet[ImportMapping]):
    """Saved column mappings, reused for files with the same headers."""

    serializer_class = ImportMappingSerializer
    permission_classes = (IsAuthenticated,)
    filter_backends = ()
    pagination_class = None
    queryset = ImportMapping.objects.select_related("owner").order_by("record_type", "name")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.mapping_save(
            acting_user=self.request.user,
            record_type=data["record_type"],
            name=data["name"],
            columns=data.get("columns", {}),
            options=data.get("options", {}),
        )

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        data = serializer.validated_data
        if (
            data.get("name", instance.name) != instance.name
            or data.get("record_type", instance.record_type) != instance.record_type
        ):
            raise serializers.ValidationError({"name": ["Save it under a new name instead."]})
        if instance.owner_id != self.request.user.pk and not self.request.user.is_administrator:  # type: ignore[union-attr]
            raise serializers.ValidationError({"name": ["Only its owner may change it."]})
        serializer.instance = services.mapping_save(
            acting_user=self.request.user,
            record_type=instance.record_type,
            name=instance.name,
            columns=data.get("columns", instance.columns),
            options=data.get("options", instance.options),
        )

    def perform_destroy(self, instance: ImportMapping) -> None:
        services.mapping_delete(acting_user=self.request.user, saved=instance)
