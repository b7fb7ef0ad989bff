"""The hosted web-to-lead page: a plain form without the app shell, the same rules as the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from rapport.leads.models import Lead, QualificationAnswer
from rapport.leads.services import web_form_set_active
from rapport.leads.tests.helpers import make_web_form

pytestmark = pytest.mark.django_db

POST = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "company": "Engines Ltd",
    "answer_budget_range": "10k_50k",
    "website_url": "",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings: Any) -> None:
    settings.RAPPORT_WEB_TO_LEAD_RATE = "3/minute"
    cache.clear()


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)  # posted from other sites: no CSRF token


def test_the_page_shows_the_forms_fields_and_questions_without_the_app(client, rep) -> None:
    form = make_web_form(rep)
    response = client.get(f"/f/{form.key}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="last_name"' in html
    assert 'name="company"' in html
    assert 'name="answer_budget_range"' in html
    assert 'name="website_url"' in html
    assert 'class="sidebar"' not in html


def test_posting_creates_the_lead_and_thanks_the_visitor(client, rep) -> None:
    form = make_web_form(rep)
    response = client.post(f"/f/{form.key}/", POST)
    assert response.status_code == 200
    assert form.success_message in response.content.decode()
    lead = Lead.objects.get()
    assert (lead.owner, lead.source.key, lead.status.key, lead.web_form) == (
        rep,
        "webinar",
        "new",
        form,
    )
    assert QualificationAnswer.objects.get(lead=lead).value.key == "10k_50k"


def test_a_form_with_a_redirect_sends_the_visitor_there(client, rep) -> None:
    form = make_web_form(rep, redirect_url="https://example.com/thanks")
    response = client.post(f"/f/{form.key}/", POST)
    assert response.status_code == 302
    assert response["Location"] == "https://example.com/thanks"


def test_a_missing_field_is_shown_beside_it(client, rep) -> None:
    form = make_web_form(rep)
    response = client.post(f"/f/{form.key}/", {**POST, "company": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["company"] == ["This field is required."]
    assert not Lead.all_objects.exists()


def test_a_filled_honeypot_thanks_the_bot_and_stores_nothing(client, rep) -> None:
    form = make_web_form(rep)
    response = client.post(f"/f/{form.key}/", {**POST, "website_url": "http://spam"})
    assert response.status_code == 200
    assert form.success_message in response.content.decode()
    assert not Lead.all_objects.exists()


def test_the_page_and_the_api_share_one_allowance_per_address(client, rep) -> None:
    form = make_web_form(rep)
    for _ in range(3):
        assert client.post(f"/f/{form.key}/", POST).status_code == 200
    response = client.post(f"/f/{form.key}/", POST)
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()
    assert Lead.objects.count() == 3


def test_an_inactive_form_says_it_is_unavailable(client, rep) -> None:
    form = make_web_form(rep)
    web_form_set_active(acting_user=None, form=form, is_active=False, check_permission=False)
    assert client.get(f"/f/{form.key}/").status_code == 404
    response = client.post(f"/f/{form.key}/", POST)
    assert response.status_code == 404
    assert "no longer takes submissions" in response.content.decode()
    assert not Lead.all_objects.exists()
