"""Permission-aware reads of activities and of the records they concern."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from rapport.access import permissions
from rapport.activities.models import Activity
from rapport.activities.timeline import SUBJECT_TYPES
from rapport.core import records
from rapport.core.models import PicklistValue

RECORD_TYPE = "activity"


def activity_for_user(*, user: Any, pk: int, action: str = "read") -> Activity:
    """The activity, if the person may `action` it: Http404 out of sight, PermissionDenied else."""
    activity = (
        Activity.objects.select_related(
            "owner",
            "call_outcome",
            "account",
            "contact",
            "lead",
            "opportunity",
            "opportunity_step__step",
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("No such activity.")
    permissions.check(user, action, RECORD_TYPE, activity)
    return activity


def subject_for_user(*, user: Any, reference: str) -> tuple[str, Model]:
    """The record named by "<record_type>:<pk>" (e.g. "contact:5"), if the person may read it.

    Raises ValidationError for a malformed reference and Http404 for a record out of sight.
    """
    record_type, _, raw_pk = reference.partition(":")
    if record_type not in SUBJECT_TYPES or not raw_pk.isdigit():
        raise ValidationError(
            "Say which record the call is for, e.g. contact:5 "
            "(an account, contact, lead or opportunity)."
        )
    model = records.get(record_type).model
    record = model._default_manager.filter(pk=int(raw_pk)).first()
    if record is None:
        raise Http404(f"No such {record_type}.")
    permissions.check(user, "read", record_type, record)
    return record_type, record


def subject_name(record: Model) -> str:
    """How a record is named in "Call with …": a person's full name, else its name."""
    return str(getattr(record, "full_name", "") or record)


def active_call_outcomes(current: PicklistValue | None = None) -> QuerySet[PicklistValue]:
    """The call outcomes people may choose, in order (plus the record's current one)."""
    condition = Q(is_active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return PicklistValue.objects.filter(condition, picklist__key="call_outcome").order_by(
        "sort_order", "id"
    )
