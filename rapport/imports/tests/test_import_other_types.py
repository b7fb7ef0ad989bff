"""Leads, opportunities and activities go through their own services (status and stage
history, activity links); their relations are resolved by name or e-mail, or reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.activities.models import Activity
from rapport.customers.services import account_create, contact_create
from rapport.imports import services
from rapport.imports.models import ImportBatch, ImportRow
from rapport.imports.tests.engine_fixtures import run, write_csv
from rapport.leads.models import Lead, LeadStatusChange
from rapport.pipeline.models import Opportunity, StageChange

pytestmark = pytest.mark.django_db


def test_leads_import_with_their_status_history_and_roll_back(admin_user, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "leads.csv",
        [["Last name", "Company", "Email", "Status"],
         ["Ng", "Initech", "ng@initech.example", "Working"],
         ["Ode", "Hooli", "ode@hooli.example", "no such status"]],
    )  # fmt: skip
    dry = run(admin_user, path, record_type="lead", dry_run=True)
    assert (dry.accepted, dry.rejected) == (1, 1)
    assert not Lead.all_objects.exists()
    assert "Status" in ImportRow.objects.get(batch=dry, line=3).reasons[0]["message"]
    batch = run(admin_user, path, record_type="lead")
    lead = Lead.objects.get()
    assert lead.status.label == "Working"
    assert LeadStatusChange.objects.filter(lead=lead).count() == 1
    services.batch_rollback(batch=batch, acting_user=admin_user)
    assert not Lead.all_objects.exists()
    assert not LeadStatusChange.objects.exists()


def test_opportunities_find_their_account_and_unresolved_ones_are_rejected(
    admin_user, tmp_path: Path
) -> None:
    acme = account_create(acting_user=admin_user, values={"name": "Acme GmbH"})
    path = write_csv(
        tmp_path / "deals.csv",
        [["Name", "Account", "Amount"], ["Big deal", "ACME", "1.234,50"],
         ["Lost deal", "Nobody Ltd", "10"]],
    )  # fmt: skip
    batch = run(admin_user, path, record_type="opportunity", options={"decimal_mark": ","})
    assert (batch.accepted, batch.rejected) == (1, 1)
    deal = Opportunity.objects.get()
    assert deal.account == acme
    assert str(deal.amount) == "1234.50"
    assert StageChange.objects.filter(opportunity=deal).count() == 1
    reason = ImportRow.objects.get(batch=batch, line=3).reasons[0]
    assert reason["field"] == "account"
    assert "Nobody Ltd" in reason["message"]


def test_activities_link_to_a_contact_by_email_or_report_a_missing_one(
    admin_user, tmp_path: Path
) -> None:
    ada = contact_create(
        acting_user=admin_user, values={"last_name": "Lovelace", "email": "ada@example.com"}
    )
    acme = account_create(acting_user=admin_user, values={"name": "Acme GmbH"})
    path = write_csv(
        tmp_path / "calls.csv",
        [["Kind", "Subject", "Contact", "Account"], ["Note", "Met Ada", "ada@example.com", ""],
         ["note", "Met a stranger", "who@example.com", "Acme GmbH"]],
    )  # fmt: skip
    batch = run(admin_user, path, record_type="activity", options={"unresolved": "report"})
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.accepted, batch.rejected) == (2, 0)
    assert Activity.objects.get(subject="Met Ada").contact == ada
    stranger = Activity.objects.get(subject="Met a stranger")
    assert stranger.contact is None
    assert stranger.account == acme
    note = ImportRow.objects.get(batch=batch, line=3).reasons[0]
    assert note["message"].startswith("Relation not found")
