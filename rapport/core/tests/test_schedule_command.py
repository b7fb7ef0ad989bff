"""`rapport schedule` lists the periodic jobs and whether the scheduler and worker are alive."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from rapport.core.health import background_health, heartbeat_record
from rapport.core.models import Heartbeat


def test_it_lists_the_jobs_and_the_heartbeats(db):
    heartbeat_record(source="scheduler", detail="enqueued rapport.core.tasks.heartbeat")
    out = StringIO()

    call_command("schedule", stdout=out)

    text = out.getvalue()
    assert "* * * * *" in text
    assert "rapport.core.tasks.heartbeat" in text
    assert "rapport.core.tasks.task_records_prune" in text
    assert "Scheduler    alive" in text
    assert "Task worker  never seen" in text


def test_a_heartbeat_older_than_three_minutes_means_the_process_is_down(db):
    heartbeat_record(source="worker")
    Heartbeat.objects.filter(source="worker").update(beat_at=timezone.now() - timedelta(minutes=4))

    health = {process.source: process for process in background_health()}

    assert health["worker"].beat_at is not None
    assert not health["worker"].alive
    assert not health["scheduler"].alive
