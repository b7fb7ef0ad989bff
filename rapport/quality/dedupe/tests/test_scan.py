"""The scan proposes likely duplicates from shared keys, remembers decisions, clusters pairs."""

from __future__ import annotations

import pytest

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.leads.services import lead_create
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.scan import duplicate_pair_decide, duplicates_scan, scan_pairs

pytestmark = pytest.mark.django_db(transaction=True)


def contact(rep: User, **values: object) -> Contact:
    created: Contact = crud.record_create(record_type="contact", acting_user=rep, values=values)
    return created


@pytest.fixture
def three_anns(rep: User) -> list[Contact]:
    return [
        contact(rep, first_name="Ann", last_name="Lee", email="ann@acme.com"),
        contact(rep, first_name="Annie", last_name="Lee", email="ann@acme.com"),
        contact(rep, first_name="A", last_name="Lee", email="ann@acme.com", phone="+4930123456"),
    ]


def test_scan_pairs_scores_only_records_sharing_a_key(rep: User) -> None:
    a = contact(rep, first_name="Ann", last_name="Lee", email="ann@acme.com")
    b = contact(rep, first_name="Ann", last_name="Lee", email="ann@acme.com")
    contact(rep, first_name="Zed", last_name="Quux", email="zed@other.org")
    pairs = list(scan_pairs("contact"))
    assert [(p.object_id, p.other_id) for p in pairs] == [(a.pk, b.pk)]
    assert pairs[0].reasons[:2] == ["same e-mail", "same name"]


def test_scan_pairs_runs_on_given_rows_without_the_database() -> None:
    rows = [
        {"id": 1, "first_name": "Bob", "last_name": "Smith", "phone": "+14155550100"},
        {"id": 2, "first_name": "Robert", "last_name": "Smith", "phone": "+1 415 555 0100"},
        {"id": 3, "first_name": "Jane", "last_name": "Doe"},
    ]
    pairs = list(scan_pairs("contact", rows=rows))
    assert [(p.object_id, p.other_id) for p in pairs] == [(1, 2)]
    assert pairs[0].score > 0.8


def test_the_scan_fills_the_queue_with_one_cluster(rep: User, three_anns: list[Contact]) -> None:
    summary = duplicates_scan(record_type="contact", acting_user=rep)
    assert summary.proposed == 3
    pairs = list(DuplicatePair.objects.all())
    assert {p.status for p in pairs} == {"open"}
    assert len({p.cluster for p in pairs}) == 1
    assert pairs == sorted(pairs, key=lambda p: -p.score)


def test_a_pair_called_not_a_duplicate_stays_so_after_a_rescan(
    rep: User, three_anns: list[Contact]
) -> None:
    duplicates_scan(record_type="contact", acting_user=rep)
    pair = DuplicatePair.objects.first()
    assert pair is not None
    duplicate_pair_decide(pair=pair, status="not_duplicate", acting_user=rep)
    duplicates_scan(record_type="contact", acting_user=rep)
    pair.refresh_from_db()
    assert pair.status == "not_duplicate"
    assert pair.decided_by == rep
    assert DuplicatePair.objects.count() == 3


def test_leads_are_scanned_against_contacts(rep: User, three_anns: list[Contact]) -> None:
    lead = lead_create(
        acting_user=rep, values={"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"}
    )
    pairs = list(scan_pairs("lead"))
    assert {(p.record_type, p.object_id, p.other_type) for p in pairs} == {
        ("lead", lead.pk, "contact")
    }
    assert {p.other_id for p in pairs} == {c.pk for c in three_anns}
