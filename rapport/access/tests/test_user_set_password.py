"""Changing a password ends every other session of that person; this session stays."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from django.views.decorators.http import require_POST

from rapport.access.models import User, UserSession
from rapport.access.services import user_set_password

NEW_PASSWORD = "a-brand-new-passphrase"


@login_required
def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


@require_POST
@login_required
def change_own_password(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    user_set_password(
        acting_user=request.user, user=request.user, password=NEW_PASSWORD, request=request
    )
    return HttpResponse("changed")


urlpatterns = [
    path("whoami/", whoami),
    path("change-password/", change_own_password),
    path("", include("rapport.urls")),
]

pytestmark = pytest.mark.urls(__name__)


def _signed_in(user):
    client = Client()
    response = client.post("/login/", {"username": user.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    return client


def test_it_signs_out_the_other_browsers_and_keeps_this_one(rep):
    laptop, phone = _signed_in(rep), _signed_in(rep)
    phone_key = phone.session.session_key

    assert laptop.post("/change-password/").status_code == 200

    assert laptop.get("/whoami/").status_code == 200
    assert phone.get("/whoami/").status_code == 302
    assert not Session.objects.filter(session_key=phone_key).exists()


def test_the_session_that_changed_it_stays_tracked_under_its_new_key(rep):
    laptop, _phone = _signed_in(rep), _signed_in(rep)

    laptop.post("/change-password/")

    tracked = UserSession.objects.get(user=rep)
    assert tracked.session_key == laptop.session.session_key


def test_the_new_password_works_and_the_old_one_does_not(rep):
    laptop = _signed_in(rep)
    laptop.post("/change-password/")

    old = Client().post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    new = Client().post("/login/", {"username": rep.email, "password": NEW_PASSWORD})

    assert old.status_code == 200
    assert new.status_code == 302


def test_an_administrator_resetting_a_password_ends_all_that_persons_sessions(rep, admin_user):
    laptop, phone = _signed_in(rep), _signed_in(rep)

    user_set_password(acting_user=admin_user, user=rep, password=NEW_PASSWORD)

    assert laptop.get("/whoami/").status_code == 302
    assert phone.get("/whoami/").status_code == 302
    assert not UserSession.objects.filter(user=rep).exists()
