"""Background work for insights: thin wrappers over services, run by `rapport worker`."""

from __future__ import annotations

from django.tasks import task

from rapport.core.scheduling import periodic
from rapport.insights.services import usage_purge


# Daily at night, off the full hour.
@periodic("23 3 * * *")
@task
def purge_usage_events() -> int:
    """Delete usage events older than RAPPORT_USAGE_RETENTION_DAYS."""
    return usage_purge()
