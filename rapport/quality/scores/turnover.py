"""Turnover: hand everything active a leaver owns to other people, in bulk, audited.

`turnover_preview` counts what is active and owned; `records_reassign` moves it by a plan:
per record type, to one successor, round robin across the leaver's active team mates, or by
office (the active people whose office is in the record's country, round robin among them).
Updates are set-based (one UPDATE per record type and new owner) and each record changed gets
one audit entry (owner old → new), written in bulk in the same transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from rapport.access.models import User
from rapport.activities.models import Activity
from rapport.core import audit
from rapport.core.models import AuditEntry
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity
from rapport.quality.scores.models import QualityScore

# The kinds of active record a leaver may own, in the order the wizard shows them.
TURNOVER_TYPES: dict[str, str] = {
    "lead": "Open leads",
    "opportunity": "Open opportunities",
    "account": "Accounts",
    "contact": "Contacts",
    "task": "Open tasks",
}
# The audit trail's record type key of each kind ("task" is an activity).
AUDIT_TYPES = {
    "lead": "lead",
    "opportunity": "opportunity",
    "account": "account",
    "contact": "contact",
    "task": "activity",
}
CLOSED_LEAD_STATUSES = ("unqualified", "converted")

RULE_KEEP = "keep"
RULE_SUCCESSOR = "successor"
RULE_ROUND_ROBIN = "round_robin"
RULE_OFFICE = "office"
RULES = {
    RULE_KEEP: "Leave with them",
    RULE_SUCCESSOR: "To one successor",
    RULE_ROUND_ROBIN: "Round robin across their team",
    RULE_OFFICE: "By office (same country as the record)",
}

# Where each kind of record keeps the country its office rule matches on.
_COUNTRY_PATHS = {
    "lead": "country",
    "opportunity": "account__country",
    "account": "country",
    "contact": "account__country",
    "task": None,  # a task has no country of its own
}


def active_owned(record_type: str, owner: Any) -> QuerySet[Any]:
    """The active records of a kind that `owner` owns (the recycle bin left out)."""
    if record_type == "lead":
        return Lead.objects.filter(owner=owner, converted_at__isnull=True).exclude(
            status__key__in=CLOSED_LEAD_STATUSES
        )
    if record_type == "opportunity":
        return Opportunity.objects.open().filter(owner=owner)
    if record_type == "account":
        return Account.objects.filter(owner=owner)
    if record_type == "contact":
        return Contact.objects.filter(owner=owner)
    if record_type == "task":
        return Activity.objects.filter(
            owner=owner, kind=Activity.Kind.TASK, completed_at__isnull=True
        )
    raise ValidationError({"record_type": f"Unknown record type {record_type!r}."})


def _require_admin(acting_user: Any) -> None:
    if not getattr(acting_user, "is_administrator", False):
        raise PermissionDenied("Only an administrator can hand over someone's records.")


@dataclass(frozen=True)
class TurnoverPreview:
    """What a leaver owns that is still active, counted per kind."""

    user: User
    counts: dict[str, int]
    team_members: tuple[User, ...]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def turnover_counts(*, user: Any) -> dict[str, int]:
    """How many active records of each kind `user` owns (one query per kind)."""
    return {key: active_owned(key, user).count() for key in TURNOVER_TYPES}


def _team_members(user: User) -> tuple[User, ...]:
    if user.team_id is None:
        return ()
    members = User.objects.active().filter(team_id=user.team_id).exclude(pk=user.pk)
    return tuple(members.order_by("pk"))


def turnover_preview(*, acting_user: Any, user: User) -> TurnoverPreview:
    """Everything active `user` owns, counted, and who the round robin would share it among."""
    _require_admin(acting_user)
    return TurnoverPreview(
        user=user, counts=turnover_counts(user=user), team_members=_team_members(user)
    )


@dataclass(frozen=True)
class Rule:
    """How one kind of record is handed over."""

    kind: str = RULE_KEEP
    # The successor (RULE_SUCCESSOR), or where records without a match go (RULE_OFFICE).
    successor: User | None = None


@dataclass(frozen=True)
class TurnoverPlan:
    """A rule per kind of record; kinds left out stay with the leaver."""

    rules: Mapping[str, Rule] = field(default_factory=dict)

    @classmethod
    def for_all(cls, rule: Rule) -> TurnoverPlan:
        return cls(rules=dict.fromkeys(TURNOVER_TYPES, rule))


@dataclass(frozen=True)
class HandOverLine:
    """One record that changed owner."""

    record_type: str
    object_id: int
    record: str
    old_owner: str
    new_owner_id: int
    new_owner: str


@dataclass(frozen=True)
class HandOverReport:
    """What went to whom; `kept` counts the records left with the leaver, per kind."""

    from_user: User
    lines: tuple[HandOverLine, ...]
    kept: dict[str, int]

    def per_owner(self) -> list[tuple[str, dict[str, int]]]:
        """Per new owner, how many records of each kind they received."""
        table: dict[str, dict[str, int]] = {}
        for line in self.lines:
            row = table.setdefault(line.new_owner, {})
            row[line.record_type] = row.get(line.record_type, 0) + 1
        return sorted(table.items())

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["record type", "id", "record", "old owner", "new owner"])
        for line in self.lines:
            writer.writerow(
                [line.record_type, line.object_id, line.record, line.old_owner, line.new_owner]
            )
        return out.getvalue()


def _validate(plan: TurnoverPlan, from_user: User) -> None:
    for key, rule in plan.rules.items():
        if key not in TURNOVER_TYPES:
            raise ValidationError({"plan": f"Unknown record type {key!r}."})
        if rule.kind not in RULES:
            raise ValidationError({"plan": f"Unknown rule {rule.kind!r} for {key}."})
        if rule.kind == RULE_SUCCESSOR and rule.successor is None:
            raise ValidationError({"successor": f"Choose a successor for {key}."})
        if rule.successor is not None:
            if rule.successor.pk == from_user.pk:
                raise ValidationError({"successor": "The successor must be someone else."})
            if not rule.successor.is_active:
                raise ValidationError(
                    {"successor": f"{rule.successor} is inactive: choose an active person."}
                )
        if rule.kind == RULE_ROUND_ROBIN and not _team_members(from_user):
            raise ValidationError(
                {"plan": f"{from_user} has no active team mates to share {key} among."}
            )


def _targets(
    record_type: str, rule: Rule, from_user: User, rows: list[tuple[int, str]]
) -> dict[int, User]:
    """Who gets each record (id → new owner); records with no one stay."""
    ids = [object_id for object_id, _country in rows]
    if rule.kind == RULE_SUCCESSOR:
        assert rule.successor is not None
        return dict.fromkeys(ids, rule.successor)
    if rule.kind == RULE_ROUND_ROBIN:
        members = _team_members(from_user)
        return {object_id: members[i % len(members)] for i, object_id in enumerate(ids)}
    # By office: round robin among the active people whose office is in the record's country.
    people = User.objects.active().exclude(pk=from_user.pk).exclude(office__isnull=True)
    by_country: dict[str, list[User]] = {}
    for person in people.select_related("office").order_by("pk"):
        by_country.setdefault(str(person.office.country), []).append(person)  # type: ignore[union-attr]
    turns: dict[str, int] = {}
    targets: dict[int, User] = {}
    for object_id, country in rows:
        candidates = by_country.get(country or "", [])
        if candidates:
            turn = turns.get(country, 0)
            targets[object_id] = candidates[turn % len(candidates)]
            turns[country] = turn + 1
        elif rule.successor is not None:
            targets[object_id] = rule.successor
    return targets


def _audit_owner_changes(
    *, acting_user: User, record_type: str, changed: Iterable[tuple[Model, User, User]]
) -> int:
    """One audit entry per record (owner old → new), written in bulk.

    The first goes through `audit_record`, which reads the request's address and id; the rest
    copy them, since core offers no bulk writer.
    """
    entries: list[AuditEntry] = []
    first: AuditEntry | None = None
    for obj, old, new in changed:
        changes: audit.Changes = {
            "owner": {
                "old": {"id": old.pk, "repr": str(old)[:255]},
                "new": {"id": new.pk, "repr": str(new)[:255]},
            }
        }
        if first is None:
            first = audit.audit_record(
                obj=obj,
                acting_user=acting_user,
                action=AuditEntry.Action.UPDATE,
                changes=changes,
                record_type=record_type,
            )
            continue
        entries.append(
            AuditEntry(
                record_type=record_type,
                object_id=obj.pk,
                object_repr=str(obj)[:255],
                action=AuditEntry.Action.UPDATE,
                actor=acting_user,
                changes=changes,
                ip_address=first.ip_address if first else None,
                request_id=first.request_id if first else "",
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries) + (first is not None)


@transaction.atomic
def records_reassign(*, acting_user: User, from_user: User, plan: TurnoverPlan) -> HandOverReport:
    """Hand `from_user`'s active records over by `plan`; one audit entry per record changed."""
    _require_admin(acting_user)
    _validate(plan, from_user)
    lines: list[HandOverLine] = []
    kept: dict[str, int] = {}
    for record_type in TURNOVER_TYPES:
        rule = plan.rules.get(record_type, Rule())
        if rule.kind == RULE_KEEP:
            kept[record_type] = active_owned(record_type, from_user).count()
            continue
        # Lock the rows: someone may be editing one of them while it changes hands.
        queryset = active_owned(record_type, from_user).select_for_update(of=("self",))
        country_path = _COUNTRY_PATHS[record_type]
        objects = list(queryset.order_by("pk"))
        countries: dict[int, str] = {}
        if country_path is not None and rule.kind == RULE_OFFICE:
            countries = {
                pk: str(country or "")
                for pk, country in active_owned(record_type, from_user).values_list(
                    "pk", country_path
                )
            }
        rows = [(obj.pk, countries.get(obj.pk, "")) for obj in objects]
        targets = _targets(record_type, rule, from_user, rows)
        by_target: dict[int, list[int]] = {}
        for object_id, user in targets.items():
            by_target.setdefault(user.pk, []).append(object_id)
        model = type(objects[0]) if objects else None
        users = {user.pk: user for user in targets.values()}
        for user_pk, ids in by_target.items():
            assert model is not None
            model._default_manager.filter(pk__in=ids).update(owner_id=user_pk)
            QualityScore.objects.filter(
                record_type=AUDIT_TYPES[record_type], object_id__in=ids
            ).update(owner_id=user_pk, team_id=users[user_pk].team_id)
        changed = [(obj, from_user, targets[obj.pk]) for obj in objects if obj.pk in targets]
        _audit_owner_changes(
            acting_user=acting_user, record_type=AUDIT_TYPES[record_type], changed=changed
        )
        kept[record_type] = len(objects) - len(changed)
        lines.extend(
            HandOverLine(
                record_type=record_type,
                object_id=obj.pk,
                record=str(obj),
                old_owner=str(from_user),
                new_owner_id=new.pk,
                new_owner=str(new),
            )
            for obj, _old, new in changed
        )
    return HandOverReport(from_user=from_user, lines=tuple(lines), kept=kept)


def handover_history(*, acting_user: Any, from_user: User) -> QuerySet[AuditEntry]:
    """Every owner change away from `from_user` in the audit trail, newest first (the CSV)."""
    _require_admin(acting_user)
    types = set(AUDIT_TYPES.values())
    return AuditEntry.objects.filter(
        Q(record_type__in=types),
        action=AuditEntry.Action.UPDATE,
        changes__owner__old__id=from_user.pk,
    ).order_by("-at", "-id")
