"""Record pages show a "Data quality" card: the score now and what to fix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.access.models import FieldPermission
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_the_lead_page_shows_its_score_and_what_to_fix(client, admin_user):
    lead = helpers.lead(admin_user, first_name="Grace")
    client.force_login(admin_user)
    response = client.get(reverse("leads:lead-detail", args=[lead.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Data quality" in body
    assert "No company" in body
    assert ">55<" in body


@pytest.mark.parametrize(
    ("url_name", "build"),
    [
        ("customers:account-detail", helpers.account),
        ("customers:contact-detail", helpers.contact),
        ("pipeline:opportunity-detail", helpers.opportunity),
    ],
)
def test_every_scored_record_page_has_the_card(client, admin_user, url_name, build):
    record = build(admin_user)
    client.force_login(admin_user)
    response = client.get(reverse(url_name, args=[record.pk]))
    assert response.status_code == 200
    assert "Data quality" in response.content.decode()


def test_an_issue_about_a_hidden_field_is_not_shown(client, rep):
    FieldPermission.objects.create(
        role=rep.role, record_type="contact", field_name="title_level", access="hidden"
    )
    contact = helpers.contact(rep, email="ada@example.com")
    client.force_login(rep)
    response = client.get(reverse("customers:contact-detail", args=[contact.pk]))
    body = response.content.decode()
    assert "Data quality" in body
    assert "No title level" not in body
    assert "No job title" in body
