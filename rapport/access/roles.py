"""The standard roles every Rapport starts with (administrators may rename or extend them)."""

from __future__ import annotations

from typing import Any, NamedTuple


class StandardRole(NamedTuple):
    key: str
    name: str
    description: str
    is_admin: bool
    is_manager: bool
    is_read_only: bool


STANDARD_ROLES: tuple[StandardRole, ...] = (
    StandardRole(
        "sales_rep",
        "Sales Rep",
        "Works leads and opportunities through the pipeline.",
        False,
        False,
        False,
    ),
    StandardRole(
        "sales_manager",
        "Sales Manager",
        "Leads a sales team; reviews pipeline, KPIs and exceptions.",
        False,
        True,
        False,
    ),
    StandardRole("service_agent", "Service Agent", "Resolves customer cases.", False, False, False),
    StandardRole(
        "service_manager",
        "Service Manager",
        "Leads service agents; owns queues, SLAs and escalations.",
        False,
        True,
        False,
    ),
    StandardRole(
        "marketing",
        "Marketing",
        "Runs campaigns and segments; hands qualified leads to sales.",
        False,
        False,
        False,
    ),
    StandardRole(
        "executive",
        "Executive",
        "Oversees the business through dashboards and reviews.",
        False,
        True,
        False,
    ),
    StandardRole(
        "administrator",
        "Administrator",
        "Manages users, roles, teams, offices and settings.",
        True,
        False,
        False,
    ),
    StandardRole(
        "read_only",
        "Read-only",
        "Looks at records and reports but never changes them.",
        False,
        False,
        True,
    ),
    # Last, so the roles seeded before it keep their place (sort_order) in existing databases.
    StandardRole(
        "data_steward",
        "Data Steward",
        "Keeps the data clean: decides suggested corrections, reviews duplicates and merges, owns "
        "the field glossary.",
        False,
        False,
        False,
    ),
)


DATA_STEWARD = "data_steward"


def is_data_steward(user: Any) -> bool:
    """Administrators and people in the Data Steward role: they decide any suggested correction,
    edit the glossary and merge the duplicates they may edit (without needing delete rights)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_administrator", False):
        return True
    role = getattr(user, "role", None)
    return role is not None and role.key == DATA_STEWARD


def ensure_standard_roles(role_model: Any) -> int:
    """Create the standard roles that are missing (by key); return how many were created.

    Takes the model so the data migration can pass its historical model.
    """
    created = 0
    for order, role in enumerate(STANDARD_ROLES):
        _obj, was_created = role_model.objects.get_or_create(
            key=role.key,
            defaults={
                "name": role.name,
                "description": role.description,
                "is_admin": role.is_admin,
                "is_manager": role.is_manager,
                "is_read_only": role.is_read_only,
                "sort_order": order * 10,
            },
        )
        created += was_created
    return created
