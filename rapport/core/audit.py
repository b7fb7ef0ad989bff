"""The audit trail: who changed which record, when, and each changed field's old and new value.

Services write entries in the same transaction as the change they describe:

    before = snapshot(team)
    ...change and save the team...
    audit_record(obj=team, acting_user=acting_user, action=AuditEntry.Action.UPDATE,
                 changes=diff(before, snapshot(team)))

An update that changed nothing writes nothing. Readers go through `history_for`, which applies
the viewer's field-level security: a field hidden from a role never appears in its history.
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from rapport.core import records
from rapport.core.models import AuditEntry
from rapport.lib.security import client_ip

# The request being served, set by rapport.core.middleware.AuditContextMiddleware, so entries
# written while serving it carry its address and id without every service taking the request.
current_request: ContextVar[HttpRequest | None] = ContextVar("rapport_audit_request", default=None)

# Never copied into the audit trail: secrets, bookkeeping, and the soft-delete markers (the
# delete and restore entries say that much).
UNAUDITED_FIELDS = frozenset(
    {
        "id",
        "password",
        "last_login",
        "created_at",
        "updated_at",
        "deleted_at",
        "deleted_by",
        "key_digest",
        "last_used_at",
    }
)

# Said instead of a secret's value, e.g. when a password is set.
SECRET_CHANGED = "(changed)"  # noqa: S105 - a marker, not a secret

Json = None | bool | int | float | str | list[Any] | dict[str, Any]
Changes = dict[str, dict[str, Json]]


def audited_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of `model` whose changes the audit trail records."""
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.name not in UNAUDITED_FIELDS and not field.auto_created
    )


def _json_value(value: Any) -> Json:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)[:255]}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    # Country objects, lazy strings and the like: their text form is what people read.
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Json]:
    """The JSON-safe values of `fields` (default: every audited field) of `obj`.

    A foreign key becomes {"id", "repr"}, so history reads well after the target is renamed.
    """
    names = tuple(fields) if fields is not None else audited_fields(obj.__class__)
    values: dict[str, Json] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            if getattr(obj, field.attname) is None:
                values[name] = None
            else:
                values[name] = _json_value(getattr(obj, name))
        else:
            values[name] = _json_value(getattr(obj, name))
    return values


def _is_reference(value: Json) -> bool:
    """A foreign key's snapshot ({"id", "repr"}), not a JSON field's value that happens to be
    a dict."""
    return isinstance(value, dict) and value.keys() == {"id", "repr"}


def diff(before: dict[str, Json], after: dict[str, Json]) -> Changes:
    """{field: {"old", "new"}} for every field whose value differs between two snapshots."""
    changes: Changes = {}
    for name in after.keys() | before.keys():
        old, new = before.get(name), after.get(name)
        if (
            isinstance(old, dict)
            and isinstance(new, dict)
            and _is_reference(old)
            and _is_reference(new)
            and old["id"] == new["id"]
        ):
            continue  # the same related record (its name may have changed since, elsewhere)
        if old != new:
            changes[name] = {"old": old, "new": new}
    return dict(sorted(changes.items()))


def created(obj: models.Model, fields: Iterable[str] | None = None) -> Changes:
    """The changes of a creation: every non-empty field, from nothing to its value."""
    return {
        name: {"old": None, "new": value}
        for name, value in snapshot(obj, fields).items()
        if value not in (None, "")
    }


def record_type_key(obj: models.Model) -> str:
    """The registry key of a record's type, or the model name for types not registered."""
    model = obj.__class__  # not type(obj): request.user is a lazy proxy of the user
    try:
        return records.for_model(model).key
    except KeyError:
        return model._meta.model_name or model.__name__.lower()


