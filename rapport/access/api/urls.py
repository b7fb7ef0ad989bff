"""The organisation collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.access.api import permission_views, views


def register(router: BaseRouter) -> None:
    router.register("users", views.UserViewSet, basename="user")
    router.register("roles", views.RoleViewSet, basename="role")
    router.register("teams", views.TeamViewSet, basename="team")
    router.register("offices", views.OfficeViewSet, basename="office")
    router.register("tokens", views.ApiTokenViewSet, basename="token")
    router.register("permissions", permission_views.RolePermissionViewSet, basename="permission")
    router.register(
        "field-permissions", permission_views.FieldPermissionViewSet, basename="field-permission"
    )
