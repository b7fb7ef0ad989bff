"""GET/PUT /api/v1/leads/{id}/answers/: answers by question key and answer key."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rapport.leads.models import QualificationAnswer
from rapport.leads.tests.helpers import make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(rep) -> APIClient:
    api = APIClient()
    api.force_authenticate(rep)
    return api


def test_answers_are_set_and_read_back_by_key(client, rep) -> None:
    lead = make_lead(rep)
    url = f"/api/v1/leads/{lead.pk}/answers/"
    response = client.put(
        url, {"answers": {"budget_range": "10k_50k", "decision_timeline": "90_days"}}, format="json"
    )
    assert response.status_code == 200, response.content
    body = {row["question"]: row["value_label"] for row in client.get(url).json()}
    assert body == {"budget_range": "10,000 to 50,000", "decision_timeline": "90 days"}
    assert client.get(f"/api/v1/leads/{lead.pk}/").json()["completeness"] == 20


def test_null_clears_an_answer_and_others_are_kept(client, rep) -> None:
    lead = make_lead(rep)
    url = f"/api/v1/leads/{lead.pk}/answers/"
    client.put(url, {"answers": {"budget_range": "none", "need_level": "critical"}}, format="json")
    client.put(url, {"answers": {"budget_range": None}}, format="json")
    assert [a.question.key for a in QualificationAnswer.objects.filter(lead=lead)] == ["need_level"]


def test_an_impossible_answer_is_refused_naming_the_question_and_nothing_is_saved(
    client, rep
) -> None:
    lead = make_lead(rep)
    response = client.put(
        f"/api/v1/leads/{lead.pk}/answers/",
        {"answers": {"need_level": "critical", "budget_range": "90_days"}},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["budget_range"]
    assert not QualificationAnswer.objects.exists()


def test_a_role_that_only_reads_leads_may_read_but_not_answer(rep, make_user) -> None:
    lead = make_lead(rep)
    executive = make_user(role="executive")
    api = APIClient()
    api.force_authenticate(executive)
    url = f"/api/v1/leads/{lead.pk}/answers/"
    assert api.get(url).status_code == 200
    response = api.put(url, {"answers": {"need_level": "critical"}}, format="json")
    assert response.status_code == 403
    assert not QualificationAnswer.objects.exists()
