"""Duplicates through the API: the entry check's 409, the review queue, the scan."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.api.errors import ErrorDetailSerializer
from rapport.core.progress import task_enqueue
from rapport.quality.dedupe import queue
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.scan import SCANS, duplicate_pair_decide
from rapport.quality.dedupe.services import RECORD_TYPES, check_duplicates, keys_of_record

ALLOW_DUPLICATE = OpenApiParameter(
    "allow_duplicate",
    bool,
    description="`true` saves the record even when it looks like an existing one; otherwise such "
    "a write answers 409 `duplicate` with the likely duplicates as `candidates`.",
)


class CandidateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The existing record's id.")
    record_type = serializers.CharField(help_text="`contact`, `lead` or `account`.")
    name = serializers.CharField(help_text="The record's name.")
    score = serializers.FloatField(help_text="How likely the two are one (0 to 1).")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why.")
    url = serializers.CharField(help_text="The record's page.")


class DuplicateConflictSerializer(serializers.Serializer[Any]):
    """The 409 body of a write that looks like an existing record."""

    error = ErrorDetailSerializer()
    candidates = CandidateSerializer(many=True)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def duplicate_write_check(record_type: str, obj: Any, request: Request) -> Response | None:
    """Write check (rapport.api.records): 409 with candidates unless ?allow_duplicate=true.
    An update that leaves the matched values as they were is not checked again."""
    if _truthy(request.query_params.get("allow_duplicate")):
        return None
    if obj.pk is not None:
        from rapport.quality.dedupe.models import MatchKey

        stored = set(
            MatchKey.objects.filter(record_type=record_type, object_id=obj.pk).values_list(
                "key", flat=True
            )
        )
        if stored == keys_of_record(record_type, obj):
            return None
    candidates = check_duplicates(record_type, obj, viewer=request.user)
    if not candidates:
        return None
    body = {
        "error": {
            "code": "duplicate",
            "message": "This looks like a record that already exists; send it again with "
            "?allow_duplicate=true to save it anyway.",
            "fields": {},
        },
        "candidates": [
            {
                "id": c.record.pk,
                "record_type": c.record_type,
                "name": c.name,
                "score": c.score,
                "reasons": c.reasons,
                "url": c.url,
            }
            for c in candidates
        ],
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


def document_write_check(viewset: Any) -> None:
    """Add the parameter and the 409 body to a record type's write operations in the schema."""
    serializer = viewset.serializer_class
    extend_schema_view(
        create=extend_schema(
            parameters=[ALLOW_DUPLICATE],
            responses={201: serializer, 409: DuplicateConflictSerializer},
        ),
        update=extend_schema(
            parameters=[ALLOW_DUPLICATE],
            responses={200: serializer, 409: DuplicateConflictSerializer},
        ),
        partial_update=extend_schema(
            parameters=[ALLOW_DUPLICATE],
            responses={200: serializer, 409: DuplicateConflictSerializer},
        ),
    )(viewset)


class DuplicatePairSerializer(serializers.ModelSerializer[DuplicatePair]):
    status = serializers.CharField(
        read_only=True, help_text="`open`, `merged` or `not_duplicate` (never proposed again)."
    )

    class Meta:
        model = DuplicatePair
        fields = (
            "id",
            "record_type",
            "object_id",
            "other_type",
            "other_id",
            "score",
            "reasons",
            "cluster",
            "status",
            "found_at",
            "decided_by",
            "decided_at",
        )
        read_only_fields = fields


class ScanRequestSerializer(serializers.Serializer[Any]):
    types = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(SCANS)),
        required=False,
        help_text="What to scan (default all): `contact`, `account`, `lead` (against contacts).",
    )


class ScanStartedSerializer(serializers.Serializer[Any]):
    task_id = serializers.CharField(help_text="Follow it at /tasks/<task_id>/progress/.")


TYPE = OpenApiParameter("type", str, enum=list(RECORD_TYPES), description="Only this type.")
MIN_SCORE = OpenApiParameter("min_score", float, description="Only pairs scoring at least this.")
STATUS = OpenApiParameter(
    "status",
    str,
    enum=["open", "merged", "not_duplicate"],
    description="Only this status (default `open`).",
)


@extend_schema_view(list=extend_schema(parameters=[TYPE, MIN_SCORE, STATUS]))
class DuplicatePairViewSet(
    ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """The duplicate review queue: likely duplicates, best first, of records you may see."""

    serializer_class = DuplicatePairSerializer
    permission_classes = (IsAuthenticated,)
    filter_backends: Any = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[DuplicatePair]:
        params = self.request.query_params
        try:
            min_score = float(params["min_score"]) if params.get("min_score") else None
        except ValueError:
            from django.core.exceptions import ValidationError

            raise ValidationError({"min_score": "Give a number between 0 and 1."}) from None
        return queue.pairs_for(
            self.request.user,
            record_type=params.get("type", ""),
            min_score=min_score,
            status=params.get("status", "open"),
        )

    @extend_schema(request=None, responses={200: DuplicatePairSerializer}, parameters=[])
    @action(detail=True, methods=["post"], url_path="not-duplicate")
    def not_duplicate(self, request: Request, pk: str | None = None) -> Response:
        """Say the two records are different people or companies: never proposed again."""
        pair = queue.pairs_for(request.user, status="").filter(pk=int(pk or 0)).first()
        if pair is None:
            raise Http404
        pair = duplicate_pair_decide(
            pair=pair, status=DuplicatePair.Status.NOT_DUPLICATE, acting_user=request.user
        )
        return Response(DuplicatePairSerializer(pair).data)

    @extend_schema(
        request=ScanRequestSerializer,
        responses={202: OpenApiResponse(ScanStartedSerializer, "The scan is queued.")},
        parameters=[],
    )
    @action(detail=False, methods=["post"])
    def scan(self, request: Request) -> Response:
        """Start a scan in the background (administrators)."""
        from rest_framework.exceptions import PermissionDenied

        from rapport.quality.dedupe.tasks import scan_duplicates

        if not getattr(request.user, "is_administrator", False):
            raise PermissionDenied("Only administrators start a duplicate scan.")
        serializer = ScanRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        types = serializer.validated_data.get("types") or sorted(SCANS)
        result = task_enqueue(
            task=scan_duplicates,
            acting_user=request.user,  # type: ignore[arg-type]
            args=[types],
            message="Duplicate scan",
        )
        return Response({"task_id": result.id}, status=status.HTTP_202_ACCEPTED)
