"""Administrators add, edit, reorder and retire qualification questions; everyone reads them
through the API, only administrators change them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from rapport.core.models import Picklist
from rapport.leads import services
from rapport.leads.models import QualificationQuestion
from rapport.leads.tests.helpers import make_lead, question, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_user) -> Client:
    c = Client()
    c.force_login(admin_user)
    return c


def _order() -> list[str]:
    return list(QualificationQuestion.objects.values_list("key", flat=True))


def test_the_page_lists_the_questions_in_order(admin_client) -> None:
    response = admin_client.get("/admin/qualification-questions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Need: how badly") < html.index("Decision timeline: when will they decide?")


def test_moving_a_question_up_renumbers_the_list(admin_client) -> None:
    timeline = question("decision_timeline")
    response = admin_client.post(
        f"/admin/qualification-questions/{timeline.pk}/move/", {"direction": "up"}
    )
    assert response.status_code == 302
    assert _order()[:3] == ["need_level", "decision_timeline", "budget_range"]
    assert list(QualificationQuestion.objects.values_list("sort_order", flat=True)) == [
        10 * n for n in range(1, 11)
    ]


def test_a_new_question_goes_to_the_end(admin_client) -> None:
    response = admin_client.post(
        "/admin/qualification-questions/new/",
        {
            "key": "pain_owner",
            "text": "Who owns the pain?",
            "picklist": Picklist.objects.get(key="authority_level").pk,
        },
    )
    assert response.status_code == 302
    assert _order()[-1] == "pain_owner"


def test_retiring_a_question_keeps_its_answers_and_drops_it_from_completeness(
    admin_client, rep
) -> None:
    lead = make_lead(rep)
    q = question("competition")
    services.lead_answer(acting_user=rep, lead=lead, question=q, value=value("competition", "one"))
    response = admin_client.post(f"/admin/qualification-questions/{q.pk}/deactivate/")
    assert response.status_code == 302
    q.refresh_from_db()
    assert not q.is_active
    assert lead.answers.filter(question=q).exists()
    from rapport.leads.selectors import qualification_completeness

    assert qualification_completeness(lead).total == 9


def test_the_answers_of_an_answered_question_cannot_change_list(admin_user, rep) -> None:
    lead = make_lead(rep)
    q = question("competition")
    services.lead_answer(acting_user=rep, lead=lead, question=q, value=value("competition", "one"))
    with pytest.raises(ValidationError) as error:
        services.question_update(
            acting_user=admin_user,
            question=q,
            values={"picklist": Picklist.objects.get(key="budget_range")},
        )
    assert "picklist" in error.value.message_dict
    assert question("competition").picklist.key == "competition"


def test_reps_cannot_open_the_administration_pages(rep) -> None:
    c = Client()
    c.force_login(rep)
    q = question("need_level")
    assert c.get("/admin/qualification-questions/").status_code == 403
    response = c.post(f"/admin/qualification-questions/{q.pk}/move/", {"direction": "down"})
    assert response.status_code == 403
    assert _order()[0] == "need_level"


def test_everyone_reads_the_questions_with_their_possible_answers(rep) -> None:
    api = APIClient()
    api.force_authenticate(rep)
    body = api.get("/api/v1/qualification-questions/").json()["results"]
    assert [row["key"] for row in body][:3] == ["need_level", "budget_range", "decision_timeline"]
    timeline = body[2]
    assert timeline["picklist"] == "decision_timeline"
    assert [o["label"] for o in timeline["options"]] == [
        "30 days",
        "90 days",
        "6 months",
        "12 months",
    ]


def test_only_administrators_change_questions_through_the_api(rep, admin_user) -> None:
    q = question("need_level")
    api = APIClient()
    api.force_authenticate(rep)
    response = api.patch(
        f"/api/v1/qualification-questions/{q.pk}/", {"text": "Pain?"}, format="json"
    )
    assert response.status_code == 403
    assert question("need_level").text == q.text
    api.force_authenticate(admin_user)
    response = api.patch(
        f"/api/v1/qualification-questions/{q.pk}/", {"text": "Pain?"}, format="json"
    )
    assert response.status_code == 200
    assert question("need_level").text == "Pain?"


def test_the_api_retires_a_question_instead_of_deleting_it(admin_user) -> None:
    q = question("user_count")
    api = APIClient()
    api.force_authenticate(admin_user)
    assert api.delete(f"/api/v1/qualification-questions/{q.pk}/").status_code == 405
    response = api.post(f"/api/v1/qualification-questions/{q.pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert QualificationQuestion.objects.filter(pk=q.pk).exists()
