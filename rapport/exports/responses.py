"""The HTTP answers of an export, shared by the list pages and the API."""

from __future__ import annotations

import tempfile
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse

from rapport.exports import services

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(
    *, user: Any, record_type: str, queryset: QuerySet[Any], raw: bool = False
) -> StreamingHttpResponse:
    """The CSV export, streamed: the first bytes leave before the last row is read."""
    response = StreamingHttpResponse(
        services.export_csv(user=user, record_type=record_type, queryset=queryset, raw=raw),
        content_type="text/csv; charset=utf-8",
    )
    name = services.export_file_name(record_type, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(
    *, user: Any, record_type: str, queryset: QuerySet[Any], raw: bool = False
) -> FileResponse:
    """The XLSX export, built in a temporary file that disappears when the response closes it
    (a workbook is a zip: it cannot be streamed before it is complete)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    try:
        services.export_xlsx(
            user=user, record_type=record_type, queryset=queryset, path=handle, raw=raw
        )
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.export_file_name(record_type, "xlsx"),
        content_type=XLSX_MEDIA_TYPE,
    )
