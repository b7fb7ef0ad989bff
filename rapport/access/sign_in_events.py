"""Who wants to hear about sign-ins, failed sign-ins and sign-outs.

Access sits below insights (ARCHITECTURE.md), so it cannot call usage capture directly: insights
registers its handlers here at start-up and access calls them explicitly (no Django signals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest


class SignInListener(Protocol):
    def signed_in(self, *, request: HttpRequest, user: AbstractBaseUser) -> None: ...

    def sign_in_failed(self, *, request: HttpRequest, email: str) -> None: ...

    def signed_out(
        self,
        *,
        user: AbstractBaseUser | AnonymousUser,
        session_key: str | None,
        timed_out: bool = False,
    ) -> None: ...


@dataclass
class _Listeners:
    items: list[SignInListener] = field(default_factory=list)


_listeners = _Listeners()


def register(listener: SignInListener) -> None:
    """Add a listener (once)."""
    if listener not in _listeners.items:
        _listeners.items.append(listener)


def signed_in(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    for listener in _listeners.items:
        listener.signed_in(request=request, user=user)


def sign_in_failed(*, request: HttpRequest, email: str) -> None:
    for listener in _listeners.items:
        listener.sign_in_failed(request=request, email=email)


def signed_out(
    *, user: AbstractBaseUser | AnonymousUser, session_key: str | None, timed_out: bool = False
) -> None:
    for listener in _listeners.items:
        listener.signed_out(user=user, session_key=session_key, timed_out=timed_out)
