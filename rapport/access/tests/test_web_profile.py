"""People edit their own details and password from the profile page."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client

from rapport.access.models import User, UserSession

PASSWORD = "correct-horse-battery"


def _signed_in(user):
    client = Client()
    assert client.post("/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_the_profile_page_shows_the_details_form_tokens_and_sessions(rep):
    response = _signed_in(rep).get("/profile/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="first_name"' in body
    assert "API tokens" in body
    assert "This browser" in body


def test_people_can_change_their_own_details(rep):
    client = _signed_in(rep)
    response = client.post(
        "/profile/",
        {
            "first_name": "Rita",
            "last_name": "Rep",
            "title": "Account Executive",
            "phone": "",
            "location": "Lisbon",
        },
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert (rep.title, rep.location) == ("Account Executive", "Lisbon")


def test_the_profile_form_cannot_change_the_role(rep):
    role_before = rep.role_id
    _signed_in(rep).post(
        "/profile/",
        {
            "first_name": "Rita",
            "last_name": "Rep",
            "role": "",
            "title": "",
            "phone": "",
            "location": "",
        },
    )
    assert User.objects.get(pk=rep.pk).role_id == role_before


def test_a_missing_first_name_is_shown_next_to_the_field(rep):
    response = _signed_in(rep).post("/profile/", {"first_name": "", "last_name": "Rep"})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    assert User.objects.get(pk=rep.pk).first_name == "Rita"


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(rep):
    other = _signed_in(rep)
    other_key = other.session.session_key
    client = _signed_in(rep)
    response = client.post(
        "/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()
    assert not UserSession.objects.filter(session_key=other_key).exists()
    assert client.get("/profile/").status_code == 200
    assert other.get("/profile/").status_code == 302
    assert User.objects.get(pk=rep.pk).check_password("a-brand-new-passphrase")


def test_a_wrong_old_password_changes_nothing(rep):
    client = _signed_in(rep)
    response = client.post(
        "/profile/password/",
        {
            "old_password": "wrong",
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    assert User.objects.get(pk=rep.pk).check_password(PASSWORD)
