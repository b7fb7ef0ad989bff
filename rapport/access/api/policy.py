"""The API's side of rapport.access.permissions: every record viewset asks the engine.

`RecordPolicy` allows a request when the caller's role may perform the view's action on the
view's `record_type`; `PolicyScopedMixin` narrows every queryset to the caller's visibility scope
(so a record out of scope answers 404, like a missing one) and keeps hidden fields out of
search, ordering and filters. `SecuredSerializerMixin` drops hidden fields from bodies and refuses
writes to hidden or read-only fields, naming them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from rapport.access import permissions

# The engine's action behind each viewset action. Deactivating and reactivating a person is how
# people are "deleted" and brought back (they are never removed).
VIEW_ACTIONS: dict[str, str] = {
    "list": "read",
    "retrieve": "read",
    "history": "read",
    "create": "create",
    "update": "edit",
    "partial_update": "edit",
    "destroy": "delete",
    "deactivate": "delete",
    "reactivate": "delete",
}

REFUSED_FIELD = "Your role may not set or change this field; leave it out of the request."


def engine_action(view: APIView, request: Request) -> str:
    """The engine's action for a request to a record viewset."""
    action = getattr(view, "action", None)
    if action in VIEW_ACTIONS:
        return VIEW_ACTIONS[action]
    return "read" if request.method in {"GET", "HEAD", "OPTIONS"} else "edit"


class RecordPolicy(BasePermission):
    """Allowed when the caller's role may do the action on the view's record type."""

    message = "Your role may not do this with these records."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        record_type: str = getattr(view, "record_type", "")
        action = engine_action(view, request)
        if permissions.policy_for(request.user, record_type).can(action):
            return True
        self.message = permissions.denial_message(action, record_type)
        return False


class PolicyScopedMixin:
    """For record viewsets: scope querysets and keep hidden fields out of search and sorting."""

    record_type: ClassVar[str]
    search_fields: tuple[str, ...]
    ordering_fields: tuple[str, ...]
    filterset_class: Any

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)  # type: ignore[misc]
        # Rules are read once per request: a user object reused across requests (tests' forced
        # authentication) must not carry the previous request's rules.
        permissions.forget(request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        user = request.user
        # Per request (DRF builds a view instance for each): hidden fields are neither searched
        # nor sortable, and filtering by one is refused.
        self.search_fields = tuple(
            permissions.visible_fields(user, self.record_type, self.search_fields)
        )
        self.ordering_fields = tuple(
            permissions.visible_fields(user, self.record_type, self.ordering_fields)
        )
        hidden = permissions.policy_for(user, self.record_type).hidden_fields
        refused = sorted(name for name in request.query_params if name in hidden)
        if refused:
            raise exceptions.ValidationError({name: [REFUSED_FIELD] for name in refused})

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filtered: QuerySet[Any] = super().filter_queryset(queryset)  # type: ignore[misc]
        if getattr(self, "swagger_fake_view", False):
            return filtered
        request: Request = getattr(self, "request")  # noqa: B009 (set by DRF's dispatch)
        return permissions.scope_queryset(request.user, self.record_type, filtered)


class SecuredSerializerMixin:
    """For record serializers: hidden fields never leave, protected fields never come in."""

    record_type: ClassVar[str]
    context: dict[str, Any]

    def _viewer(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        viewer = self._viewer()
        if viewer is None:
            return data
        return permissions.strip_hidden(viewer, self.record_type, data)

    def to_internal_value(self, data: Any) -> Any:
        viewer = self._viewer()
        if viewer is not None and isinstance(data, Mapping):
            refused = permissions.protected_fields_in(viewer, self.record_type, data.keys())
            if refused:
                raise exceptions.ValidationError({name: [REFUSED_FIELD] for name in refused})
        return super().to_internal_value(data)  # type: ignore[misc]
