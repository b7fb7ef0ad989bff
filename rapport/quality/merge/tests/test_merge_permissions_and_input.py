"""A merge needs edit on the survivor and delete on the others; bad input names the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.access.models import FieldPermission
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


def test_a_rep_who_may_not_delete_contacts_cannot_merge_them(rep):
    first = b.make_contact(rep, email="a@example.com")
    second = b.make_contact(rep, phone="+4930111")
    before = b.dump()
    with pytest.raises(PermissionDenied):
        records_merge(acting_user=rep, record_type="contact", survivor=first, others=[second])
    assert b.dump() == before
    assert not Merge.objects.exists()


def test_a_manager_may_merge_the_teams_contacts(make_user):
    manager = make_user(role="sales_manager")
    first = b.make_contact(manager)
    second = b.make_contact(manager)
    merge = records_merge(
        acting_user=manager, record_type="contact", survivor=first, others=[second]
    )
    assert merge.merged_by == manager


def test_a_hidden_field_keeps_the_survivors_value_and_cannot_be_chosen(make_user):
    manager = make_user(role="sales_manager")
    FieldPermission.objects.create(
        role=manager.role, record_type="contact", field_name="email", access="hidden"
    )
    first = b.make_contact(manager, email="kept@example.com")
    second = b.make_contact(manager, email="newer@example.com")
    with pytest.raises(PermissionDenied, match="email"):
        records_merge(
            acting_user=manager,
            record_type="contact",
            survivor=first,
            others=[second],
            field_values={"email": second.pk},
        )
    records_merge(acting_user=manager, record_type="contact", survivor=first, others=[second])
    first.refresh_from_db()
    assert first.email == "kept@example.com"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"record_type": "opportunity"}, "record_type"),
        ({"others": []}, "others"),
        ({"field_values": {"nonsense": 1}}, "nonsense"),
        ({"field_values": {"email": 999999}}, "email"),
    ],
)
def test_bad_input_is_refused_naming_the_field(admin_user, rep, arguments, field):
    first = b.make_contact(rep)
    second = b.make_contact(rep)
    call = {
        "acting_user": admin_user,
        "record_type": "contact",
        "survivor": first,
        "others": [second],
        **arguments,
    }
    with pytest.raises(ValidationError) as error:
        records_merge(**call)
    assert field in error.value.message_dict
    assert not Merge.objects.exists()


def test_four_records_are_too_many(admin_user, rep):
    people = [b.make_contact(rep) for _ in range(4)]
    with pytest.raises(ValidationError, match="two or three"):
        records_merge(
            acting_user=admin_user, record_type="contact", survivor=people[0], others=people[1:]
        )


def test_an_account_cannot_be_merged_with_its_own_parent(admin_user, rep):
    parent = b.make_account(rep, "Group")
    child = b.make_account(rep, "Child", parent=parent)
    before = b.dump()
    with pytest.raises(ValidationError) as error:
        records_merge(
            acting_user=admin_user,
            record_type="account",
            survivor=child,
            others=[parent],
            field_values={"parent": child.pk},
        )
    assert "parent" in error.value.message_dict
    assert b.dump() == before
