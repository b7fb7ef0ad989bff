"""Every API error has the same body: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.test import RequestFactory
from rest_framework import exceptions

from rapport.api.errors import error_for_exception, exception_handler
from rapport.web.views import not_found, server_error

pytestmark = pytest.mark.django_db


def _error(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


def test_a_field_error_names_the_field(token_client):
    error = _error(token_client.post("/api/v1/teams/", {}, format="json"), 400)
    assert error["code"] == "invalid"
    assert error["fields"] == {"name": ["This field is required."]}
    assert "name" in error["message"]


def test_nested_field_errors_use_dotted_paths():
    exc = exceptions.ValidationError(
        {"lines": [{}, {"amount": ["Too big."]}], "non_field_errors": ["No."]}
    )
    error = error_for_exception(exc)
    assert error is not None
    assert error.fields == {"lines.1.amount": ["Too big."]}
    assert error.message == "No."


def test_unauthenticated_is_401(api_client):
    error = _error(api_client.get("/api/v1/teams/"), 401)
    assert error == {
        "code": "not_authenticated",
        "message": "Authenticate with 'Authorization: Bearer <token>' or a browser session.",
        "fields": {},
    }


def test_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer rpt_nonsense")
    assert _error(api_client.get("/api/v1/teams/"), 401)["code"] == "authentication_failed"


def test_forbidden_is_403(api_client, rep):
    api_client.force_authenticate(rep)
    assert _error(api_client.post("/api/v1/teams/", {"name": "X"}, format="json"), 403)["code"] == (
        "permission_denied"
    )


def test_an_unknown_record_is_404(token_client):
    assert _error(token_client.get("/api/v1/teams/999999/"), 404)["code"] == "not_found"


def test_an_unknown_api_address_is_a_json_404(token_client):
    error = _error(token_client.get("/api/v1/no-such-thing/"), 404)
    assert error["code"] == "not_found"
    assert "/api/v1/no-such-thing/" in error["message"]


def test_a_method_not_offered_is_405(token_client):
    assert _error(token_client.delete("/api/v1/users/"), 405)["code"] == "method_not_allowed"


def test_throttling_is_429_with_retry_after():
    response = exception_handler(exceptions.Throttled(wait=30), {})
    assert response is not None
    assert response.status_code == 429
    assert response.data["error"]["code"] == "throttled"
    assert response["Retry-After"] == "30"


def test_a_refusal_from_a_service_is_400_with_its_sentence(token_client, admin_user):
    error = _error(token_client.post(f"/api/v1/users/{admin_user.pk}/deactivate/"), 400)
    assert error == {"code": "invalid", "message": "You cannot deactivate yourself.", "fields": {}}


def test_a_django_validation_error_keeps_its_fields():
    error = error_for_exception(DjangoValidationError({"manager": ["Loops."], "__all__": ["Bad."]}))
    assert error is not None
    assert (error.status, error.fields, error.message) == (400, {"manager": ["Loops."]}, "Bad.")


@pytest.mark.parametrize(
    "text",
    [
        "UNIQUE constraint failed: access_team.name",
        'duplicate key value violates unique constraint "access_team_name_key"\n'
        "DETAIL:  Key (name)=(Sales) already exists.",
    ],
)
def test_a_unique_clash_from_the_database_is_409_naming_the_field(text):
    error = error_for_exception(IntegrityError(text))
    assert error is not None
    assert (error.status, error.code, list(error.fields)) == (409, "conflict", ["name"])


def test_a_crash_under_api_is_a_json_500_and_elsewhere_a_page():
    factory = RequestFactory()
    api = server_error(factory.get("/api/v1/teams/"))
    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
    assert b'"server_error"' in api.content
    page = server_error(factory.get("/people/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_a_404_outside_the_api_stays_a_page(rf, rep):
    request = rf.get("/nowhere/")
    request.user = rep
    assert not_found(request)["Content-Type"].startswith("text/html")


def test_a_number_too_large_for_the_database_is_a_400():
    error = error_for_exception(OverflowError("Python int too large to convert to SQLite INTEGER"))
    assert error is not None
    assert (error.status, error.code) == (400, "invalid")
