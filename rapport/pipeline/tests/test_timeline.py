"""Deals on the timelines of their account and contact; a deal's stage changes on its own."""

from __future__ import annotations

import pytest

from rapport.activities.timeline import timeline_for
from rapport.customers.models import Contact
from rapport.pipeline import services
from rapport.pipeline.tests.conftest import complete_steps

pytestmark = pytest.mark.django_db


def test_an_accounts_timeline_shows_its_deals(opportunity, account, rep):
    entries = timeline_for(viewer=rep, subject_type="account", subject=account)
    [deal] = [e for e in entries if e.kind == "opportunity"]
    assert deal.title == "Big deal"
    assert deal.badge == "Prospecting"


def test_a_contacts_timeline_shows_the_deals_they_are_the_contact_of(
    make_opportunity, account, rep
):
    contact = Contact.objects.create(first_name="Carla", last_name="C", account=account, owner=rep)
    make_opportunity(rep, name="With Carla", contact=contact)
    make_opportunity(rep, name="Without")
    entries = timeline_for(viewer=rep, subject_type="contact", subject=contact)
    assert [e.title for e in entries if e.kind == "opportunity"] == ["With Carla"]


def test_deals_out_of_the_viewers_sight_stay_off_the_timeline(opportunity, account, make_user):
    other = make_user(role="sales_rep")
    entries = timeline_for(viewer=other, subject_type="account", subject=account)
    assert [e for e in entries if e.kind == "opportunity"] == []


def test_a_deals_timeline_shows_its_stage_changes(opportunity, rep, stages):
    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    entries = timeline_for(viewer=rep, subject_type="opportunity", subject=opportunity)
    titles = [e.title for e in entries if e.kind == "stage-change"]
    assert titles == ["Moved to Discovery", "Created at Prospecting"]
