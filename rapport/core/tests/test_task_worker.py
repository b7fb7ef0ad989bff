"""A task enqueued with the database backend is picked up and run by the worker."""

from __future__ import annotations

import pytest
from django.tasks import TaskResultStatus, default_task_backend
from django.urls import reverse

from rapport.core.models import Heartbeat
from rapport.core.progress import progress_for, task_enqueue
from rapport.core.tasks import heartbeat
from rapport.core.tests.sample_tasks import count_to, fail_halfway

# The worker closes and reopens database connections, which a test wrapped in a transaction
# cannot survive; serialized_rollback puts the seeded roles back for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_worker_runs_an_enqueued_task_and_keeps_its_return_value(run_worker):
    result = heartbeat.enqueue()
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.READY

    run_worker()

    finished = default_task_backend.get_result(result.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL
    beat = Heartbeat.objects.get(source=Heartbeat.Source.WORKER)
    assert finished.return_value == beat.beat_at.isoformat()


def test_the_owner_sees_a_long_task_finished_with_its_progress(run_worker, rep, client):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 7})

    run_worker()

    assert default_task_backend.get_result(result.id).return_value == 7
    state = progress_for(task_id=result.id, user=rep)
    assert (state.finished, state.succeeded, state.done, state.total, state.percent) == (
        True,
        True,
        7,
        7,
        100,
    )
    assert state.message == "Counted 7"
    client.force_login(rep)
    page = client.get(reverse("core:task-progress", args=[result.id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Finished" in html
    assert 'value="100"' in html
    assert "hx-trigger" not in html  # finished: the fragment stops polling


def test_a_failed_task_shows_what_went_wrong(run_worker, rep, client):
    result = task_enqueue(task=fail_halfway, acting_user=rep)

    run_worker()

    state = progress_for(task_id=result.id, user=rep)
    assert (state.finished, state.succeeded, state.done, state.total) == (True, False, 1, 2)
    assert state.errors == ("RuntimeError: The file has no header row",)
    client.force_login(rep)
    html = client.get(reverse("core:task-progress", args=[result.id])).content.decode()
    assert "Failed" in html
    assert "The file has no header row" in html
    assert "hx-trigger" not in html
