"""Tags the audit entries a request writes with where it came from and which request it was."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from rapport.core.audit import current_request


class AuditContextMiddleware:
    """Makes the request visible to `audit_record` for the length of the request.

    Only a context variable is set here; the address and id are read when an entry is written,
    so requests that change nothing pay next to nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
