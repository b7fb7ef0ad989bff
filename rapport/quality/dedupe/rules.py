"""Matching rules: how an administrator tunes duplicate matching per record type, and what a
proposed change would do to the review queue before it is saved.

A `MatchRule` row holds only what differs from `matching.DEFAULT_WEIGHTS`; `services.rule_for`
fills in the rest when the entry check and the scan read it. There are two rules: "contact"
(contacts, and leads against contacts) and "account".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from rapport.core import audit, records
from rapport.core.models import AuditEntry
from rapport.quality.dedupe import matching
from rapport.quality.dedupe.models import DuplicatePair, MatchRule
from rapport.quality.dedupe.services import rows_of

AUDIT_RECORD_TYPE = "match_rule"
RULE_TYPES = ("contact", "account")
RULE_LABELS = {"contact": "Contacts and leads", "account": "Accounts"}
# The pair types each rule scores (leads are matched against contacts by the contact rule).
PAIR_TYPES: dict[str, tuple[str, ...]] = {"contact": ("contact", "lead"), "account": ("account",)}
THRESHOLD_MIN = 0.05
THRESHOLD_MAX = 0.99
WEIGHT_MIN = -10.0
WEIGHT_MAX = 10.0
# The preview re-scores at most this many pairs of the queue, the most recently found first.
PREVIEW_LIMIT = 2000


@dataclass(frozen=True)
class Signal:
    """One piece of evidence matching weighs: a field of `matching.Weights`."""

    name: str
    label: str
    explanation: str
    default: float


# Labels and one-line explanations, from the comments in `matching.Weights`. Accounts read some
# signals differently (`email` is the web domain there) and use only a few of them.
_PEOPLE_TEXT: dict[str, tuple[str, str]] = {
    "email": ("Same e-mail", "The same e-mail address."),
    "email_local": (
        "Same e-mail name, other domain",
        "The same part before the @ at another domain (someone who moved company).",
    ),
    "phone": ("Same phone", "The same number, compared in international form."),
    "name": ("Same name", "The same first and last name, allowing for typos."),
    "nickname": ("Nickname", "Bob and Robert, or Ann and Annie, with the same last name."),
    "transposed": ("Names swapped", "First and last name swapped on one of the two."),
    "other_first_name": ("Another first name", "The same last name with another first name."),
    "other_last_name": ("Another last name", "Last names that do not look alike at all."),
    "company": ("Same company", "The same employer, by name or web domain."),
    "address": ("Same address", "The same street and postal code."),
    "birthdate": ("Same birthdate", "Both have a birthdate and it is the same."),
    "other_birthdate": (
        "Different birthdates",
        "Both have a birthdate and they differ: almost surely two people.",
    ),
    "household": (
        "Household",
        "The same address and last name with another first name: family, not a duplicate.",
    ),
    "bias": (
        "Starting point",
        "Where every pair starts: most records sharing a key are not duplicates.",
    ),
}
_ACCOUNT_TEXT: dict[str, tuple[str, str]] = {
    "name": (
        "Same name",
        "The same company name, legal forms ignored (half of it for a similar name).",
    ),
    "other_last_name": ("Another name", "Company names that do not look alike at all."),
    "email": ("Same web domain", "The same web site domain."),
    "phone": ("Same phone", "The same switchboard number."),
    "address": ("Same address", "The same street and postal code."),
    "bias": (
        "Starting point",
        "Where every pair starts: most accounts sharing a key are not duplicates.",
    ),
}


def signals_of(record_type: str) -> tuple[Signal, ...]:
    """The signals a rule weighs, in the order of `matching.Weights` (a signal added there
    shows up for people at once, named after its field until it is given a label here)."""
    texts = _ACCOUNT_TEXT if record_type == "account" else _PEOPLE_TEXT
    found: list[Signal] = []
    for weight in fields(matching.Weights):
        if record_type == "account" and weight.name not in texts:
            continue  # score_companies does not read it
        label, explanation = texts.get(
            weight.name, (weight.name.replace("_", " ").capitalize(), "")
        )
        default = float(getattr(matching.DEFAULT_WEIGHTS, weight.name))
        found.append(Signal(weight.name, label, explanation, default))
    return tuple(found)


@dataclass(frozen=True)
class RuleSettings:
    """A rule as it is in effect: its stored values with the defaults filled in."""

    record_type: str
    label: str
    threshold: float
    active: bool
    weights: dict[str, float]  # every signal of the type, effective
    overrides: dict[str, float]  # only those that differ from the defaults
    signals: tuple[Signal, ...]
    default_threshold: float = matching.DEFAULT_THRESHOLD

    @property
    def default_weights(self) -> dict[str, float]:
        return {s.name: s.default for s in self.signals}


def may_change_rules(user: Any) -> bool:
    """Administrators whose role is not read-only (a read-only role never writes)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_administrator", False):
        return False
    role = getattr(user, "role", None)
    return not (role is not None and role.is_read_only)


