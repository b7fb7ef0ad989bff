"""Periodic jobs: `@periodic("0 3 * * *")` over a django.tasks Task, fired by `rapport worker`.

Built on django-crontask: jobs go on crontask's APScheduler scheduler, which `rapport worker`
starts through crontask's own `crontask` command (with its Redis lock when REDIS_URL is set, so
only one scheduler fires). crontask imports `<app>.tasks` of every installed app, so declare
periodic jobs in an app's tasks.py:

    @periodic("30 2 * * *")
    @task
    def usage_rollup() -> int: ...

Unlike `crontask.cron`, a firing here closes the scheduler thread's database connections
afterwards (the scheduler lives for weeks; its threads must not hold stale connections) and
records the scheduler's heartbeat, so an administrator can see the scheduler is alive.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from crontask import scheduler
from django.apps import apps
from django.db import connections, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string, module_has_submodule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """A task the scheduler enqueues on a schedule."""

    name: str  # the task's dotted path, also the scheduler's job id
    schedule: str  # the crontab line, or a description of the trigger
    trigger: BaseTrigger

    def next_fire_time(self, now: datetime | None = None) -> datetime | None:
        """When the scheduler will next enqueue the task (None: never again)."""
        moment = now or timezone.now()
        fire_time: datetime | None = self.trigger.get_next_fire_time(None, moment)
        return fire_time


_registry: dict[str, PeriodicJob] = {}


def periodic(schedule: str | BaseTrigger) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Enqueue the decorated task on a crontab line ("m h dom mon dow") or an APScheduler trigger.

    Days of the week must be written as names (Mon … Sun): APScheduler counts weekdays from
    Monday, crontab from Sunday, and a number would silently mean a different day.
    """
    trigger = _trigger(schedule)
    description = schedule if isinstance(schedule, str) else str(schedule)

    def decorator(task: Task[Any, Any]) -> Task[Any, Any]:
        name = task.module_path
        scheduler.add_job(
            func=fire,
            trigger=trigger,
            args=(name,),
            id=name,
            name=name,
            replace_existing=True,
            # One late run is enough after a pause (e.g. the machine slept): never a burst.
            coalesce=True,
            misfire_grace_time=60,
        )
        _registry[name] = PeriodicJob(name=name, schedule=description, trigger=trigger)
        return task

    return decorator


def _trigger(schedule: str | BaseTrigger) -> BaseTrigger:
    if not isinstance(schedule, str):
        return schedule
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"A schedule needs 5 crontab fields (m h dom mon dow), not {schedule!r}.")
    if any(char.isdigit() for char in fields[4]):
        raise ValueError(
            f"Write days of the week as names (Mon, Tue, … Sun) or *, not {fields[4]!r}."
        )
    return CronTrigger.from_crontab(schedule, timezone=timezone.get_default_timezone())


def unregister(name: str) -> None:
    """Take a job off the schedule (for tests and for jobs an administrator switches off)."""
    _registry.pop(name, None)
    if any(job.id == name for job in scheduler.get_jobs()):
        scheduler.remove_job(name)


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered periodic job, by name."""
    return sorted(_registry.values(), key=lambda job: job.name)


def load_task_modules() -> list[str]:
    """Import `<app>.tasks` of every installed app, as crontask's scheduler does, so that all
    periodic jobs are registered in this process too; returns the modules imported."""
    loaded: list[str] = []
    for app in apps.get_app_configs():
        if app.name == "crontask" or not module_has_submodule(app.module, "tasks"):
            continue
        importlib.import_module(f"{app.name}.tasks")
        loaded.append(f"{app.name}.tasks")
    return loaded


def fire(name: str) -> str:
    """Enqueue the periodic task `name` now; what the scheduler calls on each firing.

    Returns the id of the enqueued task.
    """
    # Imported here: health sits on the models, which must not load before the app registry.
    from rapport.core.health import heartbeat_record

    task: Task[Any, Any] = import_string(name)
    try:
        # One transaction: with the database backend, the task and the beat appear together.
        with transaction.atomic():
            result = task.enqueue()
            heartbeat_record(source="scheduler", detail=f"enqueued {name}")
        logger.info("Enqueued periodic task %s as %s", name, result.id)
        return result.id
    finally:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
