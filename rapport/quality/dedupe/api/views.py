"""Duplicates through the API: the entry check's 409, the review queue, the scan, and the
matching rules."""

from __future__ import annotations

from collections.abc import Mapping
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
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.access.roles import is_data_steward
from rapport.api.base import ApiView
from rapport.api.errors import ErrorDetailSerializer
from rapport.core.progress import task_enqueue
from rapport.quality.dedupe import queue
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.rules import (
    PREVIEW_LIMIT,
    RULE_TYPES,
    match_rule_preview,
    match_rule_set,
    match_rule_settings,
    match_rules_settings,
    may_change_rules,
)
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
        """Start a scan in the background (administrators and data stewards)."""
        from rest_framework.exceptions import PermissionDenied

        from rapport.quality.dedupe.tasks import scan_duplicates

        if not is_data_steward(request.user):
            raise PermissionDenied("Only administrators and data stewards start a duplicate scan.")
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


# --- Matching rules ---------------------------------------------------------------------------


class MayChangeMatchRules(BasePermission):
    """Everyone signed in reads the rules; administrators change and preview them."""

    message = "Only administrators change the duplicate matching rules."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or may_change_rules(request.user)


class SignalSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The signal's key in `weights`, e.g. `phone`.")
    # `label` is also an attribute of every DRF field; here it is the data, on purpose.
    label = serializers.CharField(help_text="How the page names it.")  # type: ignore[assignment]
    explanation = serializers.CharField(help_text="What it means, in one line.")
    default = serializers.FloatField(help_text="Its default weight.")


class MatchRuleSerializer(serializers.Serializer[Any]):
    """A matching rule as it is in effect, with the defaults beside it."""

    record_type = serializers.CharField(
        help_text="`contact` (contacts, and leads against contacts) or `account`."
    )
    label = serializers.CharField(help_text="The rule's name on the page.")  # type: ignore[assignment]
    threshold = serializers.FloatField(
        help_text="The score (0.05 to 0.99) from which two records are likely duplicates."
    )
    default_threshold = serializers.FloatField(help_text="The threshold without a rule.")
    active = serializers.BooleanField(help_text="Whether duplicates of this type are looked for.")
    weights = serializers.DictField(
        child=serializers.FloatField(), help_text="Every signal's weight in effect."
    )
    default_weights = serializers.DictField(
        child=serializers.FloatField(), help_text="Every signal's default weight."
    )
    overrides = serializers.DictField(
        child=serializers.FloatField(), help_text="Only the weights that differ from the default."
    )
    signals = SignalSerializer(many=True, help_text="The signals, in order, with their text.")


class MatchRuleWriteSerializer(serializers.Serializer[Any]):
    threshold = serializers.FloatField(
        help_text="The score (0.05 to 0.99) from which two records are likely duplicates."
    )
    active = serializers.BooleanField(help_text="Whether duplicates of this type are looked for.")
    weights = serializers.DictField(
        child=serializers.FloatField(),
        required=False,
        help_text="Weights by signal name (-10 to 10). With PUT a signal left out goes back to "
        "its default; with PATCH (and the preview) it keeps its current weight.",
    )


class MatchRulePreviewRequestSerializer(MatchRuleWriteSerializer):
    threshold = serializers.FloatField(
        required=False, help_text="The threshold to try (default: the current one)."
    )
    active = serializers.BooleanField(required=False, help_text="Ignored by the preview.")


class MatchRulePreviewSerializer(serializers.Serializer[Any]):
    record_type = serializers.CharField(help_text="The rule previewed.")
    threshold = serializers.FloatField(help_text="The threshold tried.")
    open_pairs = serializers.IntegerField(help_text="Open pairs of the review queue re-scored.")
    stay = serializers.IntegerField(help_text="Of those, how many would stay proposed.")
    drop = serializers.IntegerField(help_text="Of those, how many would drop below the threshold.")
    rejected_pairs = serializers.IntegerField(help_text="Pairs marked “not a duplicate” re-scored.")
    rejected_above = serializers.IntegerField(
        help_text="Of those, how many would score at or above the threshold."
    )
    capped = serializers.BooleanField(
        help_text=f"Whether the queue holds more pairs than the {PREVIEW_LIMIT} most recent "
        "ones the preview re-scores."
    )


RULE_TYPE = OpenApiParameter(
    "record_type",
    str,
    OpenApiParameter.PATH,
    enum=list(RULE_TYPES),
    description="`contact` (contacts, and leads against contacts) or `account`.",
)


def _write_values(
    record_type: str, data: Mapping[str, Any], *, merge: bool
) -> tuple[float, dict[str, float], bool]:
    """(threshold, weights, active) to store: `data` over the current settings (PATCH and the
    preview) or over the defaults (PUT, where weights left out go back to their default)."""
    current = match_rule_settings(record_type)
    weights = dict(current.overrides) if merge else {}
    weights.update(data.get("weights") or {})
    return (
        data.get("threshold", current.threshold),
        weights,
        data.get("active", current.active),
    )


@extend_schema_view(
    list=extend_schema(
        summary="List the duplicate matching rules", responses={200: MatchRuleSerializer(many=True)}
    ),
    retrieve=extend_schema(
        summary="Read a duplicate matching rule",
        parameters=[RULE_TYPE],
        responses={200: MatchRuleSerializer},
    ),
    update=extend_schema(
        summary="Replace a duplicate matching rule (administrators)",
        parameters=[RULE_TYPE],
        request=MatchRuleWriteSerializer,
        responses={200: MatchRuleSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some settings of a duplicate matching rule (administrators)",
        parameters=[RULE_TYPE],
        request=MatchRuleWriteSerializer(partial=True),
        responses={200: MatchRuleSerializer},
    ),
)
class MatchRuleViewSet(ApiView, viewsets.ViewSet):
    """How duplicates are found per record type: the threshold and each signal's weight."""

    permission_classes = (MayChangeMatchRules,)
    pagination_class = None
    filter_backends: Any = []
    lookup_field = "record_type"
    lookup_value_regex = "|".join(RULE_TYPES)

    def list(self, request: Request) -> Response:
        return Response(MatchRuleSerializer(match_rules_settings(), many=True).data)

    def retrieve(self, request: Request, record_type: str = "") -> Response:
        return Response(MatchRuleSerializer(match_rule_settings(record_type)).data)

    def update(self, request: Request, record_type: str = "", partial: bool = False) -> Response:
        serializer = MatchRuleWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        threshold, weights, active = _write_values(
            record_type, serializer.validated_data, merge=partial
        )
        match_rule_set(
            record_type=record_type,
            threshold=threshold,
            weights=weights,
            active=active,
            acting_user=request.user,
        )
        return Response(MatchRuleSerializer(match_rule_settings(record_type)).data)

    def partial_update(self, request: Request, record_type: str = "") -> Response:
        return self.update(request, record_type, partial=True)

    @extend_schema(
        summary="Preview a duplicate matching rule on the review queue (administrators)",
        parameters=[RULE_TYPE],
        request=MatchRulePreviewRequestSerializer,
        responses={200: MatchRulePreviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def preview(self, request: Request, record_type: str = "") -> Response:
        """Re-score the review queue with proposed settings (nothing is saved)."""
        serializer = MatchRulePreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        threshold, weights, _active = _write_values(
            record_type, serializer.validated_data, merge=True
        )
        preview = match_rule_preview(record_type=record_type, threshold=threshold, weights=weights)
        return Response(MatchRulePreviewSerializer(preview).data)