def audit_record(
    *,
    obj: models.Model,
    acting_user: models.Model | None,
    action: str,
    changes: Changes | None = None,
    record_type: str | None = None,
    ip_address: str | None = None,
    request_id: str = "",
) -> AuditEntry | None:
    """Append one entry to the audit trail; None (and nothing written) for an empty update.

    Call it inside the transaction that makes the change, so both happen or neither does.
    """
    changes = changes or {}
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    request = current_request.get()
    if request is not None:
        if ip_address is None:
            ip_address = _valid_ip(
                client_ip(
                    remote_addr=request.META.get("REMOTE_ADDR"),
                    forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
                    trusted_proxies=settings.RAPPORT_TRUSTED_PROXIES,
                )
            )
        request_id = request_id or request_id_of(request)
    actor: Any = acting_user if acting_user is not None and acting_user.pk is not None else None
    return AuditEntry.objects.create(
        record_type=record_type or record_type_key(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        action=action,
        actor=actor,
        changes=changes,
        ip_address=ip_address,
        request_id=request_id[:64],
    )


def _valid_ip(value: str | None) -> str | None:
    # A forwarded address is whatever the proxy passed on: keep it only if it is an address.
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def request_id_of(request: HttpRequest) -> str:
    """The request's id: the proxy's X-Request-ID when there is one, else one made up once."""
    existing = getattr(request, "_rapport_request_id", None)
    if existing is None:
        header = request.META.get("HTTP_X_REQUEST_ID", "")[:64]
        existing = header if header.isprintable() and header else uuid.uuid4().hex
        request._rapport_request_id = existing  # type: ignore[attr-defined]
    return str(existing)


# Field-level security and read access, registered by the app that decides permissions (access):
# core sits below it and cannot import it.
HiddenFields = Callable[[Any, str], Iterable[str]]
CanRead = Callable[[Any, models.Model], bool]
_hidden_fields: list[HiddenFields] = []
_can_read: list[CanRead] = []


def register_hidden_fields(function: HiddenFields) -> None:
    """Register `function(viewer, record_type_key)` → the fields hidden from that viewer."""
    if function not in _hidden_fields:
        _hidden_fields.append(function)


def register_can_read(function: CanRead) -> None:
    """Register `function(viewer, record)` → whether the viewer may read that record."""
    if function not in _can_read:
        _can_read.append(function)


def hidden_fields(viewer: Any, record_type: str) -> frozenset[str]:
    """Every field hidden from `viewer` on records of `record_type`."""
    hidden: set[str] = set()
    for function in _hidden_fields:
        hidden.update(function(viewer, record_type))
    return frozenset(hidden)


def can_read(viewer: Any, record: models.Model) -> bool:
    """Whether `viewer` may read `record` (every registered check must agree)."""
    return all(function(viewer, record) for function in _can_read)


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry as a viewer may see it (hidden fields removed)."""

    id: int
    action: str
    action_label: str
    actor_id: int | None
    actor_name: str
    at: datetime.datetime
    changes: Changes

    @property
    def change_list(self) -> list[tuple[str, Json, Json]]:
        return [(name, change["old"], change["new"]) for name, change in self.changes.items()]


class HistoryNotFoundError(Exception):
    """The record does not exist, or the viewer may not read it (the same answer, on purpose)."""


def history_record(*, record_type: str, object_id: int, viewer: Any) -> models.Model:
    """The record whose history `viewer` asks for; HistoryNotFoundError when it may not be read."""
    try:
        model = records.get(record_type).model
    except KeyError as error:
        raise HistoryNotFoundError(record_type) from error
    record = model._default_manager.filter(pk=object_id).first()
    if record is None or not getattr(viewer, "is_authenticated", False):
        raise HistoryNotFoundError(record_type)
    if not can_read(viewer, record):
        raise HistoryNotFoundError(record_type)
    return record


def history_for(*, record_type: str, object_id: int, viewer: Any) -> list[HistoryEntry]:
    """The history of one record, newest first, without the fields hidden from `viewer`.

    Raises HistoryNotFoundError when the record does not exist or the viewer may not read it.
    """
    history_record(record_type=record_type, object_id=object_id, viewer=viewer)
    hidden = hidden_fields(viewer, record_type)
    entries = AuditEntry.objects.for_record(record_type, object_id).select_related("actor")
    shown: list[HistoryEntry] = []
    for entry in entries:
        changes = {k: v for k, v in (entry.changes or {}).items() if k not in hidden}
        if entry.action == AuditEntry.Action.UPDATE and not changes:
            continue  # only hidden fields changed: for this viewer nothing happened
        shown.append(
            HistoryEntry(
                id=entry.pk,
                action=entry.action,
                action_label=str(entry.get_action_display()),
                actor_id=entry.actor_id,
                actor_name=str(entry.actor) if entry.actor is not None else "System",
                at=entry.at,
                changes=changes,
            )
        )
    return shown
