"""The entry check: likely duplicates of a record being entered, among those the viewer sees."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rapport.access import crud
from rapport.access.models import User
from rapport.core.recycle import record_soft_delete
from rapport.customers.models import Contact
from rapport.quality.dedupe.models import MatchRule
from rapport.quality.dedupe.services import check_duplicates

pytestmark = pytest.mark.django_db

ANN = {"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"}


def test_a_contact_with_the_same_email_is_a_candidate(rep: User) -> None:
    existing: Contact = crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    new = Contact(first_name="Annie", last_name="Lee", email="ANN@acme.com", owner=rep)
    candidates = check_duplicates("contact", new, viewer=rep)
    assert [c.record for c in candidates] == [existing]
    assert candidates[0].reasons[0] == "same e-mail"
    assert candidates[0].url == f"/contacts/{existing.pk}/"


def test_a_record_is_not_its_own_duplicate(rep: User) -> None:
    existing: Contact = crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    assert check_duplicates("contact", existing, viewer=rep) == []


def test_records_the_viewer_may_not_see_are_not_candidates(
    rep: User, make_user: Callable[..., User]
) -> None:
    other_rep = make_user(role="sales_rep")
    crud.record_create(record_type="contact", acting_user=other_rep, values=ANN)
    new = Contact(**ANN, owner=rep)
    visible_to_all = check_duplicates("contact", new, viewer=None)
    assert len(visible_to_all) == 1
    assert check_duplicates("contact", new, viewer=rep) == []  # a rep sees their team's only


def test_records_in_the_recycle_bin_are_not_candidates(rep: User) -> None:
    existing: Contact = crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    record_soft_delete(obj=existing, acting_user=rep)
    assert check_duplicates("contact", Contact(**ANN, owner=rep), viewer=rep) == []


def test_an_inactive_rule_checks_nothing(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    MatchRule.objects.create(record_type="contact", active=False)
    assert check_duplicates("contact", Contact(**ANN, owner=rep), viewer=rep) == []


def test_a_stricter_threshold_drops_weaker_candidates(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    new = Contact(first_name="Ann", last_name="Lee", email="ann@other.org", owner=rep)
    new_with_same_email = Contact(**ANN, owner=rep)
    MatchRule.objects.create(record_type="contact", threshold=0.95)
    assert check_duplicates("contact", new, viewer=rep) == []
    assert len(check_duplicates("contact", new_with_same_email, viewer=rep)) == 1
