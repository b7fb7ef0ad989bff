"""The users collection: the directory for everyone, administration for administrators."""

from __future__ import annotations

import pytest

from rapport.access.models import ApiToken, Role, User
from rapport.access.services import api_token_create

pytestmark = pytest.mark.django_db


def test_everyone_signed_in_can_read_the_directory_without_admin_fields(
    api_client, rep, admin_user
):
    api_client.force_authenticate(rep)
    response = api_client.get("/api/v1/users/")
    assert response.status_code == 200
    emails = {row["email"] for row in response.json()["results"]}
    assert {"rep@example.com", "admin@example.com"} <= emails
    row = response.json()["results"][0]
    assert "full_name" in row
    assert "external_id" not in row
    assert "last_login" not in row


def test_administrators_see_the_admin_fields(token_client, rep):
    row = token_client.get(f"/api/v1/users/{rep.pk}/").json()
    assert row["email"] == "rep@example.com"
    assert row["external_id"] is None
    assert "deactivated_at" in row
    assert "password" not in row


def test_an_administrator_creates_a_person_with_a_role_and_manager(
    token_client, admin_user, team, office
):
    role = Role.objects.get(key="sales_rep")
    response = token_client.post(
        "/api/v1/users/",
        {
            "email": "New.Person@Example.com",
            "first_name": "New",
            "last_name": "Person",
            "role": role.pk,
            "team": team.pk,
            "office": office.pk,
            "manager": admin_user.pk,
            "grade": 3,
            "password": "a-long-enough-password",
            "external_id": "HR-1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    user = User.objects.get(email="new.person@example.com")
    assert response.json()["id"] == user.pk
    assert (user.role, user.team, user.office, user.manager, user.grade) == (
        role,
        team,
        office,
        admin_user,
        3,
    )
    assert user.check_password("a-long-enough-password")
    assert user.external_id == "HR-1"


def test_a_weak_password_is_refused_with_the_reason(token_client):
    response = token_client.post(
        "/api/v1/users/",
        {"email": "x@example.com", "first_name": "X", "last_name": "Y", "password": "123"},
        format="json",
    )
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    assert not User.objects.filter(email="x@example.com").exists()


def test_an_e_mail_already_in_use_is_refused_whatever_its_case(token_client, rep):
    response = token_client.post(
        "/api/v1/users/",
        {"email": "REP@example.com", "first_name": "R", "last_name": "R"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["email"] == [
        "Someone already signs in with this e-mail."
    ]


def test_an_administrator_changes_a_persons_team_with_patch(token_client, rep, team):
    response = token_client.patch(
        f"/api/v1/users/{rep.pk}/", {"team": team.pk, "title": "AE"}, format="json"
    )
    assert response.status_code == 200
    rep.refresh_from_db()
    assert (rep.team, rep.title) == (team, "AE")


def test_a_manager_loop_is_refused_naming_the_manager_field(token_client, make_user):
    boss = make_user(role="sales_manager")
    report = make_user(manager=boss)
    response = token_client.patch(
        f"/api/v1/users/{boss.pk}/", {"manager": report.pk}, format="json"
    )
    assert response.status_code == 400
    assert "manager" in response.json()["error"]["fields"]
    boss.refresh_from_db()
    assert boss.manager is None


def test_a_password_cannot_be_changed_through_the_users_collection(token_client, rep):
    response = token_client.patch(
        f"/api/v1/users/{rep.pk}/", {"password": "another-long-password"}, format="json"
    )
    assert response.status_code == 400
    rep.refresh_from_db()
    assert rep.check_password("correct-horse-battery")


def test_deactivation_ends_sessions_and_revokes_tokens(token_client, rep, client):
    client.force_login(rep)
    api_token_create(acting_user=rep, user=rep, name="sync")
    response = token_client.post(f"/api/v1/users/{rep.pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    rep.refresh_from_db()
    assert not rep.is_active
    assert not ApiToken.objects.filter(user=rep, revoked_at__isnull=True).exists()
    assert not rep.sessions.exists()
    assert client.get("/api/v1/users/me/").status_code == 401


def test_reactivation_lets_a_person_back_in(token_client, rep):
    token_client.post(f"/api/v1/users/{rep.pk}/deactivate/")
    response = token_client.post(f"/api/v1/users/{rep.pk}/reactivate/")
    assert response.status_code == 200
    rep.refresh_from_db()
    assert rep.is_active


def test_administrators_cannot_deactivate_themselves(token_client, admin_user):
    response = token_client.post(f"/api/v1/users/{admin_user.pk}/deactivate/")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "You cannot deactivate yourself."
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_people_are_never_deleted(token_client, rep):
    response = token_client.delete(f"/api/v1/users/{rep.pk}/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "deactivate" in response.json()["error"]["message"]
    assert User.objects.filter(pk=rep.pk, is_active=True).exists()


def test_me_answers_the_person_signed_in(api_client, rep):
    api_client.force_authenticate(rep)
    response = api_client.get("/api/v1/users/me/")
    assert response.status_code == 200
    assert response.json()["email"] == "rep@example.com"
