"""The navigation of the shell, by role: people see the areas their work needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from rapport.access import permissions
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


def _items(path: str, *specs: tuple[str, str, str]) -> list[NavItem]:
    """Items for the pages that exist (an app may not be installed in every deployment)."""
    found = []
    for label, url_name, icon in specs:
        try:
            found.append(_item(label, url_name, icon, path))
        except NoReverseMatch:
            continue
    return found


def navigation_for(user: User, path: str) -> list[NavSection]:
    """The sections and links this person sees, with the current one marked."""
    work: list[NavItem] = [
        _item("My day", "web:home", "sun", path, exact=True),
        *_items(
            path,
            ("Leads", "leads:lead-list", "funnel"),
            ("Accounts", "customers:account-list", "building-office-2"),
            ("Contacts", "customers:contact-list", "identification"),
            ("Opportunities", "pipeline:opportunity-list", "currency-dollar"),
            ("Pipeline board", "pipeline:board", "view-columns"),
            ("Activities", "activities:activity-list", "calendar-days"),
            ("Orders", "pipeline:order-list", "shopping-cart"),
        ),
        _item("People", "access:directory", "users", path),
        _item("Search", "web:search", "magnifying-glass", path),
    ]
    if not user.is_administrator and permissions.policy_for(user, "web_form").can("create"):
        # Marketing runs the web-to-lead forms without administering anything else.
        work += _items(path, ("Web forms", "leads:web-form-list", "globe-alt"))
    sections = [NavSection(label="Work", items=tuple(work))]
    clean_data = _items(
        path,
        ("Data quality", "scores:dashboard", "chart-bar"),
        ("Duplicates", "dedupe:queue", "document-duplicate"),
        ("Corrections", "cleaning:corrections", "flag"),
        ("Stale data", "cleaning:stale", "clock"),
        ("Glossary", "cleaning:glossary", "book-open"),
        ("Imports", "imports:list", "arrow-up-tray"),
    )
    if clean_data:
        sections.append(NavSection(label="Clean data", items=tuple(clean_data)))
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
                    *_items(
                        path,
                        ("Stages & steps", "pipeline:stage-list", "chevron-double-right"),
                        ("Qualification", "leads:question-list", "clipboard-document-check"),
                        ("Web forms", "leads:web-form-list", "globe-alt"),
                        ("Products", "pipeline:product-list", "cube"),
                        ("Price lists", "pipeline:price-list-list", "tag"),
                        ("Validation rules", "rules:rule-list", "check-badge"),
                        ("Turnover", "scores:turnover", "arrows-right-left"),
                    ),
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
