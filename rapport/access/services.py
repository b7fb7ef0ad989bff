"""Writes for users, roles, teams, offices, sessions and API tokens.

Every write takes keyword-only arguments and the acting user, so the trust layer can add its audit
entry in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from rapport.access.authentication import client_ip_address
from rapport.access.models import ApiToken, Office, Role, Team, User, UserSession
from rapport.access.permissions import permissions_ensure_defaults
from rapport.core.audit import SECRET_CHANGED, audit_record, created, diff, snapshot
from rapport.core.models import AuditEntry
from rapport.core.recycle import record_soft_delete

Action = AuditEntry.Action

USER_EDITABLE_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "title",
    "phone",
    "role",
    "team",
    "office",
    "location",
    "grade",
    "manager",
    "external_id",
)
PROFILE_EDITABLE_FIELDS = ("first_name", "last_name", "title", "phone", "location")


def _apply(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed fields that differ; return the names of those that changed."""
    changed: list[str] = []
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{type(obj).__name__}.{name} cannot be changed here.")
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def user_create(
    *, acting_user: User | None, email: str, password: str | None = None, **fields: Any
) -> User:
    """Create a user; without a password the user must set one before signing in."""
    user = User(email=email)
    _apply(user, fields, USER_EDITABLE_FIELDS)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(obj=user, acting_user=acting_user, action=Action.CREATE, changes=created(user))
    return user


@transaction.atomic
def user_update(*, acting_user: User | None, user: User, **fields: Any) -> User:
    """Change a user's details; only the fields that differ are written."""
    before = snapshot(user, USER_EDITABLE_FIELDS)
    changed = _apply(user, fields, USER_EDITABLE_FIELDS)
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=[*changed, "updated_at"])
        changes = diff(before, snapshot(user, USER_EDITABLE_FIELDS))
        audit_record(obj=user, acting_user=acting_user, action=Action.UPDATE, changes=changes)
    return user


@transaction.atomic
def profile_update(*, acting_user: User, **fields: Any) -> User:
    """A person changing their own details (never role, team or manager)."""
    before = snapshot(acting_user, PROFILE_EDITABLE_FIELDS)
    changed = _apply(acting_user, fields, PROFILE_EDITABLE_FIELDS)
    if changed:
        acting_user.full_clean(exclude=["password"])
        acting_user.save(update_fields=[*changed, "updated_at"])
        audit_record(
            obj=acting_user,
            acting_user=acting_user,
            action=Action.UPDATE,
            changes=diff(before, snapshot(acting_user, PROFILE_EDITABLE_FIELDS)),
        )
    return acting_user


