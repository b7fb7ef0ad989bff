"""The recycle bin: soft delete, restore, and the purge after the retention period.

A delete only marks the record (deleted_at, deleted_by); its relations stay as they are, so a
restore brings it back exactly, members and all. After RAPPORT_RECYCLE_RETENTION_DAYS the
periodic purge deletes it for good and leaves a purge entry in the audit trail.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from rapport.core import records
from rapport.core.audit import audit_record
from rapport.core.models import AuditEntry, SoftDeleteModel

logger = logging.getLogger(__name__)


class NotInRecycleBinError(Exception):
    """No record of that type and id is in the recycle bin."""


def retention() -> timedelta:
    """How long deleted records stay restorable."""
    return timedelta(days=settings.RAPPORT_RECYCLE_RETENTION_DAYS)


def bin_types() -> list[records.RecordType]:
    """The record types whose deletes go to the recycle bin."""
    return [
        rt for rt in records.all_types() if rt.deletable and issubclass(rt.model, SoftDeleteModel)
    ]


@transaction.atomic
def record_soft_delete(*, obj: SoftDeleteModel, acting_user: Any) -> SoftDeleteModel:
    """Move a record to the recycle bin; deleting it twice keeps the first time."""
    if obj.deleted_at is not None:
        return obj
    obj.deleted_at = timezone.now()
    obj.deleted_by = acting_user if acting_user is not None and acting_user.pk else None
    obj.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(obj=obj, acting_user=acting_user, action=AuditEntry.Action.DELETE)
    return obj


def _binned(record_type: str, object_id: int) -> SoftDeleteModel:
    try:
        rt = records.get(record_type)
    except KeyError as error:
        raise NotInRecycleBinError(record_type) from error
    if rt not in bin_types():
        raise NotInRecycleBinError(record_type)
    manager: Any = rt.model.all_objects  # type: ignore[attr-defined]
    found: SoftDeleteModel | None = (
        manager.select_for_update().deleted().filter(pk=object_id).first()
    )
    if found is None:
        raise NotInRecycleBinError(f"{record_type} {object_id}")
    return found


@transaction.atomic
def record_restore(*, record_type: str, object_id: int, acting_user: Any) -> SoftDeleteModel:
    """Bring a record back from the recycle bin, exactly as it was deleted."""
    obj = _binned(record_type, object_id)
    obj.deleted_at = None
    obj.deleted_by = None
    obj.save(update_fields=["deleted_at", "deleted_by"])
    audit_record(obj=obj, acting_user=acting_user, action=AuditEntry.Action.RESTORE)
    return obj


@dataclass(frozen=True)
class BinEntry:
    """One record in the recycle bin."""

    record_type: records.RecordType
    object_id: int
    name: str
    deleted_at: datetime
    deleted_by_id: int | None
    deleted_by_name: str
    purge_at: datetime

    @property
    def days_left(self) -> int:
        """Whole days until the purge, rounded up: just deleted is the full retention."""
        seconds = (self.purge_at - timezone.now()).total_seconds()
        return max(0, math.ceil(seconds / 86400))


def recycle_bin_entries(*, record_type: str | None = None) -> list[BinEntry]:
    """Everything in the recycle bin, most recently deleted first: one query per record type."""
    keep = retention()
    entries: list[BinEntry] = []
    for rt in bin_types():
        if record_type is not None and rt.key != record_type:
            continue
        manager: Any = rt.model.all_objects  # type: ignore[attr-defined]
        for obj in manager.deleted().select_related("deleted_by"):
            entries.append(
                BinEntry(
                    record_type=rt,
                    object_id=obj.pk,
                    name=str(obj),
                    deleted_at=obj.deleted_at,
                    deleted_by_id=obj.deleted_by_id,
                    deleted_by_name=str(obj.deleted_by) if obj.deleted_by else "System",
                    purge_at=obj.deleted_at + keep,
                )
            )
    entries.sort(key=lambda entry: (entry.deleted_at, entry.object_id), reverse=True)
    return entries


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    kept: int  # still referenced by rows that cannot let go of them


def _detach_references(obj: models.Model) -> dict[str, int] | None:
    """Clear nullable references to `obj` so it can be deleted; None if a reference cannot be.

    Returns how many rows let go, per relation (e.g. {"user.team": 4}).
    """
    detached: dict[str, int] = {}
    blocking = False
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            continue
        field = relation.field
        related: Any = relation.related_model
        rows = related._base_manager.filter(**{field.name: obj})
        if field.null:
            count = rows.update(**{field.name: None})
            if count:
                detached[f"{related._meta.model_name}.{field.name}"] = count
        elif field.remote_field.on_delete is not models.CASCADE and rows.exists():
            blocking = True
    return None if blocking else detached


def recycle_purge(*, now: datetime | None = None) -> PurgeResult:
    """Delete for good the records that have been in the recycle bin longer than the retention.

    Rows that still point at a purged record (e.g. people in a purged team) let go of it: the
    reference is cleared, and the purge entry says how many did. A record that a row cannot let
    go of (a required reference) stays in the bin and is logged.
    """
    cutoff = (now or timezone.now()) - retention()
    purged = kept = 0
    for rt in bin_types():
        manager: Any = rt.model.all_objects  # type: ignore[attr-defined]
        for pk in list(
            manager.deleted().filter(deleted_at__lt=cutoff).values_list("pk", flat=True)
        ):
            with transaction.atomic():
                obj = manager.select_for_update().filter(pk=pk, deleted_at__lt=cutoff).first()
                if obj is None:
                    continue
                detached = _detach_references(obj)
                if detached is None:
                    transaction.set_rollback(True)
                    logger.warning("Kept %s %s in the recycle bin: still referenced.", rt.key, pk)
                    kept += 1
                    continue
                changes: dict[str, dict[str, Any]] = {
                    name: {"old": count, "new": 0} for name, count in detached.items()
                }
                audit_record(
                    obj=obj, acting_user=None, action=AuditEntry.Action.PURGE, changes=changes
                )
                obj.delete()
                purged += 1
    return PurgeResult(purged=purged, kept=kept)
