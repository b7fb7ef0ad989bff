"""The background XLSX export of a large list, run by the worker.

It re-runs the list view's own filtering for the person who asked (so the file holds exactly the
rows their list showed), writes the workbook beside the final name and renames it when complete:
a half-written file is never offered for download.
"""

from __future__ import annotations

import os
from typing import Any

from django.http import HttpRequest, QueryDict
from django.tasks import TaskContext, task
from django.utils.module_loading import import_string

from rapport.access.models import User
from rapport.core.progress import progress_report
from rapport.exports import services
from rapport.web.records import RecordList


@task(takes_context=True)
def list_export_xlsx(
    context: TaskContext[Any, Any], *, user_id: int, list_view: str, query: str
) -> dict[str, Any]:
    """Write the list's rows to MEDIA_ROOT/exports/<task id>/<name>.xlsx, reporting progress."""
    view_class = import_string(list_view)
    if not (isinstance(view_class, type) and issubclass(view_class, RecordList)):
        raise ValueError(f"{list_view} is not a record list.")
    user = User.objects.get(pk=user_id, is_active=True)
    params = QueryDict(query)
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = params
    view = view_class()
    view.setup(request)
    queryset = view.export_queryset(request, params, user)
    total = queryset.count()
    progress_report(context, done=0, total=total, message="Writing the workbook")
    folder = services.exports_root() / context.task_result.id
    folder.mkdir(parents=True, exist_ok=True)
    name = services.export_file_name(view.record_type, "xlsx")
    partial = folder / f".{name}.part"

    def progress(done: int) -> None:
        progress_report(context, done=done, total=total, message=f"{done} of {total} rows written")

    written = services.export_xlsx(
        user=user, record_type=view.record_type, queryset=queryset, path=partial, progress=progress
    )
    os.replace(partial, folder / name)
    progress_report(context, done=written, total=total, message=f"{written} rows written")
    return {"rows": written, "file": name}
