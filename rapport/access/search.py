"""What the global search box finds in access: people and teams.

Deactivated people and disbanded teams stay findable by administrators only: they manage them,
while everyone else looks for colleagues they can work with. Hits are limited to the records the
searcher may see (rapport.access.permissions), and a field hidden from their role is neither
matched nor shown.
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Q
from django.urls import reverse

from rapport.access import permissions
from rapport.access.models import Team, User
from rapport.core.search import SearchHit


def _all_words(query: str, fields: list[str]) -> Q:
    """Every word of the query must appear in one of the fields."""
    if not fields:
        return Q(pk__in=[])
    return reduce(
        and_,
        (
            reduce(lambda a, b: a | b, (Q(**{f"{f}__icontains": w}) for f in fields))
            for w in query.split()
        ),
        Q(),
    )


def search_users(user: User, query: str, limit: int) -> list[SearchHit]:
    fields = permissions.visible_fields(user, "user", ("first_name", "last_name", "email", "title"))
    people = permissions.scope_queryset(
        user, "user", User.objects.select_related("team", "role").filter(_all_words(query, fields))
    )
    if not user.is_administrator:
        people = people.filter(is_active=True)
    found = people.order_by("-is_active", "last_name", "first_name", "id")[:limit]
    hits: list[SearchHit] = []
    for person in permissions.mask_hidden(user, "user", found):
        details = [person.title or (person.role.name if person.role else ""), person.email]
        if person.team is not None:
            details.append(person.team.name)
        if not person.is_active:
            details.append("deactivated")
        hits.append(
            SearchHit(
                kind="user",
                kind_label="Person",
                record_id=person.pk,
                title=person.get_full_name() or person.email,
                subtitle=" · ".join(d for d in details if d),
                url=reverse("access:person", args=[person.pk]),
            )
        )
    return hits


def search_teams(user: User, query: str, limit: int) -> list[SearchHit]:
    teams = permissions.scope_queryset(
        user,
        "team",
        Team.objects.select_related("office").filter(
            _all_words(query, permissions.visible_fields(user, "team", ("name",)))
        ),
    )
    if not user.is_administrator:
        teams = teams.filter(is_active=True)
    directory = reverse("access:directory")
    return [
        SearchHit(
            kind="team",
            kind_label="Team",
            record_id=team.pk,
            title=team.name,
            subtitle=" · ".join(
                d
                for d in (
                    team.office.name if team.office else "",
                    "" if team.is_active else "disbanded",
                )
                if d
            ),
            url=f"{directory}?team={team.pk}",
        )
        for team in teams.order_by("-is_active", "name")[:limit]
    ]
