"""Match keys in step with the records, the entry check, and the rule settings.

Keys are written by an after-save hook (rapport.access.crud) on every create and update of a
contact, lead or account, and rebuilt in bulk by `rapport duplicates rebuild-keys`. Records in
the recycle bin keep their keys (a restore brings them back as they were) but are never proposed:
every read goes through the alive managers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Model, Q
from django.urls import NoReverseMatch, reverse

from rapport.access import permissions
from rapport.core import records
from rapport.quality.dedupe import matching
from rapport.quality.dedupe.models import DuplicatePair, MatchKey, MatchRule

PERSON_TYPES = ("contact", "lead")
RECORD_TYPES = ("contact", "lead", "account")
# Whom each type is checked against: leads are matched against contacts too.
TARGETS: dict[str, tuple[str, ...]] = {
    "contact": ("contact",),
    "lead": ("lead", "contact"),
    "account": ("account",),
}
# How many records sharing a key are looked at, at most, per check.
CANDIDATE_LIMIT = 50

# The record fields behind each reason: a reason is left out for a viewer who may not see them.
REASON_FIELDS: dict[str, tuple[str, ...]] = {
    "same e-mail": ("email", "secondary_email"),
    "same e-mail name at another domain": ("email", "secondary_email"),
    "same phone": ("phone", "mobile"),
    "same birthdate": ("birthdate",),
    "different birthdates": ("birthdate",),
}

CONTACT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "secondary_email",
    "phone",
    "mobile",
    "street",
    "postal_code",
    "country",
    "birthdate",
    "external_id",
)
LEAD_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "website",
    "street",
    "postal_code",
    "country",
    "external_id",
)
ACCOUNT_FIELDS = (
    "id",
    "name",
    "website",
    "phone",
    "street",
    "postal_code",
    "country",
    "external_id",
)


def rule_for(record_type: str) -> tuple[float, matching.Weights, bool]:
    """(threshold, weights, active) for a type: its MatchRule, or the defaults."""
    rule_type = "account" if record_type == "account" else "contact"
    rule = MatchRule.objects.filter(record_type=rule_type).first()
    if rule is None:
        return matching.DEFAULT_THRESHOLD, matching.DEFAULT_WEIGHTS, True
    return rule.threshold, matching.weights_from(rule.weights), rule.active


def keys_of_record(record_type: str, obj: Any) -> set[str]:
    """The blocking keys of a contact, lead or account instance."""
    if record_type == "account":
        return matching.company_keys_of(matching.company_of(obj))
    return matching.keys_of(matching.person_of(obj))


def _model(record_type: str) -> Any:
    return records.get(record_type).model


def rows_of(record_type: str, queryset: Any = None) -> Iterator[dict[str, Any]]:
    """Plain rows (dicts) of a type's alive records, employer name and site joined in for
    contacts; streamed, for the rebuild and the scan."""
    qs = queryset if queryset is not None else _model(record_type).objects.all()
    if record_type == "contact":
        rows = qs.values(*CONTACT_FIELDS, company=F("account__name"), website=F("account__website"))
    elif record_type == "lead":
        rows = qs.values(*LEAD_FIELDS)
    else:
        rows = qs.values(*ACCOUNT_FIELDS)
    for row in rows.order_by("id").iterator(chunk_size=5000):
        row["record_type"] = record_type
        row["country"] = str(row.get("country") or "")
        yield row


def keys_of_row(record_type: str, row: Mapping[str, Any]) -> set[str]:
    if record_type == "account":
        return matching.company_keys_of(matching.company_from_row(row))
    return matching.keys_of(matching.person_from_row(row))


def keys_update(obj: Model, acting_user: Any) -> None:
    """After-save hook: replace the record's keys with those of its new values."""
    record_type = records.for_model(type(obj)).key
    stored = MatchKey.objects.filter(record_type=record_type, object_id=obj.pk)
    wanted = (
        set()
        if getattr(obj, "deleted_at", None) is not None
        else {key[:200] for key in keys_of_record(record_type, obj)}
    )
    if set(stored.values_list("key", flat=True)) == wanted:
        return  # most edits change nothing matching looks at
    stored.delete()
    MatchKey.objects.bulk_create(
        MatchKey(record_type=record_type, object_id=obj.pk, key=key) for key in sorted(wanted)
    )


