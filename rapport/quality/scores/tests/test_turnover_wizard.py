"""The turnover wizard: pick a leaver, see the counts, hand over, download the report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.core.models import AuditEntry
from rapport.leads.models import Lead
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(make_user, team):
    return make_user(team=team, first_name="Leo", last_name="Leaver", is_active=False)


def test_the_preview_shows_the_counts(client, admin_user, leaver):
    helpers.lead(leaver)
    helpers.lead(leaver, last_name="Second")
    client.force_login(admin_user)
    response = client.get(reverse("scores:turnover"), {"user": leaver.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open leads</dt><dd>2</dd>" in body
    assert "Hand over</button>" in body


def test_handing_everything_to_a_successor_shows_the_report_and_the_csv(
    client, admin_user, leaver, make_user
):
    successor = make_user(first_name="Sue", last_name="Successor")
    lead = helpers.lead(leaver)
    client.force_login(admin_user)
    url = reverse("scores:turnover") + f"?user={leaver.pk}"
    form = {"all_rule": "successor", "all_successor": successor.pk}
    form |= {f"{key}_rule": "keep" for key in ("lead", "opportunity", "account", "contact", "task")}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "1 record handed over" in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).owner == successor
    csv = client.get(reverse("scores:turnover-csv", args=[leaver.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    assert "Sue Successor" in csv.content.decode()


def test_an_error_is_shown_on_the_form_and_nothing_changes(client, admin_user, leaver):
    lead = helpers.lead(leaver)
    client.force_login(admin_user)
    url = reverse("scores:turnover") + f"?user={leaver.pk}"
    form = {f"{key}_rule": "keep" for key in ("opportunity", "account", "contact", "task")}
    form["lead_rule"] = "successor"
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Choose a successor" in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).owner == leaver


def test_a_rep_is_refused_and_nothing_changes(client, rep, leaver, make_user):
    successor = make_user()
    lead = helpers.lead(leaver)
    client.force_login(rep)
    url = reverse("scores:turnover") + f"?user={leaver.pk}"
    response = client.post(url, {"all_rule": "successor", "all_successor": successor.pk})
    assert response.status_code == 403
    assert client.get(reverse("scores:turnover-csv", args=[leaver.pk])).status_code == 403
    assert Lead.objects.get(pk=lead.pk).owner == leaver
    assert (
        not AuditEntry.objects.filter(record_type="lead", object_id=lead.pk)
        .exclude(action="create")
        .exists()
    )
