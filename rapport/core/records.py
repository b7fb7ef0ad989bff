"""The record types Rapport knows, registered by the apps that own them.

Permissions, the audit trail, the recycle bin, search and (later) imports and exports all iterate
over this registry, so a new record type joins every one of them by registering once here.
A registry rather than imports: core sits below the apps whose records it describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class RecordType:
    """One kind of record, described for the shared engines."""

    key: str  # stable identifier used in URLs and permission settings, e.g. "team"
    model: type[models.Model]
    label: str  # singular, e.g. "Team"
    label_plural: str  # e.g. "Teams"
    # Path from the record to the user who owns it, for visibility scopes ("own", "team",
    # "subordinates"). "" means the record *is* a user; None means it has no owner, so only the
    # "all" scope (or none) applies.
    owner_path: str | None = None
    # Fields that field-level security may hide or make read-only, with their labels.
    secured_fields: tuple[str, ...] = ()
    # Whether deletes go to the recycle bin (users are deactivated, never deleted).
    deletable: bool = True
    # URL name of the record's page, taking the primary key as `pk` (None: no page yet).
    url_name: str | None = None
    # What each standard role may do with the type out of the box, e.g.
    # {"sales_rep": "cre:own", "*": "r:all"}: letters c(reate) r(ead) e(dit) d(elete), then the
    # visibility scope; "*" stands for every role not named. Administrators may change it later.
    default_access: Mapping[str, str] = field(default_factory=dict)
    # The app that owns the type (its migrations seed the default permissions).
    app_label: str = ""


_types: dict[str, RecordType] = {}


def register(record_type: RecordType) -> None:
    """Register a record type (once per key)."""
    if record_type.key in _types and _types[record_type.key].model is not record_type.model:
        raise ValueError(f"Record type {record_type.key!r} is already registered.")
    _types[record_type.key] = record_type


def get(key: str) -> RecordType:
    """The record type registered under `key` (KeyError when none is)."""
    return _types[key]


def for_model(model: type[models.Model]) -> RecordType:
    """The record type of a model class (KeyError when it is not a registered record type)."""
    for record_type in _types.values():
        if record_type.model is model or issubclass(model, record_type.model):
            return record_type
    raise KeyError(model.__name__)


def all_types() -> list[RecordType]:
    """Every registered record type, in registration order."""
    return list(_types.values())