@transaction.atomic
def keys_rebuild(*, record_types: Iterable[str] = RECORD_TYPES, batch: int = 5000) -> int:
    """Recompute every key of the types from their records (existing data, demo data, imports
    that bypassed the services); returns how many keys were written."""
    written = 0
    for record_type in record_types:
        MatchKey.objects.filter(record_type=record_type).delete()
        pending: list[MatchKey] = []
        for row in rows_of(record_type):
            pending.extend(
                MatchKey(record_type=record_type, object_id=row["id"], key=key[:200])
                for key in keys_of_row(record_type, row)
            )
            if len(pending) >= batch:
                MatchKey.objects.bulk_create(pending)
                written += len(pending)
                pending = []
        MatchKey.objects.bulk_create(pending)
        written += len(pending)
    return written


@dataclass(frozen=True)
class Candidate:
    """A record that may be the one being entered."""

    record_type: str
    record: Any
    score: float
    reasons: list[str]

    @property
    def name(self) -> str:
        return str(self.record)

    @property
    def url(self) -> str:
        url_name = records.get(self.record_type).url_name
        if not url_name:
            return ""
        try:
            return reverse(url_name, kwargs={"pk": self.record.pk})
        except NoReverseMatch:
            return ""


def visible_reasons(viewer: Any, record_type: str, reasons: Iterable[str]) -> list[str]:
    """The reasons whose fields the viewer may see (hidden fields are never hinted at)."""
    if viewer is None:
        return list(reasons)
    hidden = permissions.hidden_fields_of(viewer, record_type)
    return [r for r in reasons if not set(REASON_FIELDS.get(r, ())) & hidden]


def _score(record_type: str, a: Any, b: Any, weights: matching.Weights) -> matching.Match:
    if record_type == "account":
        return matching.score_companies(a, b, weights)
    return matching.score_people(a, b, weights)


def check_duplicates(record_type: str, obj: Any, *, viewer: Any, limit: int = 5) -> list[Candidate]:
    """The likeliest existing duplicates of a record being created or changed (unsaved values
    are fine), best first, among the records the viewer may see."""
    threshold, weights, active = rule_for(record_type)
    if not active:
        return []
    # Only keys that can make a duplicate (not the bare name keys: see matching.is_scan_key).
    keys = matching.candidate_keys(keys_of_record(record_type, obj), weights, threshold)
    if not keys:
        return []
    wanted = matching.company_of(obj) if record_type == "account" else matching.person_of(obj)
    # Records sharing the most keys first: a common surname's block may hold thousands, and
    # the one sharing the e-mail and phone as well must not be cut off by the limit.
    hits = (
        MatchKey.objects.filter(record_type__in=TARGETS[record_type], key__in=keys)
        .values_list("record_type", "object_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "object_id")[:CANDIDATE_LIMIT]
    )
    ids: dict[str, set[int]] = {}
    for hit_type, object_id, _shared in hits:
        if hit_type == record_type and object_id == obj.pk:
            continue
        ids.setdefault(hit_type, set()).add(object_id)
    found: list[Candidate] = []
    for hit_type, wanted_ids in ids.items():
        queryset = _model(hit_type).objects.filter(pk__in=wanted_ids)
        if viewer is not None:  # None: the system itself (imports, the scan)
            queryset = permissions.scope_queryset(viewer, hit_type, queryset)
        if hit_type == "contact":
            queryset = queryset.select_related("account")
        for record in queryset:
            other = (
                matching.company_of(record) if hit_type == "account" else matching.person_of(record)
            )
            match = _score(record_type, wanted, other, weights)
            if match.score >= threshold:
                reasons = visible_reasons(viewer, hit_type, match.reasons)
                found.append(Candidate(hit_type, record, match.score, reasons))
    found.sort(key=lambda c: (-c.score, c.record_type, c.record.pk))
    return found[:limit]


def duplicate_suspicions(record_type: str, ids: list[int]) -> dict[int, list[Any]]:
    """For the data-quality score: the records among `ids` in an open pair of the review queue
    (one query), each with one "looks like a duplicate" issue."""
    from rapport.quality.scores.scoring import Issue

    wanted = set(ids)
    pairs = DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN).filter(
        Q(record_type=record_type, object_id__in=ids) | Q(other_type=record_type, other_id__in=ids)
    )
    issue = Issue("record", "Looks like a duplicate (open in the duplicate review queue)", 15)
    found: dict[int, list[Any]] = {}
    for first_type, first_id, other_type, other_id in pairs.values_list(
        "record_type", "object_id", "other_type", "other_id"
    ):
        for kind, object_id in ((first_type, first_id), (other_type, other_id)):
            if kind == record_type and object_id in wanted:
                found[object_id] = [issue]
    return found
