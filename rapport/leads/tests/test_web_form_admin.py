"""Web form administration: fields from an allow-list, required fields, questions, owner and
source; the page shows the snippet to embed, the JSON endpoint and an example curl."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from rapport.leads import services
from rapport.leads.models import WebForm
from rapport.leads.tests.helpers import make_web_form, question, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(make_user):
    return make_user(role="marketing")


def test_marketing_creates_a_form_with_fields_questions_owner_and_source(marketer, rep) -> None:
    c = Client()
    c.force_login(marketer)
    response = c.post(
        "/admin/web-forms/new/",
        {
            "name": "Pricing page",
            "owner": rep.pk,
            "source": value("lead_source", "website").pk,
            "success_message": "Thanks!",
            "asked_fields": ["first_name", "company", "phone"],
            "required_fields": ["company"],
            "questions": [question("budget_range").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    form = WebForm.objects.get()
    assert form.fields == ["last_name", "email", "first_name", "company", "phone"]
    assert form.required_fields == ["last_name", "email", "company"]
    assert [q.key for q in form.questions.all()] == ["budget_range"]
    assert (form.owner, form.source.key) == (rep, "website")


def test_the_page_shows_the_snippet_the_endpoint_and_a_curl(marketer) -> None:
    form = make_web_form(marketer)
    c = Client()
    c.force_login(marketer)
    html = c.get(f"/admin/web-forms/{form.pk}/").content.decode()
    assert f"http://testserver/f/{form.key}/" in html
    assert f"http://testserver/api/v1/web-to-lead/{form.key}/" in html
    assert "&lt;form method=&quot;post&quot;" in html
    assert "website_url" in html
    assert "curl -X POST" in html
    assert "answer_budget_range" in html


def test_a_field_outside_the_allow_list_is_refused(marketer) -> None:
    with pytest.raises(ValidationError) as error:
        services.web_form_create(
            acting_user=marketer,
            values={
                "name": "Sneaky",
                "source": value("lead_source", "website"),
                "fields": ["last_name", "owner"],
            },
        )
    assert "fields" in error.value.message_dict
    assert not WebForm.objects.exists()


def test_a_required_field_must_be_asked(marketer) -> None:
    with pytest.raises(ValidationError) as error:
        services.web_form_create(
            acting_user=marketer,
            values={
                "name": "Odd",
                "source": value("lead_source", "website"),
                "fields": ["last_name", "email"],
                "required_fields": ["phone"],
            },
        )
    assert "required_fields" in error.value.message_dict


def test_a_sales_manager_reads_forms_but_cannot_change_them(make_user, marketer) -> None:
    form = make_web_form(marketer)
    manager = make_user(role="sales_manager")
    c = Client()
    c.force_login(manager)
    assert c.get(f"/admin/web-forms/{form.pk}/").status_code == 200
    response = c.post(
        f"/admin/web-forms/{form.pk}/",
        {"name": "Hijacked", "owner": manager.pk, "source": form.source_id, "success_message": "x"},
    )
    assert response.status_code == 403
    assert WebForm.objects.get(pk=form.pk).name == "Pricing page"


def test_the_api_creates_a_form_with_questions_by_key(marketer) -> None:
    api = APIClient()
    api.force_authenticate(marketer)
    response = api.post(
        "/api/v1/web-forms/",
        {
            "name": "Webinar signup",
            "source": "webinar",
            "fields": ["first_name", "company"],
            "questions": ["decision_timeline"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fields"] == ["last_name", "email", "first_name", "company"]
    assert body["questions"] == ["decision_timeline"]
    assert body["owner"] == marketer.pk
    assert body["api_url"].endswith(f"/api/v1/web-to-lead/{body['key']}/")
