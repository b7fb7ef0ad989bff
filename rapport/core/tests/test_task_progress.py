"""A running task's progress is shown to whoever started it, as a bar that polls every second."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.tasks import TaskContext, TaskResult
from django.urls import reverse

from rapport.core.models import TaskProgress
from rapport.core.progress import progress_for, progress_report, task_enqueue
from rapport.core.tests.sample_tasks import count_to


def _report(
    result: TaskResult[Any, Any], *, done: int, total: int | None = None, message: str = ""
) -> None:
    """Report progress as the running task would, from inside its context."""
    progress_report(TaskContext(task_result=result), done=done, total=total, message=message)


def test_enqueueing_remembers_who_started_the_task(rep):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 3})

    progress = TaskProgress.objects.get(task_id=result.id)
    assert progress.owner == rep
    assert progress.task_name == "rapport.core.tests.sample_tasks.count_to"


def test_a_running_task_shows_a_bar_that_keeps_polling(rep, client):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 10})
    _report(result, done=3, total=10, message="Importing row 3")

    state = progress_for(task_id=result.id, user=rep)
    assert (state.done, state.total, state.percent, state.finished) == (3, 10, 30, False)

    client.force_login(rep)
    html = client.get(reverse("core:task-progress", args=[result.id])).content.decode()
    assert '<progress id="task-progress-bar-' in html
    assert 'value="30"' in html
    assert "3 of 10 (30%)" in html
    assert "Importing row 3" in html
    assert 'hx-trigger="every 1s"' in html
    assert reverse("core:task-progress", args=[result.id]) in html


def test_a_task_without_a_known_total_shows_an_indeterminate_bar(rep, client):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 10})
    _report(result, done=40, message="Scanning")

    client.force_login(rep)
    html = client.get(reverse("core:task-progress", args=[result.id])).content.decode()
    assert "40 done" in html
    assert "value=" not in html


def test_another_persons_task_is_not_found(rep, make_user, client):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 3})
    other = make_user(role="sales_rep")

    with pytest.raises(Http404):
        progress_for(task_id=result.id, user=other)
    client.force_login(other)
    assert client.get(reverse("core:task-progress", args=[result.id])).status_code == 404


def test_an_administrator_sees_any_task(rep, admin_user):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 3})

    assert progress_for(task_id=result.id, user=admin_user).task_id == result.id


def test_an_unknown_task_is_not_found(admin_user):
    with pytest.raises(Http404):
        progress_for(task_id="00000000-0000-0000-0000-000000000000", user=admin_user)


def test_signing_in_is_needed_to_see_progress(rep, client):
    result = task_enqueue(task=count_to, acting_user=rep, kwargs={"total": 3})

    response = client.get(reverse("core:task-progress", args=[result.id]))

    assert response.status_code == 302


@pytest.mark.parametrize("task_id", ["x" * 65, "abc\x00def"])
def test_an_id_no_backend_hands_out_is_not_found(rep, task_id):
    with pytest.raises(Http404):
        progress_for(task_id=task_id, user=rep)
