"""How the generated permission matrix exercises one record type (see test_permission_matrix)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

# A request body, or a function of the acting person returning one (for bodies naming records
# that must exist first, such as the account of a new contact).
Payload = dict[str, Any] | Callable[[Any], dict[str, Any]]


def payload(value: Payload, person: Any) -> dict[str, Any]:
    return value(person) if callable(value) else value


@dataclass(frozen=True)
class TypeSpec:
    """How to exercise one record type through the API and the pages."""

    # Makes the target record, owned by (or visible to) the acting person.
    make: Callable[[Any], Model]
    api_create: Payload
    api_edit: Payload
    ui_create: Payload
    ui_edit: Payload
    # Page paths ({pk} filled in); None where the pages offer no such action.
    ui: dict[str, str | None] = field(default_factory=dict)
    # Whether a page is in the administration area (administrators only, on top of the rules).
    ui_admin_area: frozenset[str] = frozenset()
    api_delete_action: str | None = None  # a POST action standing for delete, e.g. "deactivate"
