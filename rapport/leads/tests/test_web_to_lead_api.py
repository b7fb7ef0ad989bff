"""The public JSON endpoint: no login, no CSRF; the lead gets the form's owner and source."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from rapport.leads.models import Lead, QualificationAnswer
from rapport.leads.services import web_form_set_active
from rapport.leads.tests.helpers import make_web_form

pytestmark = pytest.mark.django_db

BODY: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "company": "Engines Ltd",
    "answers": {"budget_range": "10k_50k", "decision_timeline": "30_days"},
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings: Any) -> None:
    settings.RAPPORT_WEB_TO_LEAD_RATE = "5/minute"
    cache.clear()


@pytest.fixture
def client() -> APIClient:
    # enforce_csrf_checks: a session-less public endpoint must not need a token.
    return APIClient(enforce_csrf_checks=True)


def _url(form: Any) -> str:
    return f"/api/v1/web-to-lead/{form.key}/"


def test_a_submission_creates_a_new_lead_for_the_forms_owner(client, admin_user, rep) -> None:
    form = make_web_form(rep)
    response = client.post(_url(form), BODY, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"message": form.success_message, "redirect_url": ""}
    lead = Lead.objects.get()
    assert (lead.first_name, lead.last_name, lead.email) == ("Ada", "Lovelace", "ada@example.com")
    assert lead.owner == rep
    assert lead.source.key == "webinar"
    assert lead.status.key == "new"
    assert lead.web_form == form


def test_the_answers_pre_fill_the_leads_qualification(client, rep) -> None:
    form = make_web_form(rep)
    client.post(_url(form), BODY, format="json")
    answers = {a.question.key: a.value.key for a in QualificationAnswer.objects.all()}
    assert answers == {"budget_range": "10k_50k", "decision_timeline": "30_days"}
    assert all(a.answered_by is None for a in QualificationAnswer.objects.all())


def test_a_missing_required_field_is_named(client, rep) -> None:
    form = make_web_form(rep)
    response = client.post(_url(form), {"last_name": "Lovelace"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"email", "company"}
    assert not Lead.all_objects.exists()


def test_an_impossible_answer_is_named_by_its_question(client, rep) -> None:
    form = make_web_form(rep)
    body = {**BODY, "answers": {"budget_range": "a_million"}}
    response = client.post(_url(form), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["budget_range"]
    assert not Lead.all_objects.exists()


def test_a_question_the_form_does_not_ask_is_refused(client, rep) -> None:
    form = make_web_form(rep)
    body = {**BODY, "answers": {"competition": "none"}}
    response = client.post(_url(form), body, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()["error"]["fields"]
    assert not Lead.all_objects.exists()


def test_fields_the_form_does_not_ask_for_are_ignored(client, rep) -> None:
    form = make_web_form(rep)
    client.post(_url(form), {**BODY, "phone": "+1 555", "owner": 1}, format="json")
    lead = Lead.objects.get()
    assert lead.phone == ""
    assert lead.owner == rep


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, rep) -> None:
    form = make_web_form(rep)
    response = client.post(_url(form), {**BODY, "website_url": "http://spam"}, format="json")
    assert response.status_code == 201
    assert response.json()["message"] == form.success_message
    assert not Lead.all_objects.exists()
    assert not QualificationAnswer.objects.exists()


def test_too_many_submissions_from_one_address_get_429(client, rep) -> None:
    form = make_web_form(rep)
    for n in range(5):
        body = {**BODY, "email": f"ada{n}@example.com"}
        assert client.post(_url(form), body, format="json").status_code == 201
    response = client.post(_url(form), BODY, format="json")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert "Too many submissions" in error["message"]
    assert int(response["Retry-After"]) >= 1
    assert Lead.objects.count() == 5


def test_another_address_has_its_own_allowance(client, rep) -> None:
    form = make_web_form(rep)
    for _ in range(5):
        client.post(_url(form), BODY, format="json", REMOTE_ADDR="203.0.113.1")
    response = client.post(_url(form), BODY, format="json", REMOTE_ADDR="203.0.113.2")
    assert response.status_code == 201


def test_an_inactive_form_answers_404_with_a_message(client, rep) -> None:
    form = make_web_form(rep)
    web_form_set_active(acting_user=None, form=form, is_active=False, check_permission=False)
    response = client.post(_url(form), BODY, format="json")
    assert response.status_code == 404
    assert "no longer takes submissions" in response.json()["error"]["message"]
    assert not Lead.all_objects.exists()


def test_an_unknown_form_answers_404(client) -> None:
    response = client.post("/api/v1/web-to-lead/nope/", BODY, format="json")
    assert response.status_code == 404


def test_the_endpoint_is_in_the_openapi_schema(client, admin_user) -> None:
    api = APIClient()
    api.force_authenticate(admin_user)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/web-to-lead/{key}/" in schema.json()["paths"]
