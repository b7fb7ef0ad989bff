"""Writes of the scores app: refresh the snapshot (all records or one) and the daily roll-up."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.utils import timezone

from rapport.core import audit
from rapport.quality.scores import scoring
from rapport.quality.scores.models import POOR_BELOW, QualityRollup, QualityScore

CHUNK = 2000


@dataclass(frozen=True)
class RefreshResult:
    scored: int
    removed: int
    rollups: int


def _as_model(score: scoring.RecordScore, now: datetime.datetime) -> QualityScore:
    return QualityScore(
        record_type=score.record_type,
        object_id=score.object_id,
        object_repr=score.object_repr,
        owner_id=score.owner_id,
        team_id=score.team_id,
        score=score.score,
        issues=[issue.as_json() for issue in score.issues],
        computed_at=now,
    )


def _upsert(objects: Iterable[QualityScore]) -> None:
    QualityScore.objects.bulk_create(
        list(objects),
        update_conflicts=True,
        unique_fields=["record_type", "object_id"],
        update_fields=["object_repr", "owner", "team", "score", "issues", "computed_at"],
    )


def _score_batch(record_type: str, batch: list[Any], now: datetime.datetime) -> int:
    _upsert(_as_model(score, now) for score in scoring.score_rows(record_type, batch, now=now))
    return len(batch)


@transaction.atomic
def scores_refresh(
    *, record_types: Iterable[str] = scoring.SCORED_TYPES, now: datetime.datetime | None = None
) -> RefreshResult:
    """Recompute every record's score, drop scores of records gone, and write today's roll-up.

    Chunked: one facts query, a few issue-source queries and one upsert per chunk of records.
    """
    moment = now or timezone.now()
    scored = removed = 0
    types = tuple(record_types)
    for record_type in types:
        queryset = scoring.base_queryset(record_type).order_by("pk")
        rows = scoring.rows_for(record_type, queryset).iterator(chunk_size=CHUNK)
        batch: list[Any] = []
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                _upsert(
                    _as_model(s, moment) for s in scoring.score_rows(record_type, batch, now=moment)
                )
                scored += len(batch)
                batch = []
        if batch:
            _upsert(
                _as_model(s, moment) for s in scoring.score_rows(record_type, batch, now=moment)
            )
            scored += len(batch)
        # Records deleted (or in the recycle bin) since: their stale scores go.
        stale = QualityScore.objects.filter(record_type=record_type, computed_at__lt=moment)
        removed += stale.delete()[0]
    rollups = rollup_write(day=timezone.localdate(moment), record_types=types)
    return RefreshResult(scored=scored, removed=removed, rollups=rollups)


@transaction.atomic
def rollup_write(*, day: datetime.date, record_types: Iterable[str] = scoring.SCORED_TYPES) -> int:
    """(Re)write the day's roll-up per record type and owner from the current snapshot."""
    types = tuple(record_types)
    QualityRollup.objects.filter(day=day, record_type__in=types).delete()
    grouped = (
        QualityScore.objects.filter(record_type__in=types)
        .values("record_type", "owner_id", "team_id")
        .annotate(
            records=Count("id"),
            score_sum=Sum("score"),
            poor=Sum(
                Case(
                    When(score__lt=POOR_BELOW, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by()
    )
    # Owners moved between teams keep one row per day: the first team seen wins.
    rows: dict[tuple[str, int | None], QualityRollup] = {}
    for group in grouped:
        key = (group["record_type"], group["owner_id"])
        existing = rows.get(key)
        if existing is not None:
            existing.records += group["records"]
            existing.score_sum += group["score_sum"]
            existing.poor += group["poor"]
            continue
        rows[key] = QualityRollup(
            day=day,
            record_type=group["record_type"],
            owner_id=group["owner_id"],
            team_id=group["team_id"],
            records=group["records"],
            score_sum=group["score_sum"],
            poor=group["poor"],
        )
    QualityRollup.objects.bulk_create(rows.values())
    return len(rows)


def score_refresh_one(obj: Any, acting_user: Any) -> None:
    """After-save hook: rescore the one record just written (cheap: two or three queries)."""
    record_type = audit.record_type_key(obj)
    if record_type not in scoring.SCORED_TYPES or obj.pk is None:
        return
    score = scoring.score_record(record_type, obj.pk)
    if score is None:
        QualityScore.objects.filter(record_type=record_type, object_id=obj.pk).delete()
        return
    _upsert([_as_model(score, timezone.now())])
