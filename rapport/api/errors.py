"""One error body for every API failure.

Every error the API returns — validation, authentication, permission, not found, wrong method,
throttling, a service refusing a write, a unique clash, a crash — has the same shape::

    {"error": {"code": "invalid", "message": "A human sentence.", "fields": {"email": ["…"]}}}

`fields` maps a field (dotted for nested data: `items.0.name`) to its messages and is `{}` when the
error is not about fields. Clients can therefore handle errors in one place.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"

# The messages a client sees when DRF's own default would be vague or name Django internals.
MESSAGES: dict[str, str] = {
    "not_authenticated": "Authenticate with 'Authorization: Bearer <token>' or a browser session.",
    "not_found": "There is no such record, or you may not see it.",
    "server_error": "Something went wrong on our side; the error has been logged.",
}


@dataclass(frozen=True)
class ApiError:
    """The content of an error body."""

    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def as_body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class ErrorDetailSerializer(serializers.Serializer[ApiError]):
    code = serializers.CharField(
        help_text="A stable, machine-readable snake_case code, e.g. `invalid`, `not_found`."
    )
    message = serializers.CharField(help_text="A sentence for people.")
    # Declared fields are moved off the class by DRF, so `fields` does not shadow Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=(
            "Messages per field (dotted paths for nested data); empty when no field is at fault."
        ),
    )


class ErrorSerializer(serializers.Serializer[ApiError]):
    """The body of every error response."""

    error = ErrorDetailSerializer()


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"dotted.path": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for name, messages in _flatten(value, path).items():
                out.setdefault(name, []).extend(messages)
    elif isinstance(detail, Sequence) and not isinstance(detail, str):
        if all(not isinstance(item, Mapping | list) for item in detail):
            out.setdefault(prefix, []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                if item:  # a list of nested objects reports only the ones with errors
                    for name, messages in _flatten(
                        item, f"{prefix}.{index}" if prefix else str(index)
                    ).items():
                        out.setdefault(name, []).extend(messages)
    else:
        out.setdefault(prefix, []).append(str(detail))
    return out


def _validation_error(fields: dict[str, list[str]]) -> ApiError:
    """A 400 whose message repeats the non-field errors and names the fields at fault."""
    non_field_keys = {"", api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS}
    general = [m for key in non_field_keys for m in fields.pop(key, [])]
    if general:
        message = " ".join(general)
    elif fields:
        message = "Some values are not valid: " + ", ".join(sorted(fields)) + "."
    else:
        message = "The request is not valid."
    return ApiError(status=400, code="invalid", message=message, fields=fields)


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")
_POSTGRES_UNIQUE = re.compile(r"Key \((?P<columns>[^)]+)\)=")


def _unique_clash(exc: IntegrityError) -> ApiError:
    """Name the field behind a unique-constraint failure (SQLite and PostgreSQL word it apart)."""
    text = str(exc)
    columns: list[str] = []
    if match := _SQLITE_UNIQUE.search(text):
        columns = [c.strip().rsplit(".", 1)[-1] for c in match["columns"].split(",")]
    elif match := _POSTGRES_UNIQUE.search(text):
        columns = [c.strip().strip('"') for c in match["columns"].split(",")]
    columns = [c.removesuffix("_id") for c in columns]
    if not columns:
        return ApiError(
            status=409, code="conflict", message="The change clashes with another record."
        )
    message = "Another record already has this value."
    return ApiError(
        status=409,
        code="conflict",
        message=f"Another record already uses this {', '.join(columns)}.",
        fields={c: [message] for c in columns},
    )


def error_for_exception(exc: BaseException) -> ApiError | None:
    """The error body for an exception, or None when it is a genuine crash."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(MESSAGES["not_found"])
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    if isinstance(exc, exceptions.ValidationError):
        return _validation_error(_flatten(exc.detail))
    if isinstance(exc, exceptions.APIException):
        code = exc.default_code
        detail = exc.detail
        if isinstance(detail, list | dict):
            fields = _flatten(detail)
            message = " ".join(m for messages in fields.values() for m in messages)
        else:
            fields = {}
            message = str(detail)
            code = getattr(detail, "code", None) or code
        if code == "not_authenticated":
            message = MESSAGES["not_authenticated"]
        return ApiError(status=exc.status_code, code=str(code), message=message)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return _validation_error({k: list(v) for k, v in exc.message_dict.items()})
        return _validation_error({"": list(exc.messages)})
    if isinstance(exc, IntegrityError):
        return _unique_clash(exc)
    if isinstance(exc, OverflowError):
        # SQLite refuses integers beyond 64 bits where Django does not check the range first.
        return ApiError(status=400, code="invalid", message="A number in the request is too large.")
    if isinstance(exc, ValueError):
        # Services refuse impossible writes with a ValueError carrying a sentence for people.
        return ApiError(status=400, code="invalid", message=str(exc) or "The request is not valid.")
    return None


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: known errors as the one error body; crashes go to handler500."""
    error = error_for_exception(exc)
    if error is None:
        return None
    headers: dict[str, str] = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))
    set_rollback()
    return Response(error.as_body(), status=error.status, headers=headers)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def json_not_found(request: HttpRequest) -> HttpResponse:
    """The 404 for an address under /api/ that no endpoint answers."""
    error = ApiError(
        status=404, code="not_found", message=f"There is no API endpoint at {request.path}."
    )
    return JsonResponse(error.as_body(), status=error.status)


def json_server_error(request: HttpRequest) -> HttpResponse:
    """The 500 for a crash under /api/ (the crash itself is logged by Django)."""
    error = ApiError(status=500, code="server_error", message=MESSAGES["server_error"])
    return JsonResponse(error.as_body(), status=error.status)


def json_forbidden(request: HttpRequest) -> HttpResponse:
    """The 403 for a denial under /api/ outside DRF's views."""
    error = ApiError(status=403, code="permission_denied", message="You may not do this.")
    return JsonResponse(error.as_body(), status=error.status)
