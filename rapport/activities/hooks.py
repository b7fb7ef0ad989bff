"""Handlers run when someone logs a call, meeting, e-mail or note.

Higher layers register here at start-up instead of listening to signals, e.g. the leads app
registers "touch the lead" so a logged call moves the lead's `last_touched_at`:

    register_activity_logged(lead_touch_on_activity)

Handlers run inside the transaction that creates the activity: if one fails, nothing is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rapport.activities.models import Activity


class ActivityLoggedHandler(Protocol):
    """Called as `handler(activity=..., acting_user=...)` after an activity was logged."""

    def __call__(self, *, activity: Activity, acting_user: Any) -> None: ...


_handlers: list[ActivityLoggedHandler] = []


def register_activity_logged(handler: ActivityLoggedHandler) -> None:
    """Run `handler` after every call, meeting, e-mail or note is created (once per handler)."""
    if handler not in _handlers:
        _handlers.append(handler)


def unregister_activity_logged(handler: ActivityLoggedHandler) -> None:
    """Stop running `handler` (for tests)."""
    if handler in _handlers:
        _handlers.remove(handler)


def activity_logged_handlers() -> tuple[ActivityLoggedHandler, ...]:
    """The registered handlers, in registration order."""
    return tuple(_handlers)


def notify_activity_logged(*, activity: Activity, acting_user: Any) -> None:
    """Run every registered handler for a newly logged activity."""
    for handler in tuple(_handlers):
        handler(activity=activity, acting_user=acting_user)


class TaskCompletedHandler(Protocol):
    """Called as `handler(task=..., acting_user=...)` after a task was marked done."""

    def __call__(self, *, task: Activity, acting_user: Any) -> Any: ...


_task_handlers: list[TaskCompletedHandler] = []


def register_task_completed(handler: TaskCompletedHandler) -> None:
    """Run `handler` after every task is completed (once per handler), e.g. the pipeline
    completing the methodology step a prompted task stands for."""
    if handler not in _task_handlers:
        _task_handlers.append(handler)


def notify_task_completed(*, task: Activity, acting_user: Any) -> None:
    """Run every registered handler for a task just completed (inside its transaction)."""
    for handler in tuple(_task_handlers):
        handler(task=task, acting_user=acting_user)
