"""Match keys follow every write of a contact, lead or account, and can be rebuilt."""

from __future__ import annotations

import pytest

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Account, Contact
from rapport.quality.dedupe.models import MatchKey
from rapport.quality.dedupe.services import keys_rebuild

pytestmark = pytest.mark.django_db


def keys(record_type: str, object_id: int) -> set[str]:
    return set(
        MatchKey.objects.filter(record_type=record_type, object_id=object_id).values_list(
            "key", flat=True
        )
    )


def test_creating_a_contact_writes_its_keys(rep: User) -> None:
    contact: Contact = crud.record_create(
        record_type="contact",
        acting_user=rep,
        values={"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"},
    )
    assert keys("contact", contact.pk) == {"e:ann@acme.com", "n:lee|a", "n:ann|l", "d:acme.com|lee"}


def test_changing_a_contact_replaces_its_keys(rep: User) -> None:
    contact: Contact = crud.record_create(
        record_type="contact", acting_user=rep, values={"first_name": "Ann", "last_name": "Lee"}
    )
    crud.record_update(
        record_type="contact", obj=contact, acting_user=rep, values={"last_name": "Kim"}
    )
    assert keys("contact", contact.pk) == {"n:kim|a", "n:ann|k"}


def test_accounts_get_company_keys(rep: User) -> None:
    account: Account = crud.record_create(
        record_type="account",
        acting_user=rep,
        values={"name": "Acme Inc.", "website": "https://acme.com"},
    )
    assert keys("account", account.pk) == {"k:acme", "d:acme.com"}


def test_a_rebuild_writes_keys_of_records_saved_without_the_services(rep: User) -> None:
    contact = Contact.objects.create(first_name="Bo", last_name="Ek", owner=rep)
    assert keys("contact", contact.pk) == set()
    written = keys_rebuild(record_types=["contact"])
    assert written == 2
    assert keys("contact", contact.pk) == {"n:ek|b", "n:bo|e"}
