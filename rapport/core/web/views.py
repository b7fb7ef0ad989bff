"""Progress of background tasks, the history of a record, and the recycle bin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.core import records
from rapport.core.audit import HistoryEntry, HistoryNotFoundError, history_for
from rapport.core.progress import progress_for
from rapport.core.recycle import (
    NotInRecycleBinError,
    record_restore,
    recycle_bin_entries,
    retention,
)


@login_required
def task_progress(request: HttpRequest, task_id: str) -> HttpResponse:
    state = progress_for(task_id=task_id, user=request.user)  # type: ignore[arg-type]
    return render(request, "core/_task_progress.html", {"state": state})


# History ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    entry: HistoryEntry
    changes: list[ChangeRow]


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ").capitalize()
    return str(getattr(field, "verbose_name", name)).capitalize()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "repr" in value:
        return str(value["repr"])
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@login_required
def history(request: HttpRequest, record_type: str, pk: int) -> HttpResponse:
    """The history of one record, as a fragment the record's page loads with HTMX."""
    try:
        entries = history_for(record_type=record_type, object_id=pk, viewer=request.user)
    except HistoryNotFoundError as error:
        raise Http404("No such record.") from error
    model = records.get(record_type).model
    rows = [
        HistoryRow(
            entry=entry,
            changes=[
                ChangeRow(label=_label(model, name), old=_text(old), new=_text(new))
                for name, old, new in entry.change_list
            ],
        )
        for entry in entries
    ]
    return render(request, "core/_history.html", {"rows": rows})


# Recycle bin --------------------------------------------------------------------------------------


def _require_admin(request: HttpRequest) -> Any:
    # Core sits below access: it asks the user object, which access defines.
    if not getattr(request.user, "is_administrator", False):
        raise PermissionDenied("Only administrators can open the recycle bin.")
    return request.user


@login_required
def recycle_bin(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(
        request,
        "core/recycle_bin.html",
        {"entries": recycle_bin_entries(), "retention_days": retention().days},
    )


@login_required
@require_POST
def recycle_bin_restore(request: HttpRequest, record_type: str, pk: int) -> HttpResponseBase:
    admin = _require_admin(request)
    try:
        restored = record_restore(record_type=record_type, object_id=pk, acting_user=admin)
    except NotInRecycleBinError as error:
        raise Http404("No such record in the recycle bin.") from error
    rt = records.get(record_type)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "core/recycle_bin.html#restored-row",
            {"record_type": rt, "record": restored},
        )
    messages.success(request, f"{rt.label} “{restored}” is restored.")
    return redirect("core:recycle-bin")
