"""Deactivating a person ends their sessions and revokes their tokens; nothing is deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from rapport.access.authentication import BearerTokenAuthentication
from rapport.access.models import ApiToken, User, UserSession
from rapport.access.services import api_token_create, user_deactivate, user_reactivate


@login_required
def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


urlpatterns = [
    path("whoami/", whoami),
    path("", include("rapport.urls")),
]

pytestmark = pytest.mark.urls(__name__)


def _signed_in(user):
    client = Client()
    response = client.post("/login/", {"username": user.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    return client


def _token_accepted(secret):
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {secret}"))
    try:
        BearerTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return True


def test_it_ends_every_session_of_the_person(rep, admin_user):
    laptop, phone = _signed_in(rep), _signed_in(rep)
    keys = [laptop.session.session_key, phone.session.session_key]

    user_deactivate(acting_user=admin_user, user=rep)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=rep).exists()
    assert laptop.get("/whoami/").status_code == 302
    assert phone.get("/whoami/").status_code == 302


def test_it_revokes_every_token_of_the_person(rep, admin_user):
    first = api_token_create(acting_user=rep, user=rep, name="ERP sync")
    second = api_token_create(acting_user=rep, user=rep, name="Spreadsheet")

    user_deactivate(acting_user=admin_user, user=rep)

    assert ApiToken.objects.filter(user=rep, revoked_at__isnull=True).count() == 0
    assert not _token_accepted(first.secret)
    assert not _token_accepted(second.secret)


def test_it_keeps_the_person_and_marks_when_they_left(rep, admin_user):
    user_deactivate(acting_user=admin_user, user=rep)

    stored = User.objects.get(pk=rep.pk)
    assert stored.is_active is False
    assert stored.deactivated_at is not None


def test_a_deactivated_person_cannot_sign_in(rep, admin_user):
    user_deactivate(acting_user=admin_user, user=rep)
    client = Client()

    response = client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_an_inactive_persons_unrevoked_token_is_still_refused(rep):
    # Defense in depth: someone flipped is_active without the service, so the token stayed live.
    new = api_token_create(acting_user=rep, user=rep, name="ERP sync")
    User.objects.filter(pk=rep.pk).update(is_active=False)

    assert not _token_accepted(new.secret)
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is None


def test_an_inactive_persons_surviving_session_is_anonymous(rep):
    laptop = _signed_in(rep)
    User.objects.filter(pk=rep.pk).update(is_active=False)

    assert laptop.get("/whoami/").status_code == 302


def test_people_cannot_deactivate_themselves(admin_user):
    with pytest.raises(ValueError, match="cannot deactivate yourself"):
        user_deactivate(acting_user=admin_user, user=admin_user)

    assert User.objects.get(pk=admin_user.pk).is_active is True


def test_reactivating_lets_them_sign_in_but_keeps_old_tokens_revoked(rep, admin_user):
    old = api_token_create(acting_user=rep, user=rep, name="ERP sync")
    user_deactivate(acting_user=admin_user, user=rep)

    user_reactivate(acting_user=admin_user, user=rep)

    assert _signed_in(rep).get("/whoami/").status_code == 200
    assert not _token_accepted(old.secret)
