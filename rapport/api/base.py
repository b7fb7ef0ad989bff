"""What every API view shares: the schema class, the filters, pagination, and clear 405s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import BasePagination
from rest_framework.views import APIView

from rapport.api.filters import OrderingFilter, SearchFilter
from rapport.api.pagination import CursorPagination
from rapport.api.schema import RapportAutoSchema


class ApiView(APIView):
    """The base of every Rapport API view."""

    schema = RapportAutoSchema()
    filter_backends: Sequence[type[BaseFilterBackend | Any]] = [
        DjangoFilterBackend,
        SearchFilter,
        OrderingFilter,
    ]
    pagination_class: type[BasePagination] | None = CursorPagination
    # Said instead of DRF's bare "Method not allowed" when a method is refused on purpose, e.g.
    # "People are never deleted; deactivate them instead."
    method_not_allowed_hint: ClassVar[dict[str, str]] = {}

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        method = (request.method or "").upper()
        if hint := self.method_not_allowed_hint.get(method):
            raise exceptions.MethodNotAllowed(method, detail=hint)
        return super().http_method_not_allowed(request, *args, **kwargs)
