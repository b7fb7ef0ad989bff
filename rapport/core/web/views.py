"""Progress of background tasks, as an HTMX fragment that polls until the task ends."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rapport.core.progress import progress_for


@login_required
def task_progress(request: HttpRequest, task_id: str) -> HttpResponse:
    state = progress_for(task_id=task_id, user=request.user)  # type: ignore[arg-type]
    return render(request, "core/_task_progress.html", {"state": state})
