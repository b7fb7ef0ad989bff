"""`Authorization: Bearer <token>` authenticates API requests; anything wrong is a clear 401."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from rapport.access.authentication import BearerTokenAuthentication
from rapport.access.models import ApiToken
from rapport.access.services import api_token_create, api_token_revoke


class WhoAmI(APIView):
    """A tiny endpoint of our own, so these tests need no real API endpoint."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"email": request.user.get_username(), "token": request.auth.pk})


def _call(authorization=None):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = WhoAmI.as_view()(APIRequestFactory().get("/whoami/", **headers))
    response.render()
    return response


@pytest.fixture
def new_token(rep):
    return api_token_create(acting_user=rep, user=rep, name="ERP sync")


def test_a_valid_token_authenticates_its_owner(new_token, rep):
    response = _call(f"Bearer {new_token.secret}")

    assert response.status_code == 200
    assert response.data == {"email": rep.email, "token": new_token.token.pk}


def test_the_scheme_is_case_insensitive(new_token):
    assert _call(f"bearer {new_token.secret}").status_code == 200


def test_an_unknown_token_is_refused_with_a_clear_message(db):
    response = _call("Bearer rpt_this-token-does-not-exist")

    assert response.status_code == 401
    assert "unknown, revoked or expired" in response.content.decode()
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", "Authorization: Bearer <token>"),
        ("Bearer rpt_one rpt_two", "Authorization: Bearer <token>"),
        ("Bearer not-a-rapport-token", "unknown, revoked or expired"),
        ("Bearer rpt_caf\u00e9", "invalid characters"),
    ],
)
def test_a_malformed_header_is_refused_with_a_clear_message(db, header, message):
    response = _call(header)

    assert response.status_code == 401
    assert message in response.content.decode()


def test_no_header_is_a_401_that_says_how_to_authenticate(db):
    response = _call()

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_refused_at_once(new_token, rep):
    assert _call(f"Bearer {new_token.secret}").status_code == 200

    api_token_revoke(acting_user=rep, token=new_token.token)

    assert _call(f"Bearer {new_token.secret}").status_code == 401


def test_an_expired_token_is_refused(rep):
    new = api_token_create(
        acting_user=rep, user=rep, name="Nightly", expires_at=timezone.now() + timedelta(days=1)
    )
    assert _call(f"Bearer {new.secret}").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert _call(f"Bearer {new.secret}").status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(new_token):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first_use = timezone.now()
        _call(f"Bearer {new_token.secret}")
        clock.shift(timedelta(seconds=50))
        _call(f"Bearer {new_token.secret}")
        assert ApiToken.objects.get(pk=new_token.token.pk).last_used_at == first_use

        clock.shift(timedelta(seconds=20))
        _call(f"Bearer {new_token.secret}")

    assert ApiToken.objects.get(pk=new_token.token.pk).last_used_at == first_use + timedelta(
        seconds=70
    )


def test_a_bearer_token_works_against_the_real_api(new_token):
    client = APIClient()

    response = client.get("/api/v1/users/", HTTP_AUTHORIZATION=f"Bearer {new_token.secret}")

    assert response.status_code == 200
    assert client.get("/api/v1/users/").status_code == 401
