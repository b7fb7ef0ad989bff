"""Permission-aware reads of the scores: what a viewer may see, rolled up set-based.

Administrators see everything, managers their team (and the people who report to them), reps
their own records. Issues naming a field hidden from the viewer are left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from rapport.access import permissions
from rapport.access.roles import is_data_steward
from rapport.core import records
from rapport.quality.scores import scoring
from rapport.quality.scores.models import POOR_BELOW, QualityRollup, QualityScore


def viewer_scope(viewer: Any) -> Q:
    """The owners whose scores `viewer` may see, as a filter on `owner`/`team`."""
    if is_data_steward(viewer):  # administrators and data stewards watch everyone's data
        return Q()
    role = getattr(viewer, "role", None)
    if role is not None and role.is_manager:
        scope = Q(owner=viewer) | Q(owner__manager=viewer)
        if viewer.team_id is not None:
            scope |= Q(team_id=viewer.team_id)
        return scope
    return Q(owner=viewer)


def scores_for(viewer: Any) -> QuerySet[QualityScore]:
    """The score snapshots `viewer` may see (owner scope and each type's read scope)."""
    readable = Q()
    for key in scoring.SCORED_TYPES:
        if not permissions.policy_for(viewer, key).can("read"):
            continue
        model = records.get(key).model
        visible = permissions.scope_queryset(viewer, key, model._default_manager.all())
        readable |= Q(record_type=key, object_id__in=visible.values("pk"))
    if not readable:
        return QualityScore.objects.none()
    return QualityScore.objects.filter(viewer_scope(viewer)).filter(readable)


def visible_issues(viewer: Any, record_type: str, issues: Iterable[dict[str, Any]]) -> list[Any]:
    """The issues whose field the viewer may see."""
    hidden = permissions.hidden_fields_of(viewer, record_type)
    return [issue for issue in issues if issue.get("field") not in hidden]


_POOR = Sum(
    Case(When(score__lt=POOR_BELOW, then=Value(1)), default=Value(0), output_field=IntegerField())
)


@dataclass(frozen=True)
class Summary:
    """Average score and share of poor records of a group."""

    label: str
    records: int
    average: float
    poor: int

    @property
    def poor_percent(self) -> float:
        return 100.0 * self.poor / self.records if self.records else 0.0


def _summaries(queryset: QuerySet[QualityScore], group: str, label: str) -> list[Summary]:
    rows = (
        queryset.values(group, label)
        .annotate(records=Count("id"), total=Sum("score"), poor=_POOR)
        .order_by(group)
    )
    found = [
        Summary(
            label=str(row[label] or "—"),
            records=row["records"],
            average=row["total"] / row["records"],
            poor=row["poor"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda summary: summary.average)


def by_record_type(queryset: QuerySet[QualityScore]) -> list[Summary]:
    labels = {key: records.get(key).label_plural for key in scoring.SCORED_TYPES}
    return [
        Summary(labels.get(s.label, s.label), s.records, s.average, s.poor)
        for s in _summaries(queryset, "record_type", "record_type")
    ]


def by_owner(queryset: QuerySet[QualityScore]) -> list[Summary]:
    """Per owner, worst average first."""
    named = queryset.annotate(owner_name=F("owner__last_name"), owner_first=F("owner__first_name"))
    rows = (
        named.values("owner_id", "owner_first", "owner_name")
        .annotate(records=Count("id"), total=Sum("score"), poor=_POOR)
        .order_by("owner_id")
    )
    found = [
        Summary(
            label=f"{row['owner_first'] or ''} {row['owner_name'] or ''}".strip() or "—",
            records=row["records"],
            average=row["total"] / row["records"],
            poor=row["poor"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda summary: summary.average)


def by_team(queryset: QuerySet[QualityScore]) -> list[Summary]:
    return _summaries(queryset, "team_id", "team__name")


def worst_records(queryset: QuerySet[QualityScore], limit: int = 10) -> list[QualityScore]:
    return list(queryset.select_related("owner").order_by("score", "-computed_at")[:limit])


@dataclass(frozen=True)
class CommonIssue:
    record_type: str
    field: str
    reason: str
    records: int


def common_issues(queryset: QuerySet[QualityScore], limit: int = 10) -> list[CommonIssue]:
    """The reasons most records suffer from, counted in the database (JSON array expansion)."""
    inner_sql, params = queryset.values("id").query.sql_with_params()
    if connection.vendor == "postgresql":
        expand = "jsonb_array_elements(s.issues) AS e"
        field, reason = "e.value->>'field'", "e.value->>'reason'"
    else:
        expand = "json_each(s.issues) AS e"
        field, reason = "json_extract(e.value, '$.field')", "json_extract(e.value, '$.reason')"
    table = QualityScore._meta.db_table
    sql = (
        f"SELECT s.record_type, {field}, {reason}, COUNT(*) AS n "  # noqa: S608 - no user input
        f"FROM {table} AS s, {expand} WHERE s.id IN ({inner_sql}) "
        f"GROUP BY s.record_type, {field}, {reason} ORDER BY n DESC, 1, 2, 3 LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    return [CommonIssue(str(t), str(f), str(r), int(n)) for t, f, r, n in rows]


@dataclass(frozen=True)
class TrendPoint:
    day: datetime.date
    average: float
    poor_percent: float


def rollups_for(viewer: Any) -> QuerySet[QualityRollup]:
    """The daily roll-ups `viewer` may see."""
    return QualityRollup.objects.filter(viewer_scope(viewer))


def trend(viewer: Any, *, days: int, record_type: str = "") -> list[TrendPoint]:
    """Average score and share of poor records per day over the last `days` days."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    queryset = rollups_for(viewer).filter(day__gte=since)
    if record_type:
        queryset = queryset.filter(record_type=record_type)
    rows = (
        queryset.values("day")
        .annotate(
            records=Sum("records"),
            total=Cast(Sum("score_sum"), FloatField()),
            poor=Sum("poor"),
        )
        .order_by("day")
    )
    return [
        TrendPoint(
            day=row["day"],
            average=row["total"] / row["records"],
            poor_percent=100.0 * row["poor"] / row["records"],
        )
        for row in rows
        if row["records"]
    ]


@dataclass(frozen=True)
class Chart:
    """A line chart drawn server-side as SVG polyline points (no chart library)."""

    width: int
    height: int
    average_points: str
    poor_points: str
    first: TrendPoint | None
    last: TrendPoint | None

    @property
    def threshold_y(self) -> float:
        """Where the "poor" line (score 60) is drawn."""
        return self.height - POOR_BELOW / 100 * self.height


def chart(points: list[TrendPoint], *, width: int = 600, height: int = 160) -> Chart:
    """Scale the trend to the SVG box: x by position in the series, y from 0 to 100."""
    if not points:
        return Chart(width, height, "", "", None, None)
    step = width / max(len(points) - 1, 1)

    def line(values: list[float]) -> str:
        return " ".join(
            f"{i * step:.1f},{height - value / 100 * height:.1f}" for i, value in enumerate(values)
        )

    return Chart(
        width=width,
        height=height,
        average_points=line([p.average for p in points]),
        poor_points=line([p.poor_percent for p in points]),
        first=points[0],
        last=points[-1],
    )
