"""Idle and absolute session timeouts.

Written by hand because Django only has one cookie age: an idle limit needs the time of the last
request, which this keeps in the session (written at most once a minute, not on every request).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.messages import info
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rapport.access.models import UserSession
from rapport.access.services import session_forget

TOUCH_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "rapport_login_at" in request.session:
            now = timezone.now().timestamp()
            login_at = float(request.session["rapport_login_at"])
            seen_at = float(request.session.get("rapport_seen_at", login_at))
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - seen_at > idle or now - login_at > absolute:
                key = request.session.session_key
                logout(request)
                session_forget(session_key=key)
                info(request, "Your session timed out. Please sign in again.")
            elif now - seen_at > TOUCH_EVERY_SECONDS:
                request.session["rapport_seen_at"] = now
                UserSession.objects.filter(session_key=request.session.session_key).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)
