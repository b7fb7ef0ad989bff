"""The OpenAPI schema describes what the API really answers, errors included."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from rapport.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid; `error.fields` names the fields at fault.",
    "401": "No credentials, or the token is unknown, revoked or expired.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record, or you may not see it.",
    "409": "The change clashes with another record (e.g. a value that must be unique).",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RapportAutoSchema(AutoSchema):
    """Adds the error responses each operation can give, all with the one error body."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        codes = ["401", "403"]
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if any(p["in"] == "path" for p in parameters):
            codes.append("404")
        if self.method in WRITE_METHODS and self.method != "DELETE":
            codes.append("409")
        if self.method == "DELETE" or "/deactivate/" in self.path or "/revoke/" in self.path:
            codes.append("400")  # services refuse some of these (e.g. deactivating yourself)
        responses = operation["responses"]
        for code in sorted(set(codes)):
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)  # type: ignore[no-untyped-call]
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return operation

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """Fields a serializer lists in `Meta.optional_in_response` may be left out of responses."""
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)  # type: ignore[no-untyped-call]
        optional = getattr(getattr(serializer, "Meta", None), "optional_in_response", ())
        if direction == "response" and optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
        return schema


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents personal API tokens (rapport.access.authentication) as HTTP bearer auth."""

    target_class = "rapport.access.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (`rpt_…`), created on your profile page or with "
            "`rapport token create --user EMAIL`.",
        }
