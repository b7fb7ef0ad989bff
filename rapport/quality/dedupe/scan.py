"""The duplicate scan: candidate pairs from shared match keys (never all pairs), scored in
batches, and the review queue filled from them.

Candidates come from a SQL self-join of the match keys on (record_type, key), over the keys that
can make a duplicate (`matching.is_scan_key`: not the bare name keys); keys shared by more
than MAX_BLOCK records (a very common surname prefix, a switchboard number) are skipped, as they
would compare thousands of records that something else tells apart anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from rapport.quality.dedupe import matching
from rapport.quality.dedupe.models import DuplicatePair, MatchKey
from rapport.quality.dedupe.services import _model, keys_of_row, rows_of, rule_for

MAX_BLOCK = 200
BATCH = 20_000
# The scans the queue knows: (type, other type). "lead" compares leads with contacts.
SCANS: dict[str, tuple[str, str]] = {
    "contact": ("contact", "contact"),
    "account": ("account", "account"),
    "lead": ("lead", "contact"),
}


@dataclass(frozen=True)
class ScoredPair:
    """Two records and how likely they are one."""

    record_type: str
    object_id: int
    other_type: str
    other_id: int
    score: float
    reasons: list[str]
    external_id: str = ""
    other_external_id: str = ""


def _entity(record_type: str, row: Mapping[str, Any]) -> Any:
    if record_type == "account":
        return matching.company_from_row(row)
    return matching.person_from_row(row)


def _score(record_type: str, a: Any, b: Any, weights: matching.Weights) -> matching.Match:
    if record_type == "account":
        return matching.score_companies(a, b, weights)
    return matching.score_people(a, b, weights)


def _pairs_in_memory(
    record_type: str, rows: Iterable[Mapping[str, Any]], *, name_keys: bool = False
) -> tuple[dict[Any, Mapping[str, Any]], set[tuple[Any, Any]]]:
    """Blocking over given rows (the benchmark's labelled set): pairs sharing a key."""
    by_id: dict[Any, Mapping[str, Any]] = {}
    blocks: dict[str, list[Any]] = {}
    for row in rows:
        by_id[row["id"]] = row
        for key in keys_of_row(record_type, row):
            if not (name_keys or matching.is_scan_key(key)):
                continue
            blocks.setdefault(key, []).append(row["id"])
    pairs: set[tuple[Any, Any]] = set()
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK:
            pairs.update((a, b) if a < b else (b, a) for a, b in combinations(members, 2))
    return by_id, pairs


def _candidate_sql(record_type: str, other_type: str) -> str:
    table = MatchKey._meta.db_table
    same = record_type == other_type
    return f"""
        WITH usable AS (
            SELECT key FROM {table} WHERE record_type IN (%s, %s) AND key NOT LIKE %s
            GROUP BY key HAVING count(*) BETWEEN 2 AND {MAX_BLOCK}
        )
        SELECT DISTINCT a.object_id, b.object_id
        FROM {table} a
        JOIN usable u ON u.key = a.key
        JOIN {table} b ON b.key = a.key AND b.record_type = %s
        WHERE a.record_type = %s {"AND a.object_id < b.object_id" if same else ""}
        ORDER BY 1, 2
    """  # noqa: S608 - only table names and constants are formatted in


def candidate_pairs(record_type: str, *, name_keys: bool = False) -> Iterator[tuple[int, int]]:
    """(id, other id) pairs sharing a key (a qualified one unless `name_keys`), streamed from
    the database in id order."""
    first, other = SCANS[record_type]
    left_out = "" if name_keys else matching.NAME_ONLY_PREFIX + "%"  # NOT LIKE "": none
    with connection.chunked_cursor() as cursor:
        cursor.execute(_candidate_sql(first, other), [first, other, left_out, other, first])
        while chunk := cursor.fetchmany(BATCH):
            yield from chunk


def _rows_by_id(record_type: str, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    queryset = _model(record_type).objects.filter(pk__in=list(ids))
    return {row["id"]: row for row in rows_of(record_type, queryset)}


def scan_pairs(
    record_type: str,
    *,
    rows: Iterable[Mapping[str, Any]] | None = None,
    weights: matching.Weights | None = None,
    threshold: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ScoredPair]:
    """Every candidate pair of a scan, scored (all scores, best or not: thresholds are the
    caller's). `record_type` is "contact", "account" or "lead" (leads against contacts).
    With `rows` (mappings with model field names and an `id`), those rows are scanned instead
    of the database (same keys, same scoring); "lead" scans then need `record_type` per row."""
    first, other = SCANS[record_type]
    if weights is None or threshold is None:
        rule_threshold, rule_weights, _active = rule_for(first)
        weights = weights or rule_weights
        threshold = rule_threshold if threshold is None else threshold
    # Bare name keys only when the weights let a name (nearly) alone reach the threshold.
    name_keys = matching.name_keys_needed(weights, threshold)
    if rows is not None:
        by_id, pairs = _pairs_in_memory(first, rows, name_keys=name_keys)
        built = {i: (_entity(first, row), row) for i, row in by_id.items()}
        for n, (a, b) in enumerate(sorted(pairs, key=str), start=1):
            yield _pair_of(first, built[a], first, built[b], weights)
            if progress and n % BATCH == 0:
                progress(n)
        return
    done = 0
    batch: list[tuple[int, int]] = []
    cache: dict[tuple[str, int], tuple[Any, Mapping[str, Any]]] = {}
    for pair in candidate_pairs(record_type, name_keys=name_keys):
        batch.append(pair)
        if len(batch) >= BATCH:
            yield from _score_batch(first, other, batch, weights, cache)
            done += len(batch)
            batch = []
            if progress:
                progress(done)
    yield from _score_batch(first, other, batch, weights, cache)
    if progress:
        progress(done + len(batch))


# Records already turned into a Person (or Company) stay cached across batches, up to this many:
# a record shares keys with several others, and rebuilding it costs more than scoring a pair.
ENTITY_CACHE = 200_000


def _score_batch(
    first: str,
    other: str,
    batch: list[tuple[int, int]],
    weights: matching.Weights,
    cache: dict[tuple[str, int], tuple[Any, Mapping[str, Any]]] | None = None,
) -> Iterator[ScoredPair]:
    if not batch:
        return
    cache = {} if cache is None else cache
    if len(cache) > ENTITY_CACHE:
        cache.clear()
    wanted: dict[str, set[int]] = {first: {a for a, _ in batch}}
    wanted.setdefault(other, set()).update(b for _, b in batch)
    for record_type, ids in wanted.items():
        missing = {i for i in ids if (record_type, i) not in cache}
        for object_id, row in _rows_by_id(record_type, missing).items():
            ids_only = {"id": object_id, "external_id": row.get("external_id") or ""}
            cache[(record_type, object_id)] = (_entity(record_type, row), ids_only)
    for a, b in batch:
        left, right = cache.get((first, a)), cache.get((other, b))
        if left is None or right is None:  # in the recycle bin
            continue
        yield _pair_of(first, left, other, right, weights)


def _pair_of(
    first: str,
    left: tuple[Any, Mapping[str, Any]],
    other: str,
    right: tuple[Any, Mapping[str, Any]],
    weights: matching.Weights,
) -> ScoredPair:
    (a, row_a), (b, row_b) = left, right
    match = _score(first, a, b, weights)
    return ScoredPair(
        record_type=first,
        object_id=row_a["id"],
        other_type=other,
        other_id=row_b["id"],
        score=match.score,
        reasons=match.reasons,
        external_id=str(row_a.get("external_id") or ""),
        other_external_id=str(row_b.get("external_id") or ""),
    )


@dataclass(frozen=True)
class ScanSummary:
    compared: int
    proposed: int


def _clusters(pairs: Iterable[tuple[int, str, int, str, int]]) -> dict[int, int]:
    """Connected components of the open pairs: pair id -> the component's smallest pair id.
    Hand-written union-find: a few lines, no graph library needed for it."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    listed = list(pairs)
    for _pk, type_a, id_a, type_b, id_b in listed:
        root_a, root_b = find((type_a, id_a)), find((type_b, id_b))
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    first_pair: dict[tuple[str, int], int] = {}
    result: dict[int, int] = {}
    for pk, type_a, id_a, _type_b, _id_b in sorted(listed):
        root = find((type_a, id_a))
        result[pk] = first_pair.setdefault(root, pk)
    return result


@transaction.atomic
def duplicates_scan(
    *, record_type: str, acting_user: Any, progress: Callable[[int], None] | None = None
) -> ScanSummary:
    """Scan one type and put the likely duplicates in the review queue: new pairs open, known
    ones rescored; pairs someone called "not a duplicate" are never proposed again."""
    threshold, weights, active = rule_for(SCANS[record_type][0])
    if not active:
        return ScanSummary(0, 0)
    compared = 0
    found: list[DuplicatePair] = []
    scored = scan_pairs(record_type, weights=weights, threshold=threshold, progress=progress)
    for pair in scored:
        compared += 1
        if pair.score >= threshold:
            found.append(
                DuplicatePair(
                    record_type=pair.record_type,
                    object_id=pair.object_id,
                    other_type=pair.other_type,
                    other_id=pair.other_id,
                    score=pair.score,
                    reasons=pair.reasons,
                )
            )
    DuplicatePair.objects.bulk_create(
        found,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["record_type", "object_id", "other_type", "other_id"],
        update_fields=["score", "reasons"],
    )
    first, other = SCANS[record_type]
    open_pairs = DuplicatePair.objects.filter(
        status=DuplicatePair.Status.OPEN, record_type=first, other_type=other
    )
    clusters = _clusters(
        open_pairs.values_list("pk", "record_type", "object_id", "other_type", "other_id")
    )
    by_cluster: dict[int, list[int]] = {}
    for pk, cluster in clusters.items():
        by_cluster.setdefault(cluster, []).append(pk)
    for cluster, pks in by_cluster.items():
        DuplicatePair.objects.filter(pk__in=pks).update(cluster=cluster)
    return ScanSummary(compared=compared, proposed=len(found))


@transaction.atomic
def duplicate_pair_decide(*, pair: DuplicatePair, status: str, acting_user: Any) -> DuplicatePair:
    """Mark a pair merged or not a duplicate (remembered: a later scan keeps the decision)."""
    from rapport.core.audit import audit_record
    from rapport.core.models import AuditEntry

    if status not in (DuplicatePair.Status.MERGED, DuplicatePair.Status.NOT_DUPLICATE):
        from django.core.exceptions import ValidationError

        raise ValidationError({"status": "Choose merged or not_duplicate."})
    before = pair.status
    pair.status = status
    pair.decided_by = acting_user
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        obj=pair,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"status": {"old": before, "new": status}},
        record_type="duplicate_pair",
    )
    return pair
