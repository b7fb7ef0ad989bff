"""Creating a lead: status "new" by default, its first status history entry, never touched yet."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.core.models import AuditEntry
from rapport.leads import services
from rapport.leads.models import Lead, LeadStatusChange
from rapport.leads.tests.helpers import status

pytestmark = pytest.mark.django_db


def test_a_new_lead_starts_as_new_and_owned_by_its_creator(rep) -> None:
    lead = services.lead_create(acting_user=rep, values={"last_name": "Ng", "company": "Acme"})
    assert lead.status.key == "new"
    assert lead.owner == rep
    assert lead.last_touched_at is None
    assert lead.status_changed_at is not None


def test_creating_a_lead_writes_its_first_status_change(rep) -> None:
    lead = services.lead_create(acting_user=rep, values={"last_name": "Ng"})
    [change] = LeadStatusChange.objects.filter(lead=lead)
    assert change.from_status is None
    assert change.to_status.key == "new"
    assert change.changed_by == rep
    assert change.changed_at == lead.status_changed_at


def test_creating_a_lead_is_audited(rep) -> None:
    lead = services.lead_create(acting_user=rep, values={"last_name": "Ng"})
    entry = AuditEntry.objects.get(record_type="lead", object_id=lead.pk)
    assert entry.action == "create"
    assert entry.changes["last_name"] == {"old": None, "new": "Ng"}


def test_a_role_without_lead_rights_cannot_create_one(make_user) -> None:
    agent = make_user(role="service_agent")
    with pytest.raises(PermissionDenied):
        services.lead_create(acting_user=agent, values={"last_name": "Ng"})
    assert Lead.all_objects.count() == 0
    assert LeadStatusChange.objects.count() == 0


def test_a_lead_cannot_be_created_converted(rep) -> None:
    with pytest.raises(ValidationError) as error:
        services.lead_create(
            acting_user=rep, values={"last_name": "Ng", "status": status("converted")}
        )
    assert "status" in error.value.message_dict
    assert Lead.all_objects.count() == 0


def test_a_missing_last_name_is_refused_naming_the_field(rep) -> None:
    with pytest.raises(ValidationError) as error:
        services.lead_create(acting_user=rep, values={"company": "Acme"})
    assert "last_name" in error.value.message_dict
    assert Lead.all_objects.count() == 0
