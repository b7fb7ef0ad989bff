"""Idle and absolute session timeouts.

Written by hand because Django only has one cookie age: an idle limit needs the time of the last
request, which this keeps in the session (written at most once a minute, not on every request).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import info
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from rapport.access import sign_in_events
from rapport.access.models import User, UserSession
from rapport.access.services import session_forget, session_record_login

TOUCH_EVERY_SECONDS = 60
LOGIN_AT = "rapport_login_at"
SEEN_AT = "rapport_seen_at"


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            if LOGIN_AT not in request.session:
                # Signed in without the login page (e.g. another auth view): start its clocks now
                # and track it, so timeouts, deactivation and password changes still reach it.
                session_record_login(request=request, user=user)
            elif self._expired(request):
                self._sign_out(request)
                if request.headers.get("HX-Request") == "true":
                    # HTMX would swap the sign-in page into a fragment: reload the whole page.
                    return HttpResponseClientRedirect(
                        redirect_to_login(request.get_full_path()).url
                    )
                # Otherwise the view answers the now-anonymous request: pages redirect to the
                # sign-in page, the API answers in its own error format.
            else:
                self._touch(request)
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> bool:
        now = timezone.now().timestamp()
        login_at = float(request.session[LOGIN_AT])
        seen_at = float(request.session.get(SEEN_AT, login_at))
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        return now - seen_at > idle or now - login_at > absolute

    @staticmethod
    def _touch(request: HttpRequest) -> None:
        now = timezone.now()
        if now.timestamp() - float(request.session.get(SEEN_AT, 0)) > TOUCH_EVERY_SECONDS:
            request.session[SEEN_AT] = now.timestamp()
            UserSession.objects.filter(session_key=request.session.session_key).update(
                last_seen_at=now
            )

    @staticmethod
    def _sign_out(request: HttpRequest) -> None:
        key = request.session.session_key
        sign_in_events.signed_out(user=request.user, session_key=key, timed_out=True)
        # logout() flushes the session: it is deleted server-side, not just forgotten by the cookie.
        logout(request)
        session_forget(session_key=key)
        info(request, "Your session timed out. Please sign in again.")
