"""`rapport schedule`: the periodic jobs, their next runs, and whether the background is alive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from rapport.core.health import background_health
from rapport.core.scheduling import load_task_modules, periodic_jobs


class Command(BaseCommand):
    help = "List the periodic jobs with their schedule and next run, and the last heartbeats."

    def handle(self, *args: Any, **options: Any) -> None:
        load_task_modules()
        now = timezone.now()
        self.stdout.write("Periodic jobs (times in the TIME_ZONE setting):")
        for job in periodic_jobs():
            next_run = job.next_fire_time(now)
            when = f"{next_run:%Y-%m-%d %H:%M}" if next_run else "never"
            self.stdout.write(f"  {job.schedule:<16} next {when}  {job.name}")
        self.stdout.write("Heartbeats:")
        for process in background_health(now=now):
            if process.beat_at is None:
                self.stdout.write(f"  {process.label:<12} never seen")
                continue
            state = "alive" if process.alive else self.style.ERROR("not seen recently")
            self.stdout.write(
                f"  {process.label:<12} {state}, last {process.beat_at:%Y-%m-%d %H:%M:%S}"
                f" ({process.detail})"
            )
