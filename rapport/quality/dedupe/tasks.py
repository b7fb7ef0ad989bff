"""Background work for duplicates: the scan behind the queue's "Scan now" button."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.tasks import TaskContext, task

from rapport.core.progress import progress_report
from rapport.quality.dedupe.scan import duplicates_scan


@task(takes_context=True)
def scan_duplicates(context: TaskContext[Any, Any], record_types: list[str]) -> dict[str, Any]:
    """Scan the types one after the other, reporting the pairs scored so far."""
    results: dict[str, Any] = {}
    for record_type in record_types:

        def progress(done: int, record_type: str = record_type) -> None:
            progress_report(context, done=done, message=f"{record_type}: {done} pairs scored")

        results[record_type] = asdict(
            duplicates_scan(record_type=record_type, acting_user=None, progress=progress)
        )
    return results
