"""Background work of imports: dry run, commit and rollback with a progress bar, and the daily
housekeeping that resumes commits whose worker died and forgets old batches' details."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.tasks import TaskContext, task
from django.utils import timezone

from rapport.core.progress import progress_report
from rapport.core.scheduling import periodic
from rapport.imports import engine, services
from rapport.imports.models import ROLLBACK_DAYS, ImportBatch, ImportRow

logger = logging.getLogger(__name__)

# A commit or rollback that reported nothing for this long lost its worker: resume it.
STALE_AFTER = timedelta(minutes=10)


def _reporter(context: TaskContext[Any, Any]) -> engine.Progress:
    def report(done: int, total: int | None, message: str) -> None:
        progress_report(context, done=done, total=total, message=message)

    return report


def _fail(batch: ImportBatch, acting_user: Any, error: Exception) -> None:
    """An unexpected error: undo what a commit wrote, and say why it failed."""
    logger.exception("Import %s failed", batch.pk)
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.COMMITTING:
        engine.run_rollback(batch=batch, acting_user=acting_user)
    batch.status = ImportBatch.Status.FAILED
    batch.error = f"The import stopped on an unexpected error: {error}"[:2000]
    batch.committed_through = 0
    batch.save(update_fields=["status", "error", "committed_through", "updated_at"])


@task(takes_context=True)
def import_dry_run(context: TaskContext[Any, Any], batch_id: int) -> dict[str, int]:
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        services.batch_dry_run(
            batch=batch, acting_user=batch.created_by, progress=_reporter(context)
        )
    except Exception as error:
        _fail(batch, batch.created_by, error)
        raise
    return {"rows": batch.rows_done, "rejected": batch.rejected}


@task(takes_context=True)
def import_commit(context: TaskContext[Any, Any], batch_id: int) -> dict[str, int]:
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != ImportBatch.Status.COMMITTING:
        return {"rows": batch.rows_done}  # done, or cancelled before it started
    try:
        services.batch_commit(
            batch=batch, acting_user=batch.created_by, progress=_reporter(context)
        )
    except Exception as error:
        _fail(batch, batch.created_by, error)
        raise
    return {"rows": batch.rows_done, "created": batch.created, "updated": batch.updated}


@task(takes_context=True)
def import_rollback(context: TaskContext[Any, Any], batch_id: int) -> dict[str, int]:
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    acting_user = batch.created_by
    try:
        services.batch_rollback(batch=batch, acting_user=acting_user, progress=_reporter(context))
    except Exception as error:
        batch.refresh_from_db()
        batch.error = str(error)[:2000]
        batch.save(update_fields=["error", "updated_at"])
        raise
    return {"rows": batch.created + batch.updated}


@periodic("*/15 * * * *")
@task
def imports_housekeeping() -> dict[str, int]:
    """Resume commits and rollbacks whose worker died (no progress for STALE_AFTER), and after
    ROLLBACK_DAYS drop the batches' row details and files (the counts stay)."""
    now = timezone.now()
    stale = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.COMMITTING, ImportBatch.Status.ROLLING_BACK],
        updated_at__lt=now - STALE_AFTER,
    )
    resumed = 0
    for batch in stale:
        chosen = import_commit if batch.status == ImportBatch.Status.COMMITTING else import_rollback
        result = chosen.enqueue(batch_id=batch.pk)
        batch.task_id = str(result.id)[:64]
        batch.save(update_fields=["task_id", "updated_at"])
        resumed += 1
    old = ImportBatch.objects.filter(
        Q(committed_at__lt=now - timedelta(days=ROLLBACK_DAYS))
        | Q(committed_at__isnull=True, created_at__lt=now - timedelta(days=ROLLBACK_DAYS))
    ).exclude(status__in=[ImportBatch.Status.COMMITTING, ImportBatch.Status.ROLLING_BACK])
    purged = 0
    for batch in old.exclude(file=""):
        ImportRow.objects.filter(batch=batch).delete()
        batch.file.delete(save=False)
        batch.file = ""
        batch.save(update_fields=["file", "updated_at"])
        purged += 1
    return {"resumed": resumed, "purged": purged}
