"""Who may call what: reading needs a signed-in person; changing the organisation, an admin."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


def can_administer(user: Any) -> bool:
    """An administrator whose role is not read-only (a read-only role never writes)."""
    if not getattr(user, "is_authenticated", False):
        return False
    role = getattr(user, "role", None)
    if role is not None and role.is_read_only:
        return False
    return bool(user.is_administrator)


class IsAdministratorOrReadOnly(BasePermission):
    message = "Only administrators can change users, roles, teams and offices."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or can_administer(request.user)
