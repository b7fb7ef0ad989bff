"""GET /api/v1/tasks/{id}/ reports a background task's progress to whoever started it."""

from __future__ import annotations

from typing import Any

import pytest
from django.tasks import TaskContext, TaskResult

from rapport.core.progress import progress_report, task_enqueue
from rapport.core.tests.sample_tasks import count_to

pytestmark = pytest.mark.django_db


def _started_by(user) -> TaskResult[Any, Any]:
    result = task_enqueue(task=count_to, acting_user=user, kwargs={"total": 10})
    progress_report(TaskContext(task_result=result), done=4, total=10, message="Counted 4")
    return result


def test_the_person_who_started_a_task_sees_its_progress(api_client, rep):
    result = _started_by(rep)
    api_client.force_authenticate(rep)
    body = api_client.get(f"/api/v1/tasks/{result.id}/").json()
    assert body["task_id"] == result.id
    assert body["task_name"] == "rapport.core.tests.sample_tasks.count_to"
    assert (body["done"], body["total"], body["percent"], body["message"]) == (
        4,
        10,
        40,
        "Counted 4",
    )
    assert (body["status"], body["finished"], body["errors"]) == ("READY", False, [])


def test_someone_elses_task_is_not_found(api_client, rep, make_user):
    result = _started_by(make_user())
    api_client.force_authenticate(rep)
    response = api_client.get(f"/api/v1/tasks/{result.id}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_administrators_see_every_task(token_client, rep):
    result = _started_by(rep)
    assert token_client.get(f"/api/v1/tasks/{result.id}/").json()["percent"] == 40


def test_an_id_of_the_wrong_shape_is_a_404(token_client):
    assert token_client.get("/api/v1/tasks/not%20an%20id/").status_code == 404
