"""Background work for access: thin wrappers over services, run by `rapport worker`."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from rapport.access.services import session_purge


@task
def purge_sessions() -> dict[str, int]:
    """Delete dead sessions and old login records (hourly; see the scheduler registration)."""
    return asdict(session_purge())
