"""Audit entries cannot be changed or deleted: not through the models, the API or the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from rapport.access import services
from rapport.core.models import AuditEntry, ImmutableAuditEntryError

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(admin_user, team) -> AuditEntry:
    services.team_update(acting_user=admin_user, team=team, description="Big deals")
    return AuditEntry.objects.for_record("team", team.pk).get()


def _unchanged(entry: AuditEntry) -> bool:
    fresh = AuditEntry.objects.get(pk=entry.pk)
    return (fresh.action, fresh.changes, fresh.actor_id, fresh.at) == (
        entry.action,
        entry.changes,
        entry.actor_id,
        entry.at,
    )


def test_saving_an_existing_entry_again_is_refused(entry):
    entry.changes = {"description": {"old": "", "new": "forged"}}
    with pytest.raises(ImmutableAuditEntryError):
        entry.save()
    entry.refresh_from_db()
    assert entry.changes == {"description": {"old": "", "new": "Big deals"}}


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(ImmutableAuditEntryError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_updates_and_deletes_are_refused(entry):
    with pytest.raises(ImmutableAuditEntryError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="create")
    with pytest.raises(ImmutableAuditEntryError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert _unchanged(entry)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_history_api_offers_no_way_to_write(token_client, entry, method):
    url = f"/api/v1/teams/{entry.object_id}/history/"
    response = getattr(token_client, method)(url, {"changes": {}}, format="json")
    assert response.status_code == 405
    assert _unchanged(entry)
    assert AuditEntry.objects.count() == AuditEntry.objects.filter(pk__lte=entry.pk).count()


def test_the_api_has_no_audit_entry_collection(token_client, entry):
    assert token_client.get("/api/v1/audit-entries/").status_code == 404
    assert token_client.delete(f"/api/v1/audit-entries/{entry.pk}/").status_code == 404
    assert _unchanged(entry)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_changes_even_in_raw_sql(entry):
    for statement in (
        "UPDATE core_auditentry SET action = 'create' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="cannot be changed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert _unchanged(entry)
