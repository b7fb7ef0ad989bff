"""The lead list and page: completeness and time since last touch as columns, the qualification
panel saving by HTMX, the status history and the timeline."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.leads import services
from rapport.leads.models import Lead, QualificationAnswer
from rapport.leads.tests.helpers import make_lead, question, status, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(rep) -> Client:
    c = Client()
    c.force_login(rep)
    return c


def test_the_list_shows_status_source_owner_completeness_and_last_touch(client, rep) -> None:
    lead = make_lead(rep, source=value("lead_source", "referral"))
    services.lead_answer(
        acting_user=rep,
        lead=lead,
        question=question("need_level"),
        value=value("need_level", "critical"),
    )
    html = client.get("/leads/").content.decode()
    for text in ("Lou Lead", "New", "Referral", "Rita Rep", "10%", "Never", "Last touched"):
        assert text in html


def test_the_list_sorts_by_last_touch_never_touched_first(client, rep) -> None:
    recent = make_lead(rep, last_name="Recent")
    old = make_lead(rep, last_name="Old")
    never = make_lead(rep, last_name="Never")
    now = timezone.now()
    Lead.objects.filter(pk=recent.pk).update(last_touched_at=now)
    Lead.objects.filter(pk=old.pk).update(last_touched_at=now - datetime.timedelta(days=9))
    rows = client.get("/leads/?sort=touched").context["page"].rows
    assert [row.obj.pk for row in rows] == [never.pk, old.pk, recent.pk]


def test_the_list_filters_by_status_and_untouched_days(client, rep) -> None:
    working = make_lead(rep, last_name="Working")
    services.lead_update(acting_user=rep, lead=working, values={"status": status("working")})
    fresh = make_lead(rep, last_name="Fresh")
    rows = client.get("/leads/?status=working").context["page"].rows
    assert [row.obj.pk for row in rows] == [working.pk]
    rows = client.get("/leads/?untouched_days=3").context["page"].rows
    assert [row.obj.pk for row in rows] == [fresh.pk]


def test_the_list_takes_the_same_queries_for_2_or_10_leads(client, rep) -> None:
    for n in range(2):
        make_lead(rep, last_name=f"L{n}")
    client.get("/leads/")  # the first request of a session loads more (session, rules)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/leads/").status_code == 200
    for n in range(8):
        make_lead(rep, last_name=f"M{n}", source=value("lead_source", "event"))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/leads/").context["page"].rows) == 10
    assert len(many) == len(few)


def test_the_lead_page_shows_the_qualification_panel_history_and_timeline(client, rep) -> None:
    lead = make_lead(rep)
    services.lead_update(acting_user=rep, lead=lead, values={"status": status("working")})
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Decision timeline: when will they decide?" in html
    assert 'id="completeness-bar"' in html
    assert "Status history" in html
    assert 'id="timeline"' in html
    assert "Convert" not in html  # not qualified yet


def test_a_qualified_lead_offers_the_convert_button(client, rep) -> None:
    lead = make_lead(rep)
    services.lead_update(acting_user=rep, lead=lead, values={"status": status("qualified")})
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f"/leads/{lead.pk}/convert/" in html


def test_the_lead_page_takes_the_same_queries_with_more_history(client, rep) -> None:
    lead = make_lead(rep)
    client.get(f"/leads/{lead.pk}/")  # the first request of a session loads more
    with CaptureQueriesContext(connection) as few:
        client.get(f"/leads/{lead.pk}/")
    for key in ("working", "nurturing", "working", "qualified"):
        services.lead_update(acting_user=rep, lead=lead, values={"status": status(key)})
    services.lead_answer(
        acting_user=rep,
        lead=lead,
        question=question("need_level"),
        value=value("need_level", "critical"),
    )
    with CaptureQueriesContext(connection) as many:
        client.get(f"/leads/{lead.pk}/")
    assert len(many) == len(few)


def test_choosing_an_answer_saves_it_and_returns_the_panel(client, rep) -> None:
    lead = make_lead(rep)
    q = question("budget_range")
    answer = value("budget_range", "50k_250k")
    response = client.post(
        f"/leads/{lead.pk}/answers/", {f"q_{q.pk}": answer.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="qualification"' in html
    assert "<html" not in html
    assert 'value="10"' in html  # the completeness bar: 1 of 10
    assert QualificationAnswer.objects.get(lead=lead).value == answer


def test_an_answer_from_another_list_is_refused_in_the_panel(client, rep) -> None:
    lead = make_lead(rep)
    q = question("budget_range")
    wrong = value("need_level", "critical")
    response = client.post(
        f"/leads/{lead.pk}/answers/", {f"q_{q.pk}": wrong.pk}, HTTP_HX_REQUEST="true"
    )
    assert "is not one of the possible answers" in response.content.decode()
    assert not QualificationAnswer.objects.exists()


def test_saving_answers_without_script_redirects_back(client, rep) -> None:
    lead = make_lead(rep)
    q = question("user_count")
    response = client.post(
        f"/leads/{lead.pk}/answers/", {f"q_{q.pk}": value("user_count", "1_10").pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/leads/{lead.pk}/"
    assert QualificationAnswer.objects.filter(lead=lead).count() == 1


def test_someone_who_only_reads_leads_cannot_answer(rep, make_user) -> None:
    lead = make_lead(rep)
    executive = make_user(role="executive")
    c = Client()
    c.force_login(executive)
    q = question("user_count")
    response = c.post(f"/leads/{lead.pk}/answers/", {f"q_{q.pk}": value("user_count", "1_10").pk})
    assert response.status_code == 403
    assert not QualificationAnswer.objects.exists()


def test_the_create_form_starts_as_new_and_the_status_offers_active_values(client, rep) -> None:
    response = client.get("/leads/new/")
    form = response.context["form"]
    assert form.initial["status"] == status("new").pk
    keys = [v.key for v in form.fields["status"].queryset]
    assert "new" in keys
    response = client.post(
        "/leads/new/", {"last_name": "Ng", "owner": rep.pk, "status": status("new").pk}
    )
    assert response.status_code == 302
    lead = Lead.objects.get(last_name="Ng")
    assert lead.status_changes.count() == 1


def test_the_list_filters_converted_leads_in_or_out(client, rep) -> None:
    open_lead = make_lead(rep, last_name="Open")
    done = make_lead(rep, last_name="Done")
    Lead.objects.filter(pk=done.pk).update(converted_at=timezone.now())
    rows = client.get("/leads/?converted=no").context["page"].rows
    assert [row.obj.pk for row in rows] == [open_lead.pk]
    rows = client.get("/leads/?converted=yes").context["page"].rows
    assert [row.obj.pk for row in rows] == [done.pk]


def test_the_status_is_changed_from_the_lead_page(client, rep) -> None:
    lead = make_lead(rep)
    response = client.post(f"/leads/{lead.pk}/status/", {"status": status("working").pk})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status.key == "working"
    assert lead.last_touched_at is not None
    assert lead.status_changes.count() == 2


def test_the_page_does_not_offer_converted_as_a_status(client, rep) -> None:
    lead = make_lead(rep)
    choices = client.get(f"/leads/{lead.pk}/").context["status_choices"]
    assert "converted" not in [c.key for c in choices]
    response = client.post(f"/leads/{lead.pk}/status/", {"status": status("converted").pk})
    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).status.key == "new"


def test_someone_who_only_reads_leads_cannot_change_the_status(rep, make_user) -> None:
    lead = make_lead(rep)
    c = Client()
    c.force_login(make_user(role="executive"))
    assert c.post(f"/leads/{lead.pk}/status/", {"status": status("working").pk}).status_code == 403
    assert Lead.objects.get(pk=lead.pk).status.key == "new"
