"""Periodic jobs go on crontask's scheduler, which enqueues them when they fall due."""

from __future__ import annotations

import threading
import time

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from crontask import scheduler
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rapport.core.models import Heartbeat
from rapport.core.scheduling import load_task_modules, periodic, periodic_jobs, unregister
from rapport.core.tests import sample_tasks

NOTED = "rapport.core.tests.sample_tasks.noted"


def test_the_platform_jobs_are_on_the_schedule():
    load_task_modules()

    jobs = {job.name: job for job in periodic_jobs()}

    assert jobs["rapport.core.tasks.heartbeat"].schedule == "* * * * *"
    assert "rapport.core.tasks.task_records_prune" in jobs
    scheduled = {job.id for job in scheduler.get_jobs()}
    assert set(jobs) <= scheduled


def test_a_schedule_with_a_numbered_weekday_is_refused():
    with pytest.raises(ValueError, match="names"):
        periodic("0 9 * * 1")


@pytest.fixture
def start_scheduler():
    """Start crontask's scheduler in a thread; afterwards put it back as a fresh process has it.

    `rapport worker` runs this BlockingScheduler in a process of its own. Once started and shut
    down, APScheduler keeps its jobs in a job store it no longer lists, so the fixture restores
    the pending registrations for the tests that follow.
    """
    pending = list(scheduler._pending_jobs)
    thread = threading.Thread(target=scheduler.start, daemon=True)

    yield thread.start

    if thread.is_alive():
        scheduler.shutdown(wait=True)
        thread.join(timeout=10)
    scheduler._jobstores.clear()
    scheduler._pending_jobs[:] = pending


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_scheduler_enqueues_a_periodic_job_when_it_falls_due(start_scheduler):
    periodic(IntervalTrigger(seconds=1))(sample_tasks.noted)
    try:
        start_scheduler()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if DBTaskResult.objects.filter(task_path=NOTED).exists():
                break
            time.sleep(0.2)
    finally:
        unregister(NOTED)

    enqueued = DBTaskResult.objects.filter(task_path=NOTED).first()
    assert enqueued is not None, "the scheduler did not enqueue the job within 15 seconds"
    assert enqueued.status == TaskResultStatus.READY
    beat = Heartbeat.objects.get(source=Heartbeat.Source.SCHEDULER)
    assert beat.detail.startswith("enqueued rapport.core.")
    assert NOTED not in {job.name for job in periodic_jobs()}
