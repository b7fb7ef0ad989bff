"""How people prove who they are: API tokens (`Authorization: Bearer rpt_…`) and the lockout keys.

The login page itself is Django's LoginView; django-axes counts its failures per user name and
client address through the two helpers below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from rapport.access.models import ApiToken, User
from rapport.lib.security import client_ip


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address, honouring X-Forwarded-For only from configured trusted proxies."""
    return client_ip(
        remote_addr=request.META.get("REMOTE_ADDR"),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
        trusted_proxies=settings.RAPPORT_TRUSTED_PROXIES,
    )


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The user name failed logins count against: the e-mail address, trimmed and lower-cased.

    Without this, "Rita@Example.com" and "rita@example.com" would be counted apart, so an attacker
    could multiply the allowed guesses by varying the case.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    value: Any = None
    if credentials:
        value = credentials.get(field) or credentials.get(User.USERNAME_FIELD)
    if value is None:
        value = request.POST.get(field, "")
    return str(value).strip().lower()


class BearerTokenAuthentication(BaseAuthentication):
    """Personal API tokens; a bad token is a 401 naming the problem, never a silent anonymous."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>'."
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                "The token contains invalid characters."
            ) from None
        # Imported here because services imports this module (for client_ip_address).
        from rapport.access.services import api_token_authenticate

        token = api_token_authenticate(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, revoked or expired.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
