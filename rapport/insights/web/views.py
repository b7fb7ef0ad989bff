"""The heartbeat pages send while their person uses them (static/insights/heartbeat.js)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from rapport.insights.services import usage_record_heartbeat

MAX_PAGE_PATH = 500


@require_POST
def heartbeat(request: HttpRequest) -> HttpResponse:
    user = request.user
    # No redirect to the sign-in page for a script: a signed-out page just stops beating.
    if not user.is_authenticated:
        return HttpResponse(status=403)
    usage_record_heartbeat(
        user=user,
        session_key=request.session.session_key,
        page_path=request.POST.get("page", "")[:MAX_PAGE_PATH],
    )
    return HttpResponse(status=204)
