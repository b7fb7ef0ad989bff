"""Writes of usage events: one cheap INSERT each, called by the capture middleware and the views.

Every function here must stay cheap: the middleware calls `usage_capture` on every request
(bench/usage_overhead.py measures it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from django.http import HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone

from rapport.access.models import User
from rapport.insights.models import UsageEvent

API_ROUTE_PREFIX = "api/v1/"
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@lru_cache(maxsize=1)
def _session_hash_key() -> bytes:
    # blake2b takes a key of at most 64 bytes; derive one from SECRET_KEY so the hash cannot be
    # reversed into a usable session key by someone who reads the table.
    return hashlib.sha256(b"rapport.insights.session:" + settings.SECRET_KEY.encode()).digest()


def session_hash(session_key: str | None) -> str:
    """A keyed, irreversible 32-character hash of a session key ("" for no session)."""
    if not session_key:
        return ""
    return hashlib.blake2b(
        session_key.encode(), digest_size=16, key=_session_hash_key()
    ).hexdigest()


@dataclass(frozen=True)
class Place:
    """Where in Rapport a request went: the area and the URL pattern."""

    area: str
    path: str


@lru_cache(maxsize=1024)
def place_of_route(route: str) -> Place:
    """The area and readable pattern of a resolved route, e.g. 'people/<int:pk>/' → people.

    Cached per route (there are a few hundred at most), so the per-request cost is a dict lookup.
    API routes from DRF's router are regular expressions; they are rewritten to the same
    `<name>` form as path() routes.
    """
    path = _REGEX_GROUP.sub(r"<\1>", route).replace("^", "").replace("$", "")
    if path.startswith(API_ROUTE_PREFIX):
        resource = path[len(API_ROUTE_PREFIX) :].split("/", 1)[0]
        return Place(area=f"api:{resource}" if resource else "api", path=path[:255])
    first = path.split("/", 1)[0]
    return Place(area=(first or "home")[:64], path=path[:255])


def place_of_match(match: ResolverMatch | None) -> Place:
    if match is None:
        return Place(area="", path="")
    return place_of_route(match.route)


def place_of_path(url_path: str) -> Place:
    """The place of a URL path sent by a page (heartbeats); unknown paths have no place."""
    try:
        return place_of_match(resolve(url_path))
    except Resolver404:
        return Place(area="", path="")


# The columns usage_record fills, in the order of its parameters.
_COLUMNS = (
    "kind",
    "user",
    "attempted_email",
    "at",
    "area",
    "path",
    "method",
    "status_code",
    "duration_ms",
    "session_hash",
)


@lru_cache(maxsize=4)
def _insert_sql(*, asynchronous: bool) -> str:
    meta = UsageEvent._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in _COLUMNS]
    columns = ", ".join(quote(f.column) for f in fields if isinstance(f, models.Field) and f.column)
    values = ", ".join(["%s"] * len(_COLUMNS))
    table = quote(meta.db_table)
    if asynchronous:
        # set_config(..., true) lasts for this statement's own transaction only.
        return (
            "WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) "  # noqa: S608
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM async"
        )
    return f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608


def usage_record(
    *,
    kind: str,
    user: AbstractBaseUser | AnonymousUser | None,
    session_key: str | None = None,
    place: Place | None = None,
    method: str = "",
    status_code: int | None = None,
    duration_ms: int | None = None,
    attempted_email: str = "",
    at: datetime | None = None,
) -> None:
    """Append one usage event: a single prepared INSERT, one round trip to the database.

    Not Model.save(): the ORM's per-save work (signals, SQL compilation, RETURNING the id) cost
    more than the INSERT itself (bench/RESULTS.md). Events are append-only, so nothing needs
    the instance back. On PostgreSQL, outside a transaction, the INSERT also skips waiting for
    the disk (synchronous_commit off for its own transaction only): a crash may lose the last
    fraction of a second of usage events, never corrupt anything. Inside someone else's
    transaction it is a plain INSERT, so their commit keeps its durability.
    """
    asynchronous = connection.vendor == "postgresql" and connection.get_autocommit()
    params = (
        kind,
        user.pk if user is not None and user.is_authenticated else None,
        attempted_email[:254],
        connection.ops.adapt_datetimefield_value(at or timezone.now()),
        place.area if place else "",
        place.path if place else "",
        method[:8],
        status_code,
        duration_ms,
        session_hash(session_key),
    )
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(asynchronous=asynchronous), params)


def usage_record_login(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """A successful sign-in on the login page (called after the session key was rotated)."""
    usage_record(
        kind=UsageEvent.Kind.LOGIN,
        user=user,
        session_key=request.session.session_key,
        place=place_of_match(request.resolver_match),
        method=request.method or "",
    )


def usage_record_login_failed(*, request: HttpRequest, email: str) -> None:
    """A failed sign-in: the person is known only if the typed address belongs to someone."""
    attempted = email.strip().lower()
    user = User.objects.filter(email__iexact=attempted).first() if attempted else None
    usage_record(
        kind=UsageEvent.Kind.LOGIN_FAILED,
        user=user,
        attempted_email=attempted,
        place=place_of_match(request.resolver_match),
        method=request.method or "",
    )


def usage_record_logout(
    *, user: AbstractBaseUser | AnonymousUser, session_key: str | None, timed_out: bool = False
) -> None:
    """The end of a browser session: signed out, or timed out by the session middleware."""
    usage_record(
        kind=UsageEvent.Kind.SESSION_TIMEOUT if timed_out else UsageEvent.Kind.LOGOUT,
        user=user,
        session_key=session_key,
    )


def usage_record_heartbeat(
    *, user: AbstractBaseUser | AnonymousUser, session_key: str | None, page_path: str
) -> None:
    """The page said its person interacted with it during the last minute."""
    usage_record(
        kind=UsageEvent.Kind.HEARTBEAT,
        user=user,
        session_key=session_key,
        place=place_of_path(page_path) if page_path.startswith("/") else None,
    )


def usage_purge(*, now: datetime | None = None) -> int:
    """Delete usage events older than RAPPORT_USAGE_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RAPPORT_USAGE_RETENTION_DAYS)
    deleted = 0
    # One DELETE per kind (the table has no dependants and no signals), each using the
    # (kind, at) index instead of scanning the whole table.
    for kind in UsageEvent.Kind.values:
        count, _ = UsageEvent.objects.filter(kind=kind, at__lt=cutoff).delete()
        deleted += count
    return deleted


class UsageSignInListener:
    """Records sign-ins, failed sign-ins and sign-outs (registered with rapport.access)."""

    def signed_in(self, *, request: HttpRequest, user: AbstractBaseUser) -> None:
        usage_record_login(request=request, user=user)

    def sign_in_failed(self, *, request: HttpRequest, email: str) -> None:
        usage_record_login_failed(request=request, email=email)

    def signed_out(
        self,
        *,
        user: AbstractBaseUser | AnonymousUser,
        session_key: str | None,
        timed_out: bool = False,
    ) -> None:
        usage_record_logout(user=user, session_key=session_key, timed_out=timed_out)


usage_sign_in_listener = UsageSignInListener()
