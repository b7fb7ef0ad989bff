"""A status change is timestamped and kept in the status history; it counts as a touch."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapport.leads import services
from rapport.leads.models import Lead, LeadStatusChange
from rapport.leads.tests.helpers import make_lead, status

pytestmark = pytest.mark.django_db


def test_changing_the_status_sets_both_timestamps_and_writes_the_history(rep) -> None:
    lead = make_lead(rep)
    Lead.objects.filter(pk=lead.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=3)
    )
    lead.refresh_from_db()
    before = timezone.now()
    services.lead_update(acting_user=rep, lead=lead, values={"status": status("working")})
    lead.refresh_from_db()
    assert lead.status.key == "working"
    assert lead.status_changed_at >= before
    assert lead.last_touched_at == lead.status_changed_at
    latest = LeadStatusChange.objects.filter(lead=lead).latest("changed_at", "id")
    assert latest.from_status is not None
    assert (latest.from_status.key, latest.to_status.key) == ("new", "working")
    assert latest.changed_by == rep
    assert latest.changed_at == lead.status_changed_at


def test_changing_other_fields_is_not_a_touch(rep) -> None:
    lead = make_lead(rep)
    changed_at = lead.status_changed_at
    services.lead_update(acting_user=rep, lead=lead, values={"job_title": "CTO"})
    lead.refresh_from_db()
    assert lead.last_touched_at is None
    assert lead.status_changed_at == changed_at
    assert LeadStatusChange.objects.filter(lead=lead).count() == 1


def test_saving_the_same_status_again_is_not_a_change(rep) -> None:
    lead = make_lead(rep)
    services.lead_update(acting_user=rep, lead=lead, values={"status": status("new")})
    lead.refresh_from_db()
    assert lead.last_touched_at is None
    assert LeadStatusChange.objects.filter(lead=lead).count() == 1


def test_the_status_converted_is_only_reached_by_converting(rep) -> None:
    lead = make_lead(rep)
    with pytest.raises(ValidationError) as error:
        services.lead_update(acting_user=rep, lead=lead, values={"status": status("converted")})
    assert "status" in error.value.message_dict
    assert Lead.objects.get(pk=lead.pk).status.key == "new"
    assert LeadStatusChange.objects.filter(lead=lead).count() == 1


def test_someone_elses_lead_is_out_of_a_reps_sight(rep, make_user) -> None:
    other = make_user(role="sales_rep")
    lead = make_lead(other)
    from django.http import Http404

    with pytest.raises(Http404):
        services.lead_update(acting_user=rep, lead=lead, values={"status": status("working")})
    assert Lead.objects.get(pk=lead.pk).status.key == "new"
    assert LeadStatusChange.objects.filter(lead=lead).count() == 1
