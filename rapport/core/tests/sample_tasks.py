"""Module-level tasks the tests enqueue (the task backends need an importable dotted path)."""

from __future__ import annotations

from typing import Any

from django.tasks import TaskContext, task

from rapport.core.progress import progress_report


@task(takes_context=True)
def count_to(context: TaskContext[Any, Any], total: int) -> int:
    """Counts, reporting progress as a long import would."""
    for done in range(1, total + 1):
        progress_report(context, done=done, total=total, message=f"Counted {done}")
    return total


@task(takes_context=True)
def fail_halfway(context: TaskContext[Any, Any]) -> None:
    progress_report(context, done=1, total=2, message="Halfway")
    raise RuntimeError("The file has no header row")


@task
def noted() -> str:
    """Enqueued by the scheduler in the scheduler's test."""
    return "noted"
