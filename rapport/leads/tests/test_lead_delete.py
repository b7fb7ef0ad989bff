"""Deleting a lead moves it to the recycle bin, from which it comes back exactly."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from rapport.core.recycle import record_restore
from rapport.leads import selectors, services
from rapport.leads.models import Lead
from rapport.leads.tests.helpers import make_lead, question, value

pytestmark = pytest.mark.django_db


def test_a_deleted_lead_leaves_the_list_and_comes_back_with_its_answers(rep, admin_user) -> None:
    lead = make_lead(rep)
    services.lead_answer(
        acting_user=rep,
        lead=lead,
        question=question("need_level"),
        value=value("need_level", "critical"),
    )
    services.lead_delete(acting_user=rep, lead=lead)
    assert not selectors.lead_list(viewer=rep).filter(pk=lead.pk).exists()
    assert Lead.all_objects.get(pk=lead.pk).deleted_by == rep
    record_restore(record_type="lead", object_id=lead.pk, acting_user=admin_user)
    restored = selectors.lead_list(viewer=rep).get(pk=lead.pk)
    assert restored.answers.count() == 1


def test_a_role_that_may_only_read_leads_cannot_delete_one(rep, make_user) -> None:
    lead = make_lead(rep)
    with pytest.raises(PermissionDenied):
        services.lead_delete(acting_user=make_user(role="executive"), lead=lead)
    assert Lead.objects.filter(pk=lead.pk).exists()
