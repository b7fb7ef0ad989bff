"""Exports of a record list from its page: the list's own filtering, streamed or in the background.

A list page answers `?…&export=csv|xlsx|raw` by calling `list_export` (rapport.web.records), so an
export can never show other rows than the list: same scope, filters, search and order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse

from rapport.core.progress import TaskState, progress_for, task_enqueue
from rapport.exports import services
from rapport.exports.responses import XLSX_MEDIA_TYPE, csv_response, xlsx_response

if TYPE_CHECKING:
    from rapport.web.records import RecordList

# Above this many rows an XLSX export runs in the background (CSV always streams).
XLSX_INLINE_MAX_ROWS = 50_000
FORMATS = ("csv", "xlsx", "raw")
_TASK_ID = re.compile(r"[-A-Za-z0-9_]{1,64}")


def list_export(request: HttpRequest, *, view: RecordList, params: QueryDict) -> HttpResponseBase:
    """The list's rows as a file: CSV streamed, XLSX built now or, when large, by the worker."""
    user: Any = request.user
    export_format = request.GET.get("export", "")
    if export_format not in FORMATS:
        return HttpResponseBadRequest("Export as csv, xlsx or raw (raw: CSV for administrators).")
    raw = export_format == "raw"
    if raw and not user.is_administrator:
        # Said on the page: the generic 403 page does not say why.
        context = {"message": services.RAW_REFUSED, "back_url": request.path}
        return render(request, "exports/refused.html", context, status=403)
    record_type = view.record_type
    queryset = view.export_queryset(request, params, user)
    if export_format in ("csv", "raw"):
        return csv_response(user=user, record_type=record_type, queryset=queryset, raw=raw)
    if queryset[: XLSX_INLINE_MAX_ROWS + 1].count() > XLSX_INLINE_MAX_ROWS:
        from rapport.exports.web.tasks import list_export_xlsx

        query = params.copy()
        for transient in ("export", "page", "view"):
            query.pop(transient, None)
        result = task_enqueue(
            task=list_export_xlsx,
            acting_user=user,
            kwargs={
                "user_id": user.pk,
                "list_view": f"{type(view).__module__}.{type(view).__qualname__}",
                "query": query.urlencode(),
            },
            message=f"Exporting {str(view.title or record_type).lower()}",
        )
        return redirect("exports:status", task_id=result.id)
    return xlsx_response(user=user, record_type=record_type, queryset=queryset)


def _state(request: HttpRequest, task_id: str) -> TaskState:
    if not _TASK_ID.fullmatch(task_id):
        raise Http404("No such export.")
    return progress_for(task_id=task_id, user=request.user)  # type: ignore[arg-type]


def export_file(task_id: str) -> Path | None:
    """The finished file of a background export, if it is still there."""
    folder = services.exports_root() / task_id
    if not _TASK_ID.fullmatch(task_id) or not folder.is_dir():
        return None
    return next(iter(sorted(folder.glob("*.xlsx"))), None)


@login_required
def export_status(request: HttpRequest, task_id: str) -> HttpResponse:
    """A background export's page: its progress, then the download link (polled by HTMX)."""
    state = _state(request, task_id)
    # The file appears, renamed into place, only once complete: its presence means done, even
    # where the task backend keeps no results.
    found = export_file(task_id)
    context = {
        "state": state,
        "file": found,
        "finished": state.finished or found is not None,
        "failed": state.finished and not state.succeeded,
        "download_url": reverse("exports:download", args=[task_id]),
        "status_url": reverse("exports:status", args=[task_id]),
    }
    if getattr(request, "htmx", False):
        return render(request, "exports/status.html#status", context)
    return render(request, "exports/status.html", context)


@login_required
def export_download(request: HttpRequest, task_id: str) -> FileResponse:
    """The file of a finished background export, for whoever started it (and administrators)."""
    _state(request, task_id)  # 404 unless the person started it (or is an administrator)
    found = export_file(task_id)
    if found is None:
        raise Http404("This export is not ready, or its file was deleted after a day.")
    return FileResponse(
        found.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=XLSX_MEDIA_TYPE,
    )
