"""Writes for activities: log, change, delete (recycle bin) and complete tasks.

Every write checks the acting person's permissions (unless the caller already did, e.g. a service
of another app creating the next methodology task for the opportunity's owner), applies the rules
of the activity's kind, saves, and writes the audit entry in the same transaction.

    activity_create(acting_user=rep, values={"kind": "call", "subject": "Intro", "contact": c})
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from rapport.access import crud, permissions
from rapport.activities.hooks import notify_activity_logged, notify_task_completed
from rapport.activities.models import Activity
from rapport.core.models import PicklistValue

RECORD_TYPE = "activity"

# The fields a service caller may set, in the order forms show them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "kind",
    "subject",
    "owner",
    "occurred_at",
    "ends_at",
    "due_date",
    "completed_at",
    "direction",
    "call_outcome",
    "duration_minutes",
    "notes",
    "account",
    "contact",
    "lead",
    "opportunity",
    "opportunity_step",
    "external_id",
)

# The records an activity may concern, with the record type that guards each.
LINK_FIELDS: dict[str, str] = {
    "account": "account",
    "contact": "contact",
    "lead": "lead",
    "opportunity": "opportunity",
}

# Kinds that are "logged" (something happened): creating one runs the activity-logged hooks.
LOGGED_KINDS = frozenset(
    {Activity.Kind.CALL, Activity.Kind.MEETING, Activity.Kind.EMAIL, Activity.Kind.NOTE}
)

# Fields that only make sense for some kinds; the rest must stay empty.
KIND_ONLY_FIELDS: dict[str, frozenset[str]] = {
    "call_outcome": frozenset({Activity.Kind.CALL}),
    "due_date": frozenset({Activity.Kind.TASK}),
    "completed_at": frozenset({Activity.Kind.TASK}),
    "opportunity_step": frozenset({Activity.Kind.TASK}),
    "ends_at": frozenset({Activity.Kind.MEETING}),
    "duration_minutes": frozenset({Activity.Kind.CALL, Activity.Kind.MEETING}),
    "direction": frozenset({Activity.Kind.CALL, Activity.Kind.EMAIL}),
}


def _kind_labels(kinds: frozenset[str]) -> str:
    labels = [
        str(Activity.Kind(kind).label).lower() + "s" for kind in Activity.Kind if kind in kinds
    ]
    return " and ".join(labels) if len(labels) < 3 else ", ".join(labels)


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _assign(activity: Activity, values: Mapping[str, Any]) -> list[str]:
    """Set the given fields on the activity; return the names of those that changed.

    A relation takes a model instance or a primary key; `call_outcome` also takes the key of a
    value of the "call_outcome" picklist (what the API and imports send).
    """
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set on an activity."))
    changed: list[str] = []
    for name, value in values.items():
        field = Activity._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            if name == "call_outcome" and isinstance(value, str) and not value.isdigit():
                value = _call_outcome_by_key(value)
            if isinstance(value, models.Model) or value is None:
                before = getattr(activity, field.attname)
                setattr(activity, name, value)
                if before != getattr(activity, field.attname):
                    changed.append(name)
            else:
                if getattr(activity, field.attname) != int(value):
                    setattr(activity, field.attname, int(value))
                    changed.append(name)
        elif getattr(activity, name) != value:
            setattr(activity, name, value)
            changed.append(name)
    return changed


def _call_outcome_by_key(key: str) -> PicklistValue:
    found = PicklistValue.objects.filter(picklist__key="call_outcome", key=key).first()
    if found is None:
        raise ValidationError({"call_outcome": f"Call outcome: there is no value “{key}”."})
    return found


def _fill_links(activity: Activity) -> None:
    """Fill the account (and the opportunity of a methodology task) from what is linked."""
    step, contact = activity.opportunity_step, activity.contact
    if step is not None and activity.opportunity_id is None:
        activity.opportunity_id = step.opportunity_id
    if activity.account_id is None:
        opportunity = activity.opportunity
        if contact is not None and contact.account_id is not None:
            activity.account_id = contact.account_id
        elif opportunity is not None:
            activity.account_id = opportunity.account_id


def _field(name: str) -> models.Field[Any, Any]:
    field = Activity._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def activity_rule_errors(activity: Activity) -> dict[str, list[str]]:
    """The kind-specific rules the activity breaks, by field (empty when it keeps them all)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    kind = activity.kind
    if kind not in Activity.Kind.values:
        return errors  # full_clean names the bad kind
    if kind == Activity.Kind.TASK and activity.due_date is None:
        add("due_date", "A task needs a due date.")
    if (
        kind == Activity.Kind.MEETING
        and activity.ends_at is not None
        and activity.occurred_at is not None
        and activity.ends_at <= activity.occurred_at
    ):
        add("ends_at", "A meeting must end after it starts.")
    for name, kinds in KIND_ONLY_FIELDS.items():
        field = _field(name)
        value = getattr(activity, field.attname)
        if kind not in kinds and not _is_empty(value):
            label = str(field.verbose_name).capitalize()
            add(name, f"{label} is only for {_kind_labels(kinds)}.")
    if all(getattr(activity, f"{name}_id") is None for name in LINK_FIELDS):
        add(
            "account",
            "An activity must concern at least one record: "
            "fill in the account, contact, lead or opportunity.",
        )
    step = activity.opportunity_step
    if (
        step is not None
        and activity.opportunity_id is not None
        and step.opportunity_id != activity.opportunity_id
    ):
        add("opportunity_step", "The methodology step belongs to another opportunity.")
    return errors


