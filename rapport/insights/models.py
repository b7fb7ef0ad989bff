"""Usage events: the append-only record of how people use Rapport (the raw material of adoption).

One narrow row per event, written with a single INSERT; never updated. Nothing here holds personal
data beyond the user: paths are URL templates (`people/<int:pk>/`), never raw URLs or query strings,
and sessions are identified by a keyed hash of their key, never the key itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Usage events are never changed once written."""


class UsageEventQuerySet(models.QuerySet["UsageEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Usage events are append-only: they cannot be updated.")

    def for_sessions(self) -> UsageEventQuerySet:
        """Events that place a person in front of a page: the input of active time."""
        return self.filter(kind__in=UsageEvent.SESSION_KINDS).exclude(session_hash="")


class UsageEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOGOUT = "logout", _("Signed out")
        PAGE_VIEW = "page_view", _("Page view")
        API_CALL = "api_call", _("API call")
        HEARTBEAT = "heartbeat", _("Heartbeat")
        SESSION_TIMEOUT = "session_timeout", _("Session timed out")

    # Kinds that show a person at a page in a browser session; active time is measured over them.
    SESSION_KINDS = (Kind.LOGIN, Kind.PAGE_VIEW, Kind.HEARTBEAT)

    id = models.BigAutoField(
        _("id"), primary_key=True, help_text=_("The event's number, in the order events came in.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("What happened: a sign-in, a page view, an API call, a heartbeat, …"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="usage_events",
        # The (user, at) index serves every lookup by user; a second one would only slow inserts.
        db_index=False,
        help_text=_("Who did it; empty for a failed sign-in with an unknown address."),
    )
    attempted_email = models.CharField(
        _("attempted e-mail"),
        max_length=254,
        blank=True,
        help_text=_("The address typed into a failed sign-in (lower-cased)."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, help_text=_("When it happened."))
    area = models.CharField(
        _("area"),
        max_length=64,
        blank=True,
        help_text=_(
            "The part of Rapport used, from the page's address: e.g. people, admin, profile, "
            "or api:users for the API."
        ),
    )
    path = models.CharField(
        _("path"),
        max_length=255,
        blank=True,
        help_text=_(
            "The address pattern of the page or API endpoint (e.g. people/<int:pk>/), "
            "never the address itself, so no personal data is kept."
        ),
    )
    method = models.CharField(
        _("method"), max_length=8, blank=True, help_text=_("The HTTP method of the request.")
    )
    status_code = models.PositiveSmallIntegerField(
        _("status code"),
        null=True,
        blank=True,
        help_text=_("The HTTP status Rapport answered with."),
    )
    duration_ms = models.PositiveIntegerField(
        _("duration (ms)"),
        null=True,
        blank=True,
        help_text=_("How long Rapport took to answer, in milliseconds."),
    )
    session_hash = models.CharField(
        _("session"),
        max_length=32,
        blank=True,
        help_text=_(
            "A keyed hash of the browser session, to group events into sessions "
            "without storing the session key."
        ),
    )

    objects = UsageEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        indexes = [
            models.Index(fields=["user", "at"], name="insights_usage_user_at"),
            # Also serves the purge, which deletes by age one kind at a time.
            models.Index(fields=["kind", "at"], name="insights_usage_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Usage events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)
