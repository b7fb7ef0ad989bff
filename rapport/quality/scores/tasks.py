"""Background work for scores: the nightly snapshot, run by `rapport worker`.

The scheduler imports this module (as `<app>.tasks`), which registers the schedule below.
"""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from rapport.core.scheduling import periodic
from rapport.quality.scores.services import scores_refresh


# Nightly, after the day's imports and before people start work.
@periodic("23 2 * * *")
@task
def refresh_quality_scores() -> dict[str, int]:
    """Recompute every record's data-quality score and write today's roll-up (the trend)."""
    return asdict(scores_refresh())
