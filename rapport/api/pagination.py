"""Cursor pagination for every API list: stable under inserts, cheap on big tables.

`?page_size=` takes 1 to 200 (settings.API_MAX_PAGE_SIZE); anything else is a 400 naming the
parameter rather than a silent clamp, so a client asking for 1000 rows learns it gets fewer.
A cursor is opaque: only `next`/`previous` links should be followed; a damaged one is a 400.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, Model, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

DEFAULT_PAGE_SIZE: int = api_settings.PAGE_SIZE or 50
DAMAGED_CURSOR = "This cursor is damaged; follow a `next` or `previous` link."


class CursorPagination(pagination.CursorPagination):
    page_size: int = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size: int = settings.API_MAX_PAGE_SIZE
    ordering = "-id"
    cursor_query_description = "Where the page starts: copy it from a `next` or `previous` link."

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except (NotFound, UnicodeError):
            raise ValidationError({self.cursor_query_param: [DAMAGED_CURSOR]}) from None

    def _check_position(
        self, model: type[Model], ordering: tuple[str, ...], position: str | None
    ) -> None:
        """Reject a position the database would choke on before it reaches a query."""
        if position is None:
            return
        try:
            model_field = model._meta.get_field(ordering[0].lstrip("-"))
            if "\x00" in position or not isinstance(model_field, Field):
                raise DjangoValidationError("not a position")
            model_field.to_python(position)
        except (FieldDoesNotExist, DjangoValidationError, ValueError, OverflowError):
            raise ValidationError({self.cursor_query_param: [DAMAGED_CURSOR]}) from None

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> tuple[str, ...]:
        ordering: tuple[str, ...] = super().get_ordering(request, queryset, view)
        # The position is checked here because DRF decodes the cursor right after choosing the
        # ordering, and the check needs both.
        if request.query_params.get(self.cursor_query_param):
            cursor = self.decode_cursor(request)
            self._check_position(queryset.model, ordering, cursor.position if cursor else None)
        return ordering

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"How many records per page: 1 to {self.max_page_size}, {self.page_size} when "
                    "not given. Other values are refused with a 400."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }
