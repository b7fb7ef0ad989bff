"""The navigation of the shell, by role: people see the areas their work needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from rapport.access.models import User


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str  # a heroicons outline name
    active: bool


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


def _item(
    label: str, url_name: str, icon: str, path: str, *, exact: bool = False, query: str = ""
) -> NavItem:
    url = reverse(url_name)
    active = path == url if exact else path.startswith(url)
    return NavItem(label=label, url=url + query, icon=icon, active=active)


def navigation_for(user: User, path: str) -> list[NavSection]:
    """The sections and links this person sees, with the current one marked."""
    work: list[NavItem] = [
        _item("My day", "web:home", "sun", path, exact=True),
        _item("People", "access:directory", "users", path),
        _item("Search", "web:search", "magnifying-glass", path),
    ]
    sections = [NavSection(label="Work", items=tuple(work))]
    if user.is_administrator:
        sections.append(
            NavSection(
                label="Administration",
                items=(
                    _item("Users", "access:admin-users", "identification", path),
                    _item("Roles", "access:admin-roles", "shield-check", path),
                    _item("Teams", "access:admin-teams", "user-group", path),
                    _item("Offices", "access:admin-offices", "building-office", path),
                    _item("Permissions", "access:admin-permissions", "lock-closed", path),
                    _item("Picklists", "core:picklists", "list-bullet", path),
                    _item("Recycle bin", "core:recycle-bin", "trash", path),
                ),
            )
        )
    sections.append(
        NavSection(
            label="You",
            items=(
                _item("Profile & tokens", "access:profile", "user-circle", path),
                _item("API docs", "api-docs", "code-bracket", path),
            ),
        )
    )
    return sections
