"""The platform's own periodic jobs: the heartbeat, the clean-up of finished task records and the
recycle bin purge.

Tasks are thin wrappers; crontask's scheduler imports this module (as `<app>.tasks`) and so
registers the schedules below.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from rapport.core.health import heartbeat_record
from rapport.core.models import TaskProgress
from rapport.core.recycle import recycle_purge
from rapport.core.scheduling import periodic

# Finished task results and progress rows are kept this long for "come back to it later".
TASK_RECORD_RETENTION_DAYS = 30


@periodic("* * * * *")
@task
def heartbeat() -> str:
    """Record that the worker ran a job the scheduler enqueued: both processes are alive."""
    beat = heartbeat_record(source="worker", detail="ran the scheduler's heartbeat job")
    return beat.beat_at.isoformat()


@periodic("17 3 * * *")
@task
def task_records_prune() -> int:
    """Delete progress rows (and, with the database backend, task results) older than 30 days."""
    cutoff = timezone.now() - timedelta(days=TASK_RECORD_RETENTION_DAYS)
    deleted, _ = TaskProgress.objects.filter(updated_at__lt=cutoff).delete()
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        call_command(
            "prune_db_task_results",
            "--min-age-days",
            str(TASK_RECORD_RETENTION_DAYS),
            verbosity=0,
        )
    return deleted


@periodic("41 2 * * *")
@task
def recycle_bin_purge() -> int:
    """Delete for good what has been in the recycle bin longer than the retention period."""
    return recycle_purge().purged
