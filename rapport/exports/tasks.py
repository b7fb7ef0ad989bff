"""Background work for exports: the daily clean-up of finished exports' files.

The scheduler imports this module (as `<app>.tasks`), which registers the schedule below. The
export task itself runs a list's own filtering, so it lives with the web views
(`rapport.exports.web.tasks`).
"""

from __future__ import annotations

from django.tasks import task

from rapport.core.scheduling import periodic
from rapport.exports.services import exports_purge


# Hourly, so no file outlives its day by much.
@periodic("29 * * * *")
@task
def purge_exports() -> int:
    """Delete background exports' files older than a day."""
    return exports_purge()
