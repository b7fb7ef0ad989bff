"""Reads behind the people directory and the administration lists: filters kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from rapport.access.models import ApiToken, Office, Role, Team, User, UserSession

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


def _text_match(q: str) -> Q:
    """Every word must appear in the name, e-mail or job title."""
    words = q.split()
    return reduce(
        and_,
        (
            Q(first_name__icontains=w)
            | Q(last_name__icontains=w)
            | Q(email__icontains=w)
            | Q(title__icontains=w)
            for w in words
        ),
        Q(),
    )


def people_filtered(filters: UserFilters) -> QuerySet[User]:
    """People matching the filters, with what a list row shows loaded up front."""
    users = User.objects.select_related("role", "team", "office", "manager")
    if filters.status == "active":
        users = users.filter(is_active=True)
    elif filters.status == "inactive":
        users = users.filter(is_active=False)
    if filters.q:
        users = users.filter(_text_match(filters.q))
    if filters.role:
        users = users.filter(role_id=filters.role)
    if filters.team:
        users = users.filter(team_id=filters.team)
    if filters.office:
        users = users.filter(office_id=filters.office)
    if filters.manager:
        users = users.filter(manager_id=filters.manager)
    descending = filters.sort.startswith("-")
    ordering = USER_SORTS[filters.sort.removeprefix("-")]
    return users.order_by(*(f"-{f}" if descending else f for f in ordering))


def people_page(filters: UserFilters, page_number: str | None) -> Page[User]:
    return Paginator(people_filtered(filters), PAGE_SIZE).get_page(page_number)


@dataclass(frozen=True)
class FilterChoices:
    """The options of the filter bar: one query per kind."""

    roles: list[Role]
    teams: list[Team]
    offices: list[Office]


def filter_choices() -> FilterChoices:
    return FilterChoices(
        roles=list(Role.objects.all()),
        teams=list(Team.objects.filter(is_active=True)),
        offices=list(Office.objects.filter(is_active=True)),
    )


def person_detail(*, pk: int, viewer: User) -> User | None:
    """One person as the directory shows them; deactivated people only to administrators."""
    people = User.objects.select_related("role", "team", "office", "manager")
    if not viewer.is_administrator:
        people = people.filter(is_active=True)
    return people.filter(pk=pk).first()


def roles_with_counts() -> QuerySet[Role]:
    return Role.objects.annotate(active_users=Count("users", filter=Q(users__is_active=True)))


def teams_with_counts() -> QuerySet[Team]:
    return Team.objects.select_related("office", "lead").annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    )


def offices_with_counts() -> QuerySet[Office]:
    return Office.objects.annotate(
        active_users=Count("users", filter=Q(users__is_active=True), distinct=True),
        team_count=Count("teams", distinct=True),
    )


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def sessions_of(user: User) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user))
