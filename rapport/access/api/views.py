"""The organisation collections: users, roles, teams, offices, and one's own API tokens.

Each view checks access (permission classes), calls one service from rapport.access.services with
`acting_user=request.user`, and renders. Nothing here is ever hard-deleted: people are
deactivated and tokens revoked; teams, offices and roles go to the recycle bin on DELETE, from
which an administrator restores them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from rapport.access import services
from rapport.access.api import filters, serializers
from rapport.access.api.policy import PolicyScopedMixin, RecordPolicy
from rapport.access.models import ApiToken, Office, Role, Team, User
from rapport.api.base import ApiView
from rapport.api.errors import ErrorSerializer

ID_PATTERN = r"\d+"


def _acting_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # every view here requires authentication
    return user


class OrganisationViewSet(
    PolicyScopedMixin,
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
    ABC,
):
    """Each action as rapport.access.permissions allows it for `record_type` (by default: read for
    everyone signed in; create, change and delete for administrators), within the caller's scope."""

    permission_classes = (RecordPolicy,)
    lookup_value_regex = ID_PATTERN

    @abstractmethod
    def create_record(self, data: dict[str, Any]) -> Any:
        """Create the record through its service."""

    @abstractmethod
    def update_record(self, instance: Any, data: dict[str, Any]) -> Any:
        """Change the record through its service."""

    def _respond(self, instance: Any, status_code: int = status.HTTP_200_OK) -> Response:
        # Read back through the list queryset so annotations (counts) are present.
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.create_record(dict(serializer.validated_data))
        return self._respond(instance, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        instance = self.update_record(instance, dict(serializer.validated_data))
        return self._respond(instance)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="List people", description="The directory; administrators see more fields."
    ),
    retrieve=extend_schema(summary="Show a person"),
    create=extend_schema(summary="Add a person (administrators)"),
    update=extend_schema(summary="Replace a person's details (administrators)"),
    partial_update=extend_schema(summary="Change some of a person's details (administrators)"),
)
class UserViewSet(OrganisationViewSet):
    record_type = "user"
    serializer_class = serializers.UserSerializer
    filterset_class = filters.UserFilter
    search_fields = ("first_name", "last_name", "email", "title")
    ordering_fields = ("last_name", "first_name", "email", "created_at", "id")
    ordering = ("last_name", "first_name", "id")
    method_not_allowed_hint: ClassVar[dict[str, str]] = {
        "DELETE": (
            "People are never deleted; deactivate them with POST /api/v1/users/{id}/deactivate/."
        ),
    }

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.all()

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        user = getattr(self.request, "user", None)
        context["show_admin_fields"] = bool(
            user is not None and user.is_authenticated and user.is_administrator
        )
        return context

    def create_record(self, data: dict[str, Any]) -> User:
        return services.user_create(
            acting_user=_acting_user(self.request),
            email=data.pop("email"),
            password=data.pop("password", None),
            **data,
        )

    def update_record(self, instance: User, data: dict[str, Any]) -> User:
        return services.user_update(acting_user=_acting_user(self.request), user=instance, **data)

    @extend_schema(summary="Show the person signed in", responses=serializers.UserSerializer)
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def me(self, request: Request) -> Response:
        return Response(self.get_serializer(_acting_user(request)).data)

    @extend_schema(
        summary="Deactivate a person (administrators)",
        description=(
            "They can no longer sign in: their sessions end and their API tokens are revoked."
        ),
        request=None,
        responses=serializers.UserSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services.user_deactivate(acting_user=_acting_user(request), user=self.get_object())
        return Response(self.get_serializer(user).data)

    @extend_schema(
        summary="Reactivate a person (administrators)",
        description="They can sign in again; tokens revoked at deactivation stay revoked.",
        request=None,
        responses=serializers.UserSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services.user_reactivate(acting_user=_acting_user(request), user=self.get_object())
        return Response(self.get_serializer(user).data)


@extend_schema_view(
    list=extend_schema(summary="List roles"),
    retrieve=extend_schema(summary="Show a role"),
    create=extend_schema(summary="Add a role (administrators)"),
    update=extend_schema(summary="Replace a role (administrators)"),
    partial_update=extend_schema(summary="Change a role (administrators)"),
    destroy=extend_schema(
        summary="Delete a role (administrators)",
        description=(
            "The role goes to the recycle bin, restorable until it is purged. Refused with 409 "
            "while people have it."
        ),
        responses={204: None, 409: ErrorSerializer},
    ),
)
class RoleViewSet(OrganisationViewSet):
    record_type = "role"
    serializer_class = serializers.RoleSerializer
    filterset_class = filters.RoleFilter
    search_fields = ("name", "key", "description")
    ordering_fields = ("sort_order", "name", "key", "id")
    ordering = ("sort_order", "name", "id")

    def get_queryset(self) -> QuerySet[Role]:
        return Role.objects.annotate(user_count=Count("users", filter=Q(users__is_active=True)))

    def create_record(self, data: dict[str, Any]) -> Role:
        return services.role_create(acting_user=_acting_user(self.request), **data)

    def update_record(self, instance: Role, data: dict[str, Any]) -> Role:
        return services.role_update(acting_user=_acting_user(self.request), role=instance, **data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            services.role_delete(acting_user=_acting_user(request), role=self.get_object())
        except services.RoleInUseError as error:
            raise RoleInUseConflict(str(error)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleInUseConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "People still have this role."


class RecyclableViewSet(OrganisationViewSet):
    """Teams and offices: DELETE moves the record to the recycle bin, relations intact."""

    @abstractmethod
    def delete_record(self, instance: Any) -> Any:
        """Move the record to the recycle bin through its service."""

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.delete_record(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List teams"),
    retrieve=extend_schema(summary="Show a team"),
    create=extend_schema(summary="Add a team (administrators)"),
    update=extend_schema(summary="Replace a team (administrators)"),
    partial_update=extend_schema(summary="Change a team (administrators)"),
    destroy=extend_schema(
        summary="Delete a team (administrators)",
        description=(
            "The team goes to the recycle bin; its members stay in it, so a restore brings it "
            "back whole. To keep a team for history instead, set `is_active` to false."
        ),
        responses={204: None},
    ),
)
class TeamViewSet(RecyclableViewSet):
    record_type = "team"
    serializer_class = serializers.TeamSerializer
    filterset_class = filters.TeamFilter
    search_fields = ("name", "description")
    ordering_fields = ("name", "created_at", "id")
    ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[Team]:
        return Team.objects.annotate(
            member_count=Count("members", filter=Q(members__is_active=True))
        )

    def create_record(self, data: dict[str, Any]) -> Team:
        return services.team_create(acting_user=_acting_user(self.request), **data)

    def update_record(self, instance: Team, data: dict[str, Any]) -> Team:
        return services.team_update(acting_user=_acting_user(self.request), team=instance, **data)

    def delete_record(self, instance: Team) -> Team:
        return services.team_delete(acting_user=_acting_user(self.request), team=instance)


@extend_schema_view(
    list=extend_schema(summary="List offices"),
    retrieve=extend_schema(summary="Show an office"),
    create=extend_schema(summary="Add an office (administrators)"),
    update=extend_schema(summary="Replace an office (administrators)"),
    partial_update=extend_schema(summary="Change an office (administrators)"),
    destroy=extend_schema(
        summary="Delete an office (administrators)",
        description=(
            "The office goes to the recycle bin, restorable until it is purged. To keep a closed "
            "office for history instead, set `is_active` to false."
        ),
        responses={204: None},
    ),
)
class OfficeViewSet(RecyclableViewSet):
    record_type = "office"
    serializer_class = serializers.OfficeSerializer
    filterset_class = filters.OfficeFilter
    search_fields = ("name", "city")
    ordering_fields = ("name", "city", "created_at", "id")
    ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[Office]:
        return Office.objects.all()

    def create_record(self, data: dict[str, Any]) -> Office:
        return services.office_create(acting_user=_acting_user(self.request), **data)

    def update_record(self, instance: Office, data: dict[str, Any]) -> Office:
        return services.office_update(
            acting_user=_acting_user(self.request), office=instance, **data
        )

    def delete_record(self, instance: Office) -> Office:
        return services.office_delete(acting_user=_acting_user(self.request), office=instance)


@extend_schema_view(
    list=extend_schema(summary="List my API tokens"),
    retrieve=extend_schema(summary="Show one of my API tokens"),
)
class ApiTokenViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Personal API tokens of the person signed in; the secret is only ever shown at creation.

    Read-only roles may manage their own tokens too: a token is how they read through the API, and
    it changes no business record.
    """

    serializer_class = serializers.ApiTokenSerializer
    filterset_class = filters.ApiTokenFilter
    permission_classes = (IsAuthenticated,)
    lookup_value_regex = ID_PATTERN
    search_fields = ("name", "key_prefix")
    ordering_fields = ("created_at", "name", "id")
    ordering = ("-created_at", "-id")

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=_acting_user(self.request))

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "create":
            return serializers.ApiTokenCreateSerializer
        return serializers.ApiTokenSerializer

    @extend_schema(
        summary="Create an API token",
        description=(
            "The answer holds `secret`, the token itself, this once: it is never shown again."
        ),
        request=serializers.ApiTokenCreateSerializer,
        responses={201: serializers.NewApiTokenSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = serializers.ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.api_token_create(
            acting_user=_acting_user(request),
            user=_acting_user(request),
            **serializer.validated_data,
        )
        data = dict(serializers.ApiTokenSerializer(new.token).data)
        data["secret"] = new.secret
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke an API token", description="It stops working at once.")
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.api_token_revoke(acting_user=_acting_user(request), token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Revoke an API token, showing it afterwards",
        request=None,
        responses=serializers.ApiTokenSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        token = services.api_token_revoke(
            acting_user=_acting_user(request), token=self.get_object()
        )
        return Response(serializers.ApiTokenSerializer(token).data)
