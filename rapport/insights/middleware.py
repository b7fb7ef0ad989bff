"""Usage capture: page views and API calls, one INSERT per captured request.

What counts (decided here, documented in the README's usage section):
- an **API call** is any request under /api/v1/ made by an authenticated person, by token or
  session, whatever its method or status (a 403 is still use of the API). DRF authenticates
  tokens inside the view and puts the user on the Django request, so it is visible here after
  the view ran. Unauthenticated API requests (401) are not usage of anyone's.
- a **page view** is a GET by a signed-in person, answered 2xx with an HTML page by a view.
  Not captured: static files (WhiteNoise answers them before this middleware), redirects and
  errors, non-HTML answers (JSON, CSV), and HTMX requests (fragments: search-as-you-type, task
  progress polling, small in-page actions), which would count one visit many times. A boosted
  HTMX navigation (HX-Boosted) is a real page change and counts.
Heartbeats (active time), sign-ins and sign-outs are recorded by their views, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from rapport.insights.models import UsageEvent
from rapport.insights.services import place_of_match, usage_record

API_PATH_PREFIX = "/api/v1/"


class UsageCaptureMiddleware:
    """Record page views and API calls of signed-in people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The key before the view runs: a sign-out flushes the session during the request.
        session_key_before = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        started = perf_counter()
        response = self.get_response(request)
        elapsed_ms = int((perf_counter() - started) * 1000)
        kind = self._kind(request, response)
        if kind is not None:
            session = getattr(request, "session", None)
            usage_record(
                kind=kind,
                user=request.user,
                session_key=(session.session_key if session is not None else None)
                or session_key_before,
                place=place_of_match(request.resolver_match),
                method=request.method or "",
                status_code=response.status_code,
                duration_ms=elapsed_ms,
            )
        return response

    @staticmethod
    def _kind(request: HttpRequest, response: HttpResponse) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path_info.startswith(API_PATH_PREFIX):
            return UsageEvent.Kind.API_CALL
        if (
            request.method == "GET"
            and 200 <= response.status_code < 300
            and request.resolver_match is not None
            and response.get("Content-Type", "").startswith("text/html")
            and (
                request.headers.get("HX-Request") != "true"
                or request.headers.get("HX-Boosted") == "true"
            )
        ):
            return UsageEvent.Kind.PAGE_VIEW
        return None
