"""The permission matrix over the API (administrators only): `/api/v1/permissions/` holds one rule
per role and record type, `/api/v1/field-permissions/` the field rules. Writes go through the
services in rapport.access.permissions, which audit every change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.access import permissions
from rapport.access.api import serializers
from rapport.access.models import FieldPermission, RolePermission, User
from rapport.api.base import ApiView


class IsAdministrator(BasePermission):
    """Administrators read the matrix; those whose role is not read-only change it."""

    message = "Only administrators can see and change permissions."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (isinstance(user, User) and user.is_administrator):
            return False
        if request.method in SAFE_METHODS:
            return True
        return not (user.role is not None and user.role.is_read_only)


def _acting_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAdministrator ran first
    return user


@extend_schema_view(
    list=extend_schema(summary="List the permission rules (administrators)"),
    retrieve=extend_schema(summary="Show a permission rule (administrators)"),
    create=extend_schema(
        summary="Set a role's rights on a record type (administrators)",
        description="Creates the rule, or changes it when the role already has one for the type.",
    ),
    update=extend_schema(summary="Replace a permission rule (administrators)"),
    partial_update=extend_schema(summary="Change a permission rule (administrators)"),
)
class RolePermissionViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = serializers.RolePermissionSerializer
    permission_classes = (IsAdministrator,)
    lookup_value_regex = r"\d+"
    filterset_fields = ("role", "record_type")
    ordering_fields = ("record_type", "id")
    # An annotation, not "role__sort_order": the cursor of the next page reads each ordering
    # field from the last row.
    ordering = ("role_sort", "role_id", "record_type", "id")

    def get_queryset(self) -> QuerySet[RolePermission]:
        return RolePermission.objects.annotate(role_sort=F("role__sort_order"))

    def _save(self, data: dict[str, Any], current: RolePermission | None) -> RolePermission:
        def value(name: str) -> Any:
            return data[name] if name in data else getattr(current, name)

        return permissions.permission_set(
            acting_user=_acting_user(self.request),
            role=value("role"),
            record_type=value("record_type"),
            can_create=bool(value("can_create")),
            can_read=bool(value("can_read")),
            can_edit=bool(value("can_edit")),
            can_delete=bool(value("can_delete")),
            scope=value("scope"),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        current = RolePermission.objects.filter(
            role=data["role"], record_type=data["record_type"]
        ).first()
        rule = self._save(data, current or RolePermission())
        return Response(
            self.get_serializer(rule).data,
            status=status.HTTP_200_OK if current else status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        serializer = self.get_serializer(
            current, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        rule = self._save(dict(serializer.validated_data), current)
        return Response(self.get_serializer(rule).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List the field rules (administrators)"),
    retrieve=extend_schema(summary="Show a field rule (administrators)"),
    create=extend_schema(
        summary="Hide a field from a role or make it read-only (administrators)",
        description="Creates the rule, or changes its access when one exists for the field.",
    ),
    destroy=extend_schema(summary="Lift a field rule (administrators)"),
)
class FieldPermissionViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = serializers.FieldPermissionSerializer
    permission_classes = (IsAdministrator,)
    lookup_value_regex = r"\d+"
    filterset_fields = ("role", "record_type", "access")
    ordering_fields = ("record_type", "field_name", "id")
    ordering = ("role_id", "record_type", "field_name", "id")

    def get_queryset(self) -> QuerySet[FieldPermission]:
        return FieldPermission.objects.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = FieldPermission.objects.filter(
            role=data["role"], record_type=data["record_type"], field_name=data["field_name"]
        ).exists()
        rule = permissions.field_permission_set(
            acting_user=_acting_user(request),
            role=data["role"],
            record_type=data["record_type"],
            field_name=data["field_name"],
            access=data["access"],
        )
        return Response(
            self.get_serializer(rule).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        permissions.field_permission_set(
            acting_user=_acting_user(request),
            role=rule.role,
            record_type=rule.record_type,
            field_name=rule.field_name,
            access=None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