def _check_type(record_type: str) -> None:
    if record_type not in RULE_TYPES:
        raise ValidationError(
            {
                "record_type": f"“{record_type}” has no matching rule: choose contact (contacts "
                "and leads) or account."
            }
        )


def match_rule_settings(record_type: str) -> RuleSettings:
    """The effective settings of one rule (the defaults when none is stored)."""
    _check_type(record_type)
    rule = MatchRule.objects.filter(record_type=record_type).first()
    signals = signals_of(record_type)
    stored: Mapping[str, Any] = rule.weights if rule is not None and rule.weights else {}
    weights = matching.weights_from(stored)
    effective = {s.name: float(getattr(weights, s.name)) for s in signals}
    return RuleSettings(
        record_type=record_type,
        label=RULE_LABELS[record_type],
        threshold=rule.threshold if rule is not None else matching.DEFAULT_THRESHOLD,
        active=rule.active if rule is not None else True,
        weights=effective,
        overrides={s.name: effective[s.name] for s in signals if effective[s.name] != s.default},
        signals=signals,
    )


def match_rules_settings() -> list[RuleSettings]:
    """Both rules, contacts first."""
    return [match_rule_settings(record_type) for record_type in RULE_TYPES]


def _number(value: Any) -> float | None:
    """The value as a finite float, or None (booleans and text are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _validated(
    record_type: str, threshold: Any, weights: Mapping[str, Any]
) -> tuple[float, dict[str, float]]:
    """(threshold, the weights that differ from the defaults), or a ValidationError naming
    each field at fault and the rule."""
    _check_type(record_type)
    rule = f"the {RULE_LABELS[record_type].lower()} rule"
    errors: dict[str, list[str]] = {}
    number = _number(threshold)
    if number is None or not THRESHOLD_MIN <= number <= THRESHOLD_MAX:
        errors["threshold"] = [
            f"The threshold of {rule} must be a number between {THRESHOLD_MIN:g} and "
            f"{THRESHOLD_MAX:g} ({THRESHOLD_MIN:.0%} to {THRESHOLD_MAX:.0%})."
        ]
    signals = {s.name: s for s in signals_of(record_type)}
    unknown = sorted(str(name) for name in weights if name not in signals)
    if unknown:
        errors["weights"] = [
            f"{rule.capitalize()} has no signal named {', '.join(unknown)}; its signals are "
            f"{', '.join(signals)}."
        ]
    overrides: dict[str, float] = {}
    for name, value in weights.items():
        if name not in signals:
            continue
        weight = _number(value)
        if weight is None or not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            errors[f"weights.{name}"] = [
                f"The weight of “{signals[name].label}” in {rule} must be a number between "
                f"{WEIGHT_MIN:g} and {WEIGHT_MAX:g}."
            ]
        elif weight != signals[name].default:
            overrides[name] = weight
    if errors:
        raise ValidationError(errors)
    assert number is not None  # checked above
    return number, dict(sorted(overrides.items()))


@transaction.atomic
def match_rule_set(
    *,
    record_type: str,
    threshold: float,
    weights: Mapping[str, float],
    active: bool,
    acting_user: Any,
) -> MatchRule:
    """Store a type's matching settings (administrators only). `weights` is the whole wish:
    a signal left out goes back to its default; only the ones differing from it are stored."""
    if not may_change_rules(acting_user):
        raise PermissionDenied("Only administrators change the duplicate matching rules.")
    threshold, overrides = _validated(record_type, threshold, weights)
    # Lock the row: two administrators saving at once must not both see "no rule yet".
    rule = MatchRule.objects.select_for_update().filter(record_type=record_type).first()
    fields_ = ("threshold", "weights", "active")
    if rule is None:
        rule = MatchRule.objects.create(
            record_type=record_type, threshold=threshold, weights=overrides, active=bool(active)
        )
        action = AuditEntry.Action.CREATE
        changes = audit.created(rule, ("record_type", *fields_))
    else:
        before = audit.snapshot(rule, fields_)
        rule.threshold, rule.weights, rule.active = threshold, overrides, bool(active)
        rule.save(update_fields=list(fields_))
        action = AuditEntry.Action.UPDATE
        after = audit.snapshot(rule, fields_)
        changes = audit.diff(before, after)
        # audit.diff reads any two dicts as the same related record when neither has an "id",
        # so a change of the weights (a JSON object) is compared here.
        if before["weights"] != after["weights"]:
            changes["weights"] = {"old": before["weights"], "new": after["weights"]}
            changes = dict(sorted(changes.items()))
    audit.audit_record(
        obj=rule,
        acting_user=acting_user,
        action=action,
        changes=changes,
        record_type=AUDIT_RECORD_TYPE,
    )
    return rule


@dataclass(frozen=True)
class RulePreview:
    """What proposed settings would do to the review queue."""

    record_type: str
    threshold: float
    open_pairs: int  # open pairs re-scored
    stay: int  # of those, still at or above the threshold
    drop: int  # of those, below it: they would no longer be proposed
    rejected_pairs: int  # pairs someone marked "not a duplicate", re-scored
    rejected_above: int  # of those, at or above the threshold
    capped: bool  # the queue holds more pairs than the preview looks at


def _rows(record_type: str, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    model: Any = records.get(record_type).model
    return {row["id"]: row for row in rows_of(record_type, model.objects.filter(pk__in=ids))}


def match_rule_preview(
    *, record_type: str, threshold: float, weights: Mapping[str, float]
) -> RulePreview:
    """Re-score the pairs of the review queue (open and "not a duplicate", the PREVIEW_LIMIT
    most recent) with proposed settings, loading the records of each type in one query.
    Pairs whose record is gone (merged away, in the recycle bin) are left out."""
    threshold, overrides = _validated(record_type, threshold, weights)
    proposed = matching.weights_from(overrides)
    statuses = (DuplicatePair.Status.OPEN, DuplicatePair.Status.NOT_DUPLICATE)
    pairs = list(
        DuplicatePair.objects.filter(record_type__in=PAIR_TYPES[record_type], status__in=statuses)
        .order_by("-found_at", "-id")
        .values_list("record_type", "object_id", "other_type", "other_id", "status")[
            : PREVIEW_LIMIT + 1
        ]
    )
    capped = len(pairs) > PREVIEW_LIMIT
    pairs = pairs[:PREVIEW_LIMIT]
    wanted: dict[str, set[int]] = {}
    for first_type, first_id, other_type, other_id, _status in pairs:
        wanted.setdefault(first_type, set()).add(first_id)
        wanted.setdefault(other_type, set()).add(other_id)
    rows = {kind: _rows(kind, ids) for kind, ids in wanted.items()}
    entities: dict[tuple[str, int], Any] = {}

    def entity(kind: str, pk: int) -> Any:
        row = rows[kind].get(pk)
        if row is None:
            return None
        if (kind, pk) not in entities:
            entities[(kind, pk)] = (
                matching.company_from_row(row)
                if kind == "account"
                else matching.person_from_row(row)
            )
        return entities[(kind, pk)]

    open_pairs = stay = rejected_pairs = rejected_above = 0
    for first_type, first_id, other_type, other_id, status in pairs:
        a, b = entity(first_type, first_id), entity(other_type, other_id)
        if a is None or b is None:
            continue
        if record_type == "account":
            score = matching.score_companies(a, b, proposed).score
        else:
            score = matching.score_people(a, b, proposed).score
        above = score >= threshold
        if status == DuplicatePair.Status.OPEN:
            open_pairs += 1
            stay += above
        else:
            rejected_pairs += 1
            rejected_above += above
    return RulePreview(
        record_type=record_type,
        threshold=threshold,
        open_pairs=open_pairs,
        stay=stay,
        drop=open_pairs - stay,
        rejected_pairs=rejected_pairs,
        rejected_above=rejected_above,
        capped=capped,
    )
