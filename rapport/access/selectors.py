"""Reads behind the people directory and the administration lists: filters kept in the URL.

Every read is scoped for the viewer through rapport.access.permissions: a record out of the
viewer's visibility scope is never listed, and a field hidden from the viewer's role is neither
shown nor matched by a text filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.core.paginator import Page, Paginator
from django.db.models import Count, Field, Model, Q, QuerySet
from django.http import QueryDict

from rapport.access import permissions
from rapport.access.models import (
    ApiToken,
    FieldPermission,
    Office,
    Role,
    RolePermission,
    Team,
    User,
    UserSession,
)
from rapport.core import records

PAGE_SIZE = 50

# Sort keys offered by the users list, mapped to the ordering they stand for.
USER_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("last_name", "first_name", "id"),
    "email": ("email",),
    "role": ("role__sort_order", "role__name", "last_name", "id"),
    "team": ("team__name", "last_name", "id"),
    "office": ("office__name", "last_name", "id"),
    "last_login": ("last_login", "id"),
}


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class UserFilters:
    """What a list of people is narrowed to, parsed once from the query string."""

    q: str = ""
    role: int | None = None
    team: int | None = None
    office: int | None = None
    manager: int | None = None
    status: str = "active"  # active, inactive or all
    sort: str = "name"

    @classmethod
    def from_query(cls, params: QueryDict, *, allow_inactive: bool) -> UserFilters:
        status = params.get("status", "active")
        if not allow_inactive or status not in {"active", "inactive", "all"}:
            status = "active"
        sort = params.get("sort", "name")
        if sort.removeprefix("-") not in USER_SORTS:
            sort = "name"
        return cls(
            q=params.get("q", "").strip()[:100],
            role=_int_or_none(params.get("role")),
            team=_int_or_none(params.get("team")),
            office=_int_or_none(params.get("office")),
            manager=_int_or_none(params.get("manager")),
            status=status,
            sort=sort,
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.role or self.team or self.office or self.manager)


TEXT_SEARCH_FIELDS = ("first_name", "last_name", "email", "title")


def _text_match(q: str, fields: list[str]) -> Q:
    """Every word must appear in one of the fields (name, e-mail or job title, unless hidden)."""
    return reduce(
        and_,
        (
            reduce(lambda a, b: a | b, (Q(**{f"{f}__icontains": w}) for f in fields))
            for w in q.split()
        ),
        Q(),
    )


def people_filtered(filters: UserFilters, *, viewer: User) -> QuerySet[User]:
    """People the viewer may see matching the filters, with what a row shows loaded up front."""
    users = permissions.scope_queryset(
        viewer, "user", User.objects.select_related("role", "team", "office", "manager")
    )
    if filters.status == "active":
        users = users.filter(is_active=True)
    elif filters.status == "inactive":
        users = users.filter(is_active=False)
    if filters.q:
        users = users.filter(
            _text_match(filters.q, permissions.visible_fields(viewer, "user", TEXT_SEARCH_FIELDS))
        )
    if filters.role:
        users = users.filter(role_id=filters.role)
    if filters.team:
        users = users.filter(team_id=filters.team)
    if filters.office:
        users = users.filter(office_id=filters.office)
    if filters.manager:
        users = users.filter(manager_id=filters.manager)
    sort = filters.sort
    if sort.removeprefix("-") in permissions.policy_for(viewer, "user").hidden_fields:
        sort = "name"  # sorting by a hidden field would reveal its values' order
    descending = sort.startswith("-")
    ordering = USER_SORTS[sort.removeprefix("-")]
    return users.order_by(*(f"-{f}" if descending else f for f in ordering))


def people_page(filters: UserFilters, page_number: str | None, *, viewer: User) -> Page[User]:
    """One page of people, with the fields hidden from the viewer emptied."""
    page = Paginator(people_filtered(filters, viewer=viewer), PAGE_SIZE).get_page(page_number)
    page.object_list = permissions.mask_hidden(viewer, "user", page.object_list)
    return page


@dataclass(frozen=True)
class FilterChoices:
    """The options of the filter bar: one query per kind."""

    roles: list[Role]
    teams: list[Team]
    offices: list[Office]


def filter_choices(*, viewer: User) -> FilterChoices:
    """The roles, teams and offices the viewer may see, to filter by."""
    return FilterChoices(
        roles=list(permissions.scope_queryset(viewer, "role", Role.objects.all())),
        teams=list(permissions.scope_queryset(viewer, "team", Team.objects.filter(is_active=True))),
        offices=list(
            permissions.scope_queryset(viewer, "office", Office.objects.filter(is_active=True))
        ),
    )


def person_detail(*, pk: int, viewer: User) -> User | None:
    """One person as the directory shows them, or None when the viewer may not see them.

    Deactivated people are shown only to administrators; hidden fields are emptied.
    """
    people = permissions.scope_queryset(
        viewer, "user", User.objects.select_related("role", "team", "office", "manager")
    )
    if not viewer.is_administrator:
        people = people.filter(is_active=True)
    found = people.filter(pk=pk).first()
    if found is None:
        return None
    return permissions.mask_hidden(viewer, "user", [found])[0]


def roles_with_counts(*, viewer: User) -> list[Role]:
    """The roles the viewer may see, with their active people counted; hidden fields emptied."""
    roles = Role.objects.annotate(active_users=Count("users", filter=Q(users__is_active=True)))
    return permissions.mask_hidden(
        viewer, "role", permissions.scope_queryset(viewer, "role", roles)
    )


def teams_with_counts(*, viewer: User) -> list[Team]:
    """The teams the viewer may see, with their active members counted; hidden fields emptied."""
    teams = Team.objects.select_related("office", "lead").annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    )
    return permissions.mask_hidden(
        viewer, "team", permissions.scope_queryset(viewer, "team", teams)
    )


def offices_with_counts(*, viewer: User) -> list[Office]:
    """The offices the viewer may see, with people and teams counted; hidden fields emptied."""
    offices = Office.objects.annotate(
        active_users=Count("users", filter=Q(users__is_active=True), distinct=True),
        team_count=Count("teams", distinct=True),
    )
    return permissions.mask_hidden(
        viewer, "office", permissions.scope_queryset(viewer, "office", offices)
    )


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def sessions_of(user: User) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user))


# The permission matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    """What one role may do with one record type, as the matrix page shows it."""

    record_type: str
    label: str
    can_create: bool
    can_read: bool
    can_edit: bool
    can_delete: bool
    scope: str

    @property
    def flags(self) -> tuple[tuple[str, bool], ...]:
        """(action, allowed) in the matrix's column order, for the page's checkboxes."""
        return (
            ("create", self.can_create),
            ("read", self.can_read),
            ("edit", self.can_edit),
            ("delete", self.can_delete),
        )


@dataclass(frozen=True)
class MatrixRow:
    role: Role
    cells: tuple[MatrixCell, ...]


def permission_matrix() -> list[MatrixRow]:
    """Every role and every record type (missing rules shown as no access): two queries."""
    rules = {(r.role_id, r.record_type): r for r in RolePermission.objects.all()}
    rows: list[MatrixRow] = []
    for role in Role.objects.all():
        cells = []
        for record_type in records.all_types():
            rule = rules.get((role.pk, record_type.key))
            cells.append(
                MatrixCell(
                    record_type=record_type.key,
                    label=str(record_type.label_plural),
                    can_create=bool(rule and rule.can_create),
                    can_read=bool(rule and rule.can_read),
                    can_edit=bool(rule and rule.can_edit),
                    can_delete=bool(rule and rule.can_delete),
                    scope=rule.scope if rule else RolePermission.Scope.OWN,
                )
            )
        rows.append(MatrixRow(role=role, cells=tuple(cells)))
    return rows


@dataclass(frozen=True)
class FieldRule:
    """One secured field of a record type and what a role may do with it."""

    record_type: str
    record_label: str
    field_name: str
    field_label: str
    access: str  # "" (visible and editable), "read_only" or "hidden"


def _field_label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def field_rules(role: Role) -> list[FieldRule]:
    """Every secured field of every record type, with the role's rule for it: one query."""
    rules = {
        (r.record_type, r.field_name): r.access for r in FieldPermission.objects.filter(role=role)
    }
    out: list[FieldRule] = []
    for record_type in records.all_types():
        for name in record_type.secured_fields:
            out.append(
                FieldRule(
                    record_type=record_type.key,
                    record_label=str(record_type.label),
                    field_name=name,
                    field_label=_field_label(record_type.model, name),
                    access=rules.get((record_type.key, name), ""),
                )
            )
    return out
