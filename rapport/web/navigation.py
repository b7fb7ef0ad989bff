"""The navigation of the shell, by role: people see the areas their work needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from rapport.access.models import User


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


def _item(label: str, url_name: str, icon: str, path: str, *, exact: bool = False) -> NavItem:
    url = reverse(url_name)
    active = path == url if exact else path.startswith(url)
    return NavItem(label=label, url=url, icon=icon, active=active)


def navigation_for(user: User, path: str) -> list[NavSection]:
    """The sections and links this person sees, with the current one marked."""
    sections = [
        NavSection(
            label="Work",
            items=(
                _item("My day", "web:home", "sun", path, exact=True),
                _item("People", "access:directory", "users", path),
            ),
        ),
    ]
    if user.is_administrator:
        sections.append(
            NavSection(
                label="Administration",
                items=(
                    _item("Users", "access:admin-users", "user-cog", path),
                    _item("Roles", "access:admin-roles", "shield", path),
                    _item("Teams", "access:admin-teams", "users-group", path),
                    _item("Offices", "access:admin-offices", "building", path),
                ),
            )
        )
    sections.append(
        NavSection(
            label="Developers",
            items=(_item("API docs", "api-docs", "code", path),),
        )
    )
    return sections
