"""Progress reporting for long background tasks, read by the progress bar and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist

from rapport.core.models import TaskProgress

if TYPE_CHECKING:
    from rapport.access.models import User


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
    errors: tuple[str, ...]


def progress_report(*, task_id: str, task_name: str, done: int, total: int | None = None, message: str = "") -> None:
    """Record how far a task has come (call it every few hundred units, not per row)."""
    TaskProgress.objects.update_or_create(
        task_id=task_id,
        defaults={"task_name": task_name, "done": done, "total": total, "message": message[:255]},
    )


def progress_for(*, task_id: str, user: User) -> TaskState:
    """The state of a task the user started (administrators see every task)."""
    progress = TaskProgress.objects.filter(task_id=task_id).first()
    if progress is not None and progress.owner_id not in (None, user.pk) and not user.is_administrator:
        raise Http404("No such task.")
    try:
        result = default_task_backend.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        if progress is None:
            raise Http404("No such task.") from None
        result = None
    status = result.status if result is not None else TaskResultStatus.READY
    finished = status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    errors = tuple(e.traceback.splitlines()[-1] for e in result.errors) if result is not None else ()
    done = progress.done if progress else 0
    total = progress.total if progress else None
    if status == TaskResultStatus.SUCCESSFUL and total:
        done = total
    return TaskState(
        task_id=task_id,
        task_name=(progress.task_name if progress else result.task.name if result else ""),
        status=str(status),
        done=done,
        total=total,
        percent=(min(100, done * 100 // total) if total else None),
        message=progress.message if progress else "",
        finished=finished,
        errors=errors,
    )
