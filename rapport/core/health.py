"""Signs of life of the background processes: is the scheduler firing, is the worker running?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from rapport.core.models import Heartbeat

# The heartbeat job runs every minute; three missed beats mean the process is down.
STALE_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class ProcessHealth:
    """What an administrator sees about one background process."""

    source: str
    label: str
    beat_at: datetime | None
    detail: str
    alive: bool


def heartbeat_record(*, source: str, detail: str = "") -> Heartbeat:
    """Note that a background process (scheduler or worker) is alive now."""
    beat, _ = Heartbeat.objects.update_or_create(
        source=source, defaults={"beat_at": timezone.now(), "detail": detail[:255]}
    )
    return beat


def background_health(*, now: datetime | None = None) -> list[ProcessHealth]:
    """The scheduler's and the worker's last beats, and whether each is recent enough."""
    moment = now or timezone.now()
    beats = {beat.source: beat for beat in Heartbeat.objects.all()}
    health: list[ProcessHealth] = []
    for source, label in Heartbeat.Source.choices:
        beat = beats.get(source)
        health.append(
            ProcessHealth(
                source=source,
                label=str(label),
                beat_at=beat.beat_at if beat else None,
                detail=beat.detail if beat else "",
                alive=beat is not None and moment - beat.beat_at <= STALE_AFTER,
            )
        )
    return health
