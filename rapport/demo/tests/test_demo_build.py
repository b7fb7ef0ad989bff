"""`rapport demo` builds the same organisation for the same seed, every role, a sane hierarchy."""

from __future__ import annotations

from django.db import transaction

from rapport.access.models import Office, Role, Team, User
from rapport.demo.builder import DEMO_LOGINS, demo_build


def _people() -> list[tuple[object, ...]]:
    return list(
        User.objects.order_by("external_id").values_list(
            "external_id",
            "email",
            "first_name",
            "last_name",
            "role__key",
            "team__name",
            "office__name",
            "manager__email",
            "grade",
            "title",
            "phone",
            "location",
        )
    )


def _build_and_roll_back(seed: int) -> list[tuple[object, ...]]:
    with transaction.atomic():
        demo_build(seed=seed)
        people = _people()
        transaction.set_rollback(True)
    return people


def test_the_same_seed_builds_the_same_people(db):
    first = _build_and_roll_back(7)
    second = _build_and_roll_back(7)

    assert first == second
    assert len(first) == 40


def test_another_seed_builds_other_people(db):
    assert _build_and_roll_back(7) != _build_and_roll_back(8)


def test_every_role_has_people(db):
    demo_build()

    staffed = set(User.objects.values_list("role__key", flat=True))
    assert staffed == set(Role.Key.values)


def test_offices_are_in_different_countries_with_their_own_time_zones(db):
    summary = demo_build()

    offices = list(Office.objects.values_list("country", "timezone"))
    assert summary.offices == len(offices) == 4
    assert len({country for country, _ in offices}) == 4
    assert len({zone for _, zone in offices}) == 4
    assert Team.objects.count() == summary.teams == 6
    assert not Team.objects.filter(lead__isnull=True).exists()


def test_the_hierarchy_has_one_top_and_no_loops(db):
    demo_build()

    managers = dict(User.objects.values_list("id", "manager_id"))
    tops = [user for user, manager in managers.items() if manager is None]
    assert len(tops) == 1
    for user in managers:
        seen: set[int] = set()
        current: int | None = user
        while current is not None:
            assert current not in seen, "the manager hierarchy loops"
            seen.add(current)
            current = managers[current]
    ceo = User.objects.get(pk=tops[0])
    assert ceo.role is not None
    assert ceo.role.key == Role.Key.EXECUTIVE


def test_reps_report_to_their_team_lead(db):
    demo_build()

    for rep in User.objects.filter(role__key=Role.Key.SALES_REP).select_related("team", "manager"):
        assert rep.team is not None
        assert rep.manager_id == rep.team.lead_id


def test_the_demo_logins_have_their_roles_and_the_demo_password(db, settings):
    demo_build()

    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert user.role is not None
        assert user.role.key == login.role
        assert user.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(email="admin@demo.rapport.test").is_administrator


def test_everyone_shares_one_password_hash(db):
    demo_build()

    assert User.objects.values("password").distinct().count() == 1