def _check_links(*, acting_user: Any, activity: Activity, changed: list[str]) -> None:
    """Refuse linking to a record the acting person cannot see (it answers "no such record")."""
    errors: dict[str, str] = {}
    for name, record_type in LINK_FIELDS.items():
        if name not in changed or getattr(activity, f"{name}_id") is None:
            continue
        if not permissions.in_scope(acting_user, record_type, getattr(activity, name)):
            label = str(_field(name).verbose_name)
            errors[name] = f"There is no such {label}."
    if errors:
        raise ValidationError(errors)


def _check_protected(*, acting_user: Any, names: list[str]) -> None:
    """Refuse fields the role may not write (the same answer as rapport.access.crud)."""
    refused = permissions.protected_fields_in(acting_user, RECORD_TYPE, names)
    if refused:
        raise PermissionDenied(
            "Your role may not set or change these fields: " + ", ".join(refused) + "."
        )


def _rule_check(activity: Activity) -> None:
    """Raise every broken rule at once: the kind's rules and the model's own validation."""
    errors: dict[str, list[str]] = activity_rule_errors(activity)
    if not errors:
        return  # crud's full_clean validates the rest
    try:
        activity.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    raise ValidationError(errors)


def _filled_links(candidate: Activity, original: Activity | None) -> dict[str, Any]:
    """The links `_fill_links` added, as values for the write."""
    filled: dict[str, Any] = {}
    for name in ("account", "opportunity"):
        value = getattr(candidate, f"{name}_id")
        if value != (getattr(original, f"{name}_id") if original is not None else None):
            filled[name] = getattr(candidate, name)
    return filled


@transaction.atomic
def activity_create(
    *, acting_user: Any, values: Mapping[str, Any], check_permission: bool = True
) -> Activity:
    """Log an activity (or plan a task); the owner defaults to the acting person.

    Raises PermissionDenied when the role may not create activities or set one of the fields,
    ValidationError naming the field for a broken rule (or a linked record out of sight).
    Creating a call, meeting, e-mail or note runs the activity-logged hooks (e.g. touching the
    lead) in the same transaction.
    """
    if check_permission:
        permissions.check(acting_user, "create", RECORD_TYPE)
        _check_protected(acting_user=acting_user, names=list(values))
    activity = Activity()
    changed = _assign(activity, values)
    if activity.owner_id is None and acting_user is not None and acting_user.pk is not None:
        activity.owner = acting_user
    if check_permission:
        _check_links(acting_user=acting_user, activity=activity, changed=changed)
    _fill_links(activity)
    _rule_check(activity)
    crud.record_create(
        record_type=RECORD_TYPE,
        acting_user=acting_user,
        values={},
        instance=activity,
        check_permission=check_permission,
    )
    if activity.kind in LOGGED_KINDS:
        notify_activity_logged(activity=activity, acting_user=acting_user)
    return activity


@transaction.atomic
def activity_update(
    *,
    acting_user: Any,
    activity: Activity,
    values: Mapping[str, Any],
    check_permission: bool = True,
) -> Activity:
    """Change an activity; only a real change is saved and audited."""
    if check_permission:
        permissions.check(acting_user, "edit", RECORD_TYPE, activity)
    candidate = copy.copy(activity)
    changed = _assign(candidate, values)
    if not changed:
        return activity
    if check_permission:
        _check_protected(acting_user=acting_user, names=changed)
        _check_links(acting_user=acting_user, activity=candidate, changed=changed)
    _fill_links(candidate)
    _rule_check(candidate)
    write = {name: getattr(candidate, name) for name in changed}
    write.update(_filled_links(candidate, activity))
    return crud.record_update(
        record_type=RECORD_TYPE,
        obj=activity,
        acting_user=acting_user,
        values=write,
        check_permission=check_permission,
    )


@transaction.atomic
def activity_delete(
    *, acting_user: Any, activity: Activity, check_permission: bool = True
) -> Activity:
    """Move an activity to the recycle bin."""
    return crud.record_delete(
        record_type=RECORD_TYPE,
        obj=activity,
        acting_user=acting_user,
        check_permission=check_permission,
    )


def _set_completed(
    *, acting_user: Any, task: Activity, completed_at: Any, check_permission: bool
) -> Activity:
    if check_permission:
        permissions.check(acting_user, "edit", RECORD_TYPE, task)
        _check_protected(acting_user=acting_user, names=["completed_at"])
    if task.kind != Activity.Kind.TASK:
        raise ValidationError({"kind": "Only a task can be completed."})
    return crud.record_update(
        record_type=RECORD_TYPE,
        obj=task,
        acting_user=acting_user,
        values={"completed_at": completed_at},
        check_permission=False,  # checked above
    )


@transaction.atomic
def task_complete(*, acting_user: Any, task: Activity, check_permission: bool = True) -> Activity:
    """Mark a task done (completing it twice keeps the first time).

    Handlers registered with `hooks.register_task_completed` run after it, in the same
    transaction: the pipeline completes the methodology step a prompted task stands for (and
    `opportunity_step_complete` marks its step done before completing the task, so the two never
    loop).
    """
    if task.completed_at is not None and task.kind == Activity.Kind.TASK:
        if check_permission:
            permissions.check(acting_user, "edit", RECORD_TYPE, task)
        return task
    done = _set_completed(
        acting_user=acting_user,
        task=task,
        completed_at=timezone.now(),
        check_permission=check_permission,
    )
    notify_task_completed(task=done, acting_user=acting_user)
    return done


@transaction.atomic
def task_reopen(*, acting_user: Any, task: Activity, check_permission: bool = True) -> Activity:
    """Mark a completed task as not done (undo of `task_complete`)."""
    return _set_completed(
        acting_user=acting_user, task=task, completed_at=None, check_permission=check_permission
    )


__all__ = [
    "EDITABLE_FIELDS",
    "activity_create",
    "activity_delete",
    "activity_rule_errors",
    "activity_update",
    "task_complete",
    "task_reopen",
]
