"""`GET /api/v1/<type>/export/?format=csv|xlsx&<the list's filters>`: the export action every
record viewset has (mixed into rapport.api.records.RecordViewSet).

The rows are the list endpoint's: the same filters, search, ordering and scope (the viewset's own
`filter_queryset`), without pagination; the columns leave out the fields hidden from the caller.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from rapport.exports import services
from rapport.exports.responses import XLSX_MEDIA_TYPE, csv_response, xlsx_response

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


class ErrorsAsJson(BaseContentNegotiation):
    """`?format=` picks the file, not a renderer: anything the action answers besides the file
    (an error) is JSON, like every other error of the API."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: Any, format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = renderers[0] if renderers else JSONRenderer()
        return renderer, renderer.media_type


def _flag(request: Request, name: str) -> bool:
    value = str(request.query_params.get(name, "")).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise exceptions.ValidationError({name: ["Give true or false."]})


class ExportActionMixin:
    """The `export` action of a record viewset."""

    record_type: ClassVar[str]

    @extend_schema(
        summary="Export the records as CSV or XLSX",
        description=(
            "The records the list endpoint gives for the same filters, search and ordering, all "
            "of them (no pages), in a file: UTF-8 CSV with a BOM, or an XLSX workbook. Columns "
            "follow the import conventions (an `ID` column, then each field the caller may see "
            "under its label), so the file imports back unchanged. Text beginning with `=`, `+`, "
            "`-`, `@`, a tab or a carriage return is prefixed with `'` so spreadsheets never run "
            "it, unless an administrator asks for `raw=true`."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["csv", "xlsx"],
                default="csv",
                description="The file format.",
            ),
            OpenApiParameter(
                "raw",
                OpenApiTypes.BOOL,
                default=False,
                description="Administrators only: write text untouched (no formula neutralising).",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file."),
            (200, XLSX_MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The XLSX workbook."
            ),
        },
        filters=True,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        content_negotiation_class=ErrorsAsJson,
        renderer_classes=[JSONRenderer],
        pagination_class=None,
    )
    def export(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        export_format = str(request.query_params.get("format", "csv") or "csv")
        if export_format not in ("csv", "xlsx"):
            raise exceptions.ValidationError({"format": ["Export as csv or xlsx."]})
        raw = _flag(request, "raw")
        user: Any = request.user
        if raw and not user.is_administrator:
            raise exceptions.PermissionDenied(services.RAW_REFUSED)
        view: Any = self
        queryset = view.filter_queryset(view.get_queryset())
        if export_format == "csv":
            return csv_response(user=user, record_type=self.record_type, queryset=queryset, raw=raw)
        return xlsx_response(user=user, record_type=self.record_type, queryset=queryset, raw=raw)
