"""Administrators list, add, edit, deactivate and reactivate people."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from rapport.access.models import ApiToken, Role, User, UserSession
from rapport.access.services import api_token_create


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def _form(**overrides):
    data = {
        "first_name": "Nina",
        "last_name": "New",
        "email": "nina@example.com",
        "title": "",
        "phone": "",
        "role": Role.objects.get(key="sales_rep").pk,
        "team": "",
        "office": "",
        "location": "",
        "grade": "",
        "manager": "",
        "external_id": "",
        "password": "",
    }
    data.update(overrides)
    return data


def test_the_list_filters_by_role_and_search_in_the_url(admin_client, make_user):
    make_user(role="sales_manager", first_name="Maria", last_name="Manager")
    make_user(role="sales_rep", first_name="Robin", last_name="Rep")
    body = admin_client.get(
        f"/admin/users/?role={Role.objects.get(key='sales_manager').pk}"
    ).content.decode()
    assert "Maria Manager" in body
    assert "Robin Rep" not in body
    body = admin_client.get("/admin/users/?q=robin").content.decode()
    assert "Robin Rep" in body
    assert "Maria Manager" not in body


def test_deactivated_people_show_only_when_asked_for(admin_client, make_user):
    make_user(first_name="Gone", last_name="Away", is_active=False)
    assert "Gone Away" not in admin_client.get("/admin/users/").content.decode()
    assert "Gone Away" in admin_client.get("/admin/users/?status=inactive").content.decode()


def test_columns_sort_both_ways(admin_client, make_user):
    make_user(first_name="Aaron", last_name="Able")
    make_user(first_name="Zed", last_name="Zulu")
    ascending = admin_client.get("/admin/users/?sort=name").content.decode()
    descending = admin_client.get("/admin/users/?sort=-name").content.decode()
    assert ascending.index("Aaron Able") < ascending.index("Zed Zulu")
    assert descending.index("Zed Zulu") < descending.index("Aaron Able")
    assert 'aria-sort="ascending"' in ascending


def test_the_list_uses_the_same_number_of_queries_for_any_number_of_people(
    admin_client, make_user, django_assert_max_num_queries, django_assert_num_queries
):
    make_user()
    admin_client.get("/admin/users/")  # the first request fills per-process caches
    with django_assert_max_num_queries(12) as few:
        admin_client.get("/admin/users/")
    for _ in range(15):
        make_user(manager=User.objects.first())
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get("/admin/users/")


def test_an_admin_adds_a_person_who_can_sign_in(admin_client):
    response = admin_client.post("/admin/users/new/", _form(password="a-long-first-passphrase"))
    assert response.status_code == 302
    nina = User.objects.get(email="nina@example.com")
    assert nina.check_password("a-long-first-passphrase")
    assert (
        Client()
        .post("/login/", {"username": "nina@example.com", "password": "a-long-first-passphrase"})
        .status_code
        == 302
    )


def test_a_duplicate_email_is_shown_next_to_the_field(admin_client, rep):
    response = admin_client.post("/admin/users/new/", _form(email=rep.email))
    assert response.status_code == 400
    body = response.content.decode()
    assert "User with this E-mail already exists." in body
    assert User.objects.filter(email=rep.email).count() == 1


def test_a_weak_first_password_is_refused(admin_client):
    response = admin_client.post("/admin/users/new/", _form(password="123"))
    assert response.status_code == 400
    assert "This password is too short" in response.content.decode()
    assert not User.objects.filter(email="nina@example.com").exists()


def test_an_admin_edits_role_and_manager(admin_client, rep, make_user):
    boss = make_user(role="sales_manager")
    response = admin_client.post(
        f"/admin/users/{rep.pk}/",
        _form(
            first_name="Rita",
            last_name="Rep",
            email=rep.email,
            manager=boss.pk,
            role=Role.objects.get(key="sales_manager").pk,
        ),
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.manager_id == boss.pk
    assert rep.role.key == "sales_manager"


def test_a_manager_loop_is_refused_with_a_clear_message(admin_client, make_user):
    top = make_user()
    below = make_user(manager=top)
    response = admin_client.post(
        f"/admin/users/{top.pk}/",
        _form(
            first_name=top.first_name, last_name=top.last_name, email=top.email, manager=below.pk
        ),
    )
    assert response.status_code == 400
    assert "the hierarchy would loop" in response.content.decode()
    assert User.objects.get(pk=top.pk).manager_id is None


def test_the_deactivation_page_names_what_will_end(admin_client, rep):
    Client().post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    api_token_create(acting_user=rep, user=rep, name="Sync")
    body = admin_client.get(f"/admin/users/{rep.pk}/deactivate/").content.decode()
    assert "Deactivate Rita Rep?" in body
    assert "their 1 signed-in session ends" in body
    assert "their 1 API token is revoked" in body
    assert User.objects.get(pk=rep.pk).is_active


def test_deactivating_ends_sessions_and_revokes_tokens(admin_client, rep):
    browser = Client()
    browser.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    key = browser.session.session_key
    token = api_token_create(acting_user=rep, user=rep, name="Sync").token
    response = admin_client.post(f"/admin/users/{rep.pk}/deactivate/")
    assert response.status_code == 302
    assert not User.objects.get(pk=rep.pk).is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=rep).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert browser.get("/").status_code == 302


def test_admins_cannot_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(f"/admin/users/{admin_user.pk}/deactivate/")
    assert response.status_code == 302
    assert User.objects.get(pk=admin_user.pk).is_active


def test_reactivating_with_htmx_returns_the_updated_row(admin_client, make_user):
    gone = make_user(is_active=False)
    response = admin_client.post(
        f"/admin/users/{gone.pk}/reactivate/", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="user-{gone.pk}">')
    assert "Deactivate" in body
    assert User.objects.get(pk=gone.pk).is_active
