"""`GET /api/v1/<type>/export/`: the list endpoint's filters and order, in a file."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from rest_framework.test import APIClient

from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.exports.tests.conftest import as_dicts

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(admin_user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    for last, dnc in (("Adams", True), ("Baker", False), ("Clark", True)):
        Contact.objects.create(last_name=last, do_not_contact=dnc, owner=admin_user)
    return client


def test_the_list_filters_and_ordering_apply(api: APIClient) -> None:
    response = api.get("/api/v1/contacts/export/?do_not_contact=true&ordering=-last_name")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = as_dicts(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert [r["Last name"] for r in rows] == ["Clark", "Adams"]


def test_xlsx(api: APIClient) -> None:
    response = api.get("/api/v1/contacts/export/?format=xlsx&do_not_contact=false")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    header = [c.value for c in sheet[1]]
    assert [r[header.index("Last name")].value for r in sheet.iter_rows(min_row=2)] == ["Baker"]


def test_an_unknown_format_is_a_clear_400(api: APIClient) -> None:
    response = api.get("/api/v1/contacts/export/?format=pdf")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["format"] == ["Export as csv or xlsx."]


def test_raw_must_be_true_or_false(api: APIClient) -> None:
    response = api.get("/api/v1/contacts/export/?raw=maybe")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["raw"] == ["Give true or false."]


def test_the_schema_documents_the_export(api: APIClient) -> None:
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/contacts/export/"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"format", "raw", "do_not_contact"} <= parameters
    assert {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= set(
        operation["responses"]["200"]["content"]
    )
