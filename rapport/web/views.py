"""The shell's own pages: my day, global search and the error pages."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from rapport.access import permissions
from rapport.access.models import User
from rapport.activities.my_day import month_bounds, my_day, team_of
from rapport.api import errors as api_errors
from rapport.core.search import search as global_search

# The search dropdown shows a handful per kind; the results page shows more.
DROPDOWN_HITS_PER_KIND = 5
PAGE_HITS_PER_KIND = 25


def greeting_for(moment: datetime) -> str:
    """Good morning / afternoon / evening, by the hour where the person works."""
    if moment.hour < 12:
        return "Good morning"
    if moment.hour < 18:
        return "Good afternoon"
    return "Good evening"


def _local_now(user: User) -> datetime:
    zone_name = user.office.timezone if user.office is not None else settings.TIME_ZONE
    return timezone.now().astimezone(zoneinfo.ZoneInfo(zone_name))


def my_day_mode(*, me: User, requested: str) -> str:
    """Which day the page shows: a manager's team's ("team") on request, else "mine"."""
    is_manager = me.role is not None and me.role.is_manager
    return "team" if is_manager and requested == "team" else "mine"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My day: the person's tasks, leads to touch, steps due and deals closing this month; a
    manager switches to the same blocks for everyone below them, grouped by rep."""
    assert isinstance(request.user, User)
    me = (
        User.objects.select_related("role", "team", "team__lead", "office", "manager")
        .filter(pk=request.user.pk)
        .get()
    )
    now = _local_now(me)
    mode = my_day_mode(me=me, requested=request.GET.get("view", ""))
    people = team_of(me) if mode == "team" else [me]
    blocks, days = my_day(viewer=request.user, people=people, today=now.date())
    activity_policy = permissions.policy_for(request.user, "activity")
    reports = list(User.objects.active().filter(manager=me).select_related("role", "team"))
    teammates = (
        list(
            User.objects.active()
            .filter(team_id=me.team_id)
            .exclude(pk=me.pk)
            .select_related("role")[:12]
        )
        if me.team_id and not reports
        else []
    )
    month_start, month_end = month_bounds(now.date())
    return render(
        request,
        "web/home.html",
        {
            "me": me,
            "greeting": greeting_for(now),
            "local_now": now,
            "today": now.date(),
            "month_start": month_start,
            "month_end": month_end,
            "mode": mode,
            "is_manager": me.role is not None and me.role.is_manager,
            "blocks": blocks,
            "days": days,
            "can_log_calls": activity_policy.can("create"),
            "can_complete": activity_policy.can("edit")
            and "completed_at" not in activity_policy.protected_fields,
            "reports": reports,
            "teammates": teammates,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    query = request.GET.get("q", "").strip()
    if request.htmx:  # type: ignore[attr-defined]
        hits = global_search(user=request.user, query=query, limit_per_kind=DROPDOWN_HITS_PER_KIND)
        return render(request, "web/search.html#dropdown", {"query": query, "hits": hits})
    hits = global_search(user=request.user, query=query, limit_per_kind=PAGE_HITS_PER_KIND)
    return render(request, "web/search.html", {"query": query, "hits": hits})


def _layout(request: HttpRequest) -> str:
    """The full shell for people signed in; the plain card for everyone else."""
    user = getattr(request, "user", None)
    return "base.html" if user is not None and user.is_authenticated else "auth_base.html"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api_request(request):  # API clients get the API's JSON error body
        return api_errors.json_not_found(request)
    return render(
        request,
        "web/error.html",
        {
            "layout": _layout(request),
            "status": 404,
            "title": "Page not found",
            "explanation": "The page you asked for does not exist, or it has moved.",
        },
        status=404,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.json_forbidden(request)
    return render(
        request,
        "web/error.html",
        {
            "layout": _layout(request),
            "status": 403,
            "title": "Not allowed",
            "explanation": (
                "Your role does not give access to this page. If you need it for your work, "
                "ask an administrator."
            ),
        },
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.json_server_error(request)
    # Rendered without the request, so no context processor touches the database: the error may
    # be the database itself.
    body = render_to_string(
        "web/error.html",
        {
            "status": 500,
            "title": "Something went wrong",
            "explanation": (
                "Rapport hit an error it did not expect. It has been logged; try again in a "
                "moment, and tell your administrator if it keeps happening."
            ),
        },
    )
    return HttpResponse(body, status=500)


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, asked for by browsers on pages without an icon link (raw JSON, say).

    Resolved per request, not at import: in production the static name carries a content hash
    that only exists after collectstatic.
    """
    return HttpResponsePermanentRedirect(static("rapport/favicon.svg"))
