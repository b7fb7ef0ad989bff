"""Background work for access: thin wrappers over services, run by `rapport worker`.

The scheduler imports this module (as `<app>.tasks`), which registers the schedules below.
"""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from rapport.access.services import session_purge
from rapport.core.scheduling import periodic


# Hourly, off the full hour when other jobs tend to run.
@periodic("41 * * * *")
@task
def purge_sessions() -> dict[str, int]:
    """Delete dead sessions and login records older than RAPPORT_LOGIN_RECORDS_DAYS."""
    return asdict(session_purge())