def _end_sessions(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete the user's browser sessions except `keep_session_key`; return how many ended."""
    tracked = UserSession.objects.filter(user=user)
    if keep_session_key:
        tracked = tracked.exclude(session_key=keep_session_key)
    keys = list(tracked.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    tracked.delete()
    return len(keys)


@transaction.atomic
def user_deactivate(*, acting_user: User | None, user: User) -> User:
    """Stop a person signing in: end their sessions, revoke their API tokens; delete nothing."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValueError("You cannot deactivate yourself.")
    now = timezone.now()
    if user.is_active:
        user.is_active = False
        user.deactivated_at = now
        user.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        audit_record(
            obj=user,
            acting_user=acting_user,
            action=Action.DEACTIVATE,
            changes={"is_active": {"old": True, "new": False}},
        )
    _end_sessions(user=user)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    return user


@transaction.atomic
def user_reactivate(*, acting_user: User | None, user: User) -> User:
    """Let a deactivated person sign in again (their old tokens stay revoked)."""
    if not user.is_active:
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        audit_record(
            obj=user,
            acting_user=acting_user,
            action=Action.REACTIVATE,
            changes={"is_active": {"old": False, "new": True}},
        )
    return user


@transaction.atomic
def user_set_password(
    *, acting_user: User, user: User, password: str, request: HttpRequest | None = None
) -> User:
    """Set a new password and end every other session of that user.

    When people change their own password from a browser, that session survives (Django's
    update_session_auth_hash); every other session of theirs ends.
    """
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    # The trail says that the password changed, never what it was or became.
    audit_record(
        obj=user,
        acting_user=acting_user,
        action=Action.UPDATE,
        changes={"password": {"old": SECRET_CHANGED, "new": SECRET_CHANGED}},
    )
    keep: str | None = None
    if request is not None and request.user.pk == user.pk:
        old_key = request.session.session_key
        # update_session_auth_hash() also gives this session a new key: follow it, so the session
        # stays tracked (and is ended by a later deactivation).
        update_session_auth_hash(request, user)
        keep = request.session.session_key
        if old_key and keep:
            UserSession.objects.filter(session_key=old_key).update(session_key=keep)
    _end_sessions(user=user, keep_session_key=keep)
    return user


def session_record_login(*, request: HttpRequest, user: User) -> UserSession:
    """Remember a new browser session of the user (called right after django.contrib.auth.login)."""
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    assert key is not None
    now = timezone.now()
    request.session["rapport_login_at"] = now.timestamp()
    request.session["rapport_seen_at"] = now.timestamp()
    session, _created = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip_address": client_ip_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
        },
    )
    return session


def session_forget(*, session_key: str | None) -> None:
    """Drop the record of a session that ended (logout, timeout)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@dataclass(frozen=True)
class SessionPurge:
    """What a purge removed."""

    sessions: int
    tracked_sessions: int
    login_records: int


# Margin for the once-a-minute last_seen_at writes: a session seen this recently may still be alive.
_SEEN_AT_SLACK = timedelta(minutes=2)


@transaction.atomic
def session_purge(*, now: datetime | None = None) -> SessionPurge:
    """Delete dead sessions and login records older than RAPPORT_LOGIN_RECORDS_DAYS.

    Dead means: past the session store's expiry, or idle or older than the timeouts the
    middleware enforces (whose stored expiry can still lie ahead). Tracked sessions whose browser
    session is gone are dropped too.
    """
    now = now or timezone.now()
    idle_cutoff = now - settings.SESSION_IDLE_TIMEOUT - _SEEN_AT_SLACK
    absolute_cutoff = now - settings.SESSION_ABSOLUTE_TIMEOUT
    timed_out = UserSession.objects.filter(
        Q(last_seen_at__lt=idle_cutoff) | Q(created_at__lt=absolute_cutoff)
    ).values_list("session_key", flat=True)
    sessions, _ = Session.objects.filter(
        Q(expire_date__lt=now) | Q(session_key__in=list(timed_out))
    ).delete()
    tracked, _ = UserSession.objects.exclude(
        session_key__in=Session.objects.values("session_key")
    ).delete()
    cutoff = now - timedelta(days=settings.RAPPORT_LOGIN_RECORDS_DAYS)
    records = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        records += deleted
    return SessionPurge(sessions=sessions, tracked_sessions=tracked, login_records=records)


# What the trail keeps of a token: never its digest.
TOKEN_AUDITED_FIELDS = ("user", "name", "key_prefix", "expires_at")


@dataclass(frozen=True)
class NewApiToken:
    """A freshly created token: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(
    *, acting_user: User | None, user: User, name: str, expires_at: datetime | None = None
) -> NewApiToken:
    """Create a personal API token for `user`; only its digest is stored."""
    if not user.is_active:
        raise ValueError(f"{user.email} is deactivated and cannot get API tokens.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("The expiry date must be in the future.")
    if not name.strip():
        raise ValueError("Give the token a name that says what it is for.")
    secret = ApiToken.generate_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_prefix=secret[: len(ApiToken.PREFIX) + 6],
        key_digest=ApiToken.digest(secret),
        expires_at=expires_at,
    )
    audit_record(
        obj=token,
        acting_user=acting_user,
        action=Action.CREATE,
        changes=created(token, TOKEN_AUDITED_FIELDS),
        record_type="token",
    )
    return NewApiToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, acting_user: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            obj=token,
            acting_user=acting_user,
            action=Action.UPDATE,
            changes={"revoked_at": {"old": None, "new": token.revoked_at.isoformat()}},
            record_type="token",
        )
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The usable token behind `secret`, or None; marks it used at most once a minute."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__role")
        .filter(key_digest=ApiToken.digest(secret))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


ROLE_FIELDS = (
    "key",
    "name",
    "description",
    "is_admin",
    "is_manager",
    "is_read_only",
    "sort_order",
    "external_id",
)
TEAM_FIELDS = ("name", "description", "office", "lead", "is_active", "external_id")
OFFICE_FIELDS = ("name", "city", "country", "timezone", "is_active", "external_id")


@transaction.atomic
def role_create(*, acting_user: User | None, **fields: Any) -> Role:
    role = Role()
    _apply(role, fields, ROLE_FIELDS)
    role.full_clean()
    role.save()
    audit_record(
        obj=role, acting_user=acting_user, action=Action.CREATE, changes=created(role, ROLE_FIELDS)
    )
    # A new role starts with the default rules (reading the organisation) until an
    # administrator changes them in the permission matrix.
    permissions_ensure_defaults(roles=[role])
    return role


@transaction.atomic
def role_update(*, acting_user: User | None, role: Role, **fields: Any) -> Role:
    before = snapshot(role, ROLE_FIELDS)
    if changed := _apply(role, fields, ROLE_FIELDS):
        role.full_clean()
        role.save(update_fields=[*changed, "updated_at"])
        changes = diff(before, snapshot(role, ROLE_FIELDS))
        audit_record(obj=role, acting_user=acting_user, action=Action.UPDATE, changes=changes)
    return role


@transaction.atomic
def team_create(*, acting_user: User | None, **fields: Any) -> Team:
    team = Team()
    _apply(team, fields, TEAM_FIELDS)
    team.full_clean()
    team.save()
    audit_record(
        obj=team, acting_user=acting_user, action=Action.CREATE, changes=created(team, TEAM_FIELDS)
    )
    return team


@transaction.atomic
def team_update(*, acting_user: User | None, team: Team, **fields: Any) -> Team:
    before = snapshot(team, TEAM_FIELDS)
    if changed := _apply(team, fields, TEAM_FIELDS):
        team.full_clean()
        team.save(update_fields=[*changed, "updated_at"])
        changes = diff(before, snapshot(team, TEAM_FIELDS))
        audit_record(obj=team, acting_user=acting_user, action=Action.UPDATE, changes=changes)
    return team


@transaction.atomic
def office_create(*, acting_user: User | None, **fields: Any) -> Office:
    office = Office()
    _apply(office, fields, OFFICE_FIELDS)
    office.full_clean()
    office.save()
    audit_record(
        obj=office,
        acting_user=acting_user,
        action=Action.CREATE,
        changes=created(office, OFFICE_FIELDS),
    )
    return office


@transaction.atomic
def office_update(*, acting_user: User | None, office: Office, **fields: Any) -> Office:
    before = snapshot(office, OFFICE_FIELDS)
    if changed := _apply(office, fields, OFFICE_FIELDS):
        office.full_clean()
        office.save(update_fields=[*changed, "updated_at"])
        changes = diff(before, snapshot(office, OFFICE_FIELDS))
        audit_record(obj=office, acting_user=acting_user, action=Action.UPDATE, changes=changes)
    return office


class RoleInUseError(Exception):
    """A role cannot go to the recycle bin while people have it."""


@transaction.atomic
def role_delete(*, acting_user: User | None, role: Role) -> Role:
    """Move a role to the recycle bin; refused while anyone (active or not) has it."""
    holders = User.objects.filter(role=role).count()
    if holders:
        raise RoleInUseError(
            f"{holders} {'person has' if holders == 1 else 'people have'} the role “{role}”: "
            "give them another role first."
        )
    record_soft_delete(obj=role, acting_user=acting_user)
    return role


@transaction.atomic
def team_delete(*, acting_user: User | None, team: Team) -> Team:
    """Move a team to the recycle bin; its members keep it, so a restore brings it back whole."""
    record_soft_delete(obj=team, acting_user=acting_user)
    return team


@transaction.atomic
def office_delete(*, acting_user: User | None, office: Office) -> Office:
    """Move an office to the recycle bin; its people and teams keep it until it is purged."""
    record_soft_delete(obj=office, acting_user=acting_user)
    return office
