"""What every page of the shell needs: the navigation for the person's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from rapport.access.models import User
from rapport.web.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_sections": []}
    return {"nav_sections": navigation_for(user, request.path)}
