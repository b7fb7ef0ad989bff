"""Progress of long background tasks: enqueued with an owner, reported by the task, read by the UI.

A long task is written with `@task(takes_context=True)` and calls `progress_report(context, ...)`
every few hundred units of work; whoever started it enqueues it with `task_enqueue(...)` so the
progress bar (`/tasks/<id>/progress/`) is shown to them and to administrators only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.tasks import Task, TaskContext, TaskResult, TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist

from rapport.core.models import TaskProgress

if TYPE_CHECKING:
    from rapport.access.models import User

try:  # The Redis backend (django-tasks-rq) raises the exception of the django-tasks package.
    from django_tasks.exceptions import TaskResultDoesNotExist as _RQTaskResultDoesNotExist

    _NO_RESULT: tuple[type[Exception], ...] = (
        TaskResultDoesNotExist,
        _RQTaskResultDoesNotExist,
    )
except ImportError:  # the redis extra is not installed
    _NO_RESULT = (TaskResultDoesNotExist,)
# NotImplementedError: a backend that keeps no results; ValueError: an id of the wrong shape.
_NOT_FOUND: tuple[type[Exception], ...] = (*_NO_RESULT, NotImplementedError, ValueError)

_TASK_ID_MAX_LENGTH = 64  # TaskProgress.task_id
_FINISHED = {TaskResultStatus.SUCCESSFUL.value, TaskResultStatus.FAILED.value}


@dataclass(frozen=True)
class TaskState:
    """What a progress bar shows about one task."""

    task_id: str
    task_name: str
    status: str
    done: int
    total: int | None
    percent: int | None
    message: str
    finished: bool
    succeeded: bool
    errors: tuple[str, ...]


def task_enqueue(
    *,
    task: Task[Any, Any],
    acting_user: User | None,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    message: str = "",
) -> TaskResult[Any, Any]:
    """Enqueue a task and remember who started it, so they (and only they) can follow it."""
    with transaction.atomic():
        # In one transaction with the database backend, the worker cannot pick the task up
        # before its progress row and owner exist.
        result = task.enqueue(*args, **(kwargs or {}))
        _upsert(
            task_id=result.id,
            defaults={"owner": acting_user},
            create_defaults={
                "task_name": task.module_path,
                "owner": acting_user,
                "message": message,
            },
        )
    return result


def progress_report(
    context: TaskContext[Any, Any], *, done: int, total: int | None = None, message: str = ""
) -> None:
    """Record how far the running task has come (call it every few hundred units, not per row)."""
    task_result = context.task_result
    values = {"done": max(0, done), "total": total, "message": message[:255]}
    _upsert(
        task_id=task_result.id,
        defaults=values,
        create_defaults={**values, "task_name": task_result.task.module_path},
    )


def _upsert(*, task_id: str, defaults: dict[str, Any], create_defaults: dict[str, Any]) -> None:
    """update_or_create that survives the task and its enqueuer creating the row at once."""
    try:
        with transaction.atomic():
            TaskProgress.objects.update_or_create(
                task_id=task_id, defaults=defaults, create_defaults=create_defaults
            )
    except IntegrityError:
        TaskProgress.objects.filter(task_id=task_id).update(**defaults)


def progress_for(*, task_id: str, user: User) -> TaskState:
    """The state of a task the user started (administrators see every task).

    Raises Http404 for a task that does not exist or that somebody else started, so the answer
    never tells whether another person's task exists.
    """
    if not task_id or len(task_id) > _TASK_ID_MAX_LENGTH or "\x00" in task_id:
        # Not an id any backend hands out (PostgreSQL would refuse the NUL outright).
        raise Http404("No such task.")
    progress = TaskProgress.objects.filter(task_id=task_id).first()
    # A task nobody is known to have started (scheduled jobs, no progress row) is for
    # administrators only.
    if not user.is_administrator and (progress is None or progress.owner_id != user.pk):
        raise Http404("No such task.")
    try:
        result: TaskResult[Any, Any] | None = default_task_backend.get_result(task_id)
    except _NOT_FOUND:
        if progress is None:
            raise Http404("No such task.") from None
        result = None

    status = str(result.status) if result is not None else TaskResultStatus.READY.value
    finished = status in _FINISHED
    succeeded = status == TaskResultStatus.SUCCESSFUL.value
    errors = tuple(_last_line(e.traceback) for e in result.errors) if result is not None else ()
    done = progress.done if progress else 0
    total = progress.total if progress else None
    if succeeded and total:
        done = total
    if progress is not None:
        name = progress.task_name
    else:
        name = result.task.module_path if result is not None else ""
    return TaskState(
        task_id=task_id,
        task_name=name,
        status=status,
        done=done,
        total=total,
        percent=(min(100, done * 100 // total) if total else None),
        message=progress.message if progress else "",
        finished=finished,
        succeeded=succeeded,
        errors=errors,
    )


def _last_line(traceback: str) -> str:
    """The exception line of a traceback: what went wrong, without the stack."""
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
