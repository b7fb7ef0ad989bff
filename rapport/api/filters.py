"""Search, ordering and id filters shared by every API list.

DRF silently ignores an unknown `?ordering=` field; here it is a 400 naming the allowed ones, so a
typo never looks like "sorted".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView


class SearchFilter(filters.SearchFilter):
    search_description = "Words to look for; every word must match one of the searched fields."

    def get_search_terms(self, request: Request) -> list[str]:
        try:
            return super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from None

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        fields = ", ".join(f.lstrip("^=@$") for f in getattr(view, "search_fields", ()))
        params: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for param in params:
            param["description"] = f"{self.search_description} Searched: {fields}."
        return params


class OrderingFilter(filters.OrderingFilter):
    ordering_description = "Sort by these fields (comma-separated; `-` in front for descending)."

    def _allowed(self, view: APIView) -> list[str]:
        return list(getattr(view, "ordering_fields", ()))

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> Sequence[str] | None:
        raw = request.query_params.get(self.ordering_param)
        if raw:
            allowed = self._allowed(view)
            asked = [term.strip() for term in raw.split(",") if term.strip()]
            unknown = [term for term in asked if term.lstrip("-") not in allowed]
            if unknown or not asked:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Sort by one of: {', '.join(allowed)} (optionally with '-')."
                        ]
                    }
                )
            return asked
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        allowed = self._allowed(view)
        default = ", ".join(getattr(view, "ordering", ()))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    f"{self.ordering_description} Allowed: {', '.join(allowed)}. "
                    f"Default: {default}."
                ),
                "schema": {"type": "string"},
            }
        ]


MAX_ID = 2**63 - 1  # the largest id a 64-bit primary key holds


class IdField(forms.IntegerField):
    """A record id: anything outside 1 to 2^63-1 is refused before the database sees it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(django_filters.Filter):
    """Records pointing at the record with this id (no query to check that it exists)."""

    field_class = IdField
