"""A Data Steward merges the records they may edit (no delete right needed: the others go to the
recycle bin and the merge can be undone); without edit, nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from rapport.access.models import RolePermission
from rapport.customers.models import Contact
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(make_user):
    return make_user(role="data_steward")


def test_a_steward_merges_contacts_someone_else_owns_through_the_api(api_client, steward, rep):
    first = b.make_contact(rep, email="ada@acme.example")
    second = b.make_contact(rep, job_title="CTO")
    api_client.force_authenticate(steward)

    response = api_client.post(
        "/api/v1/merges/",
        {
            "record_type": "contact",
            "survivor": first.pk,
            "others": [second.pk],
            "field_values": {"job_title": second.pk},
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Contact.objects.get(pk=first.pk).job_title == "CTO"
    assert not Contact.objects.filter(pk=second.pk).exists()  # in the recycle bin
    assert Merge.objects.get().merged_by == steward


def test_a_steward_merges_on_the_page_and_undoes_it(steward, rep):
    first = b.make_contact(rep, email="ada@acme.example")
    second = b.make_contact(rep, phone="+4930111")
    before = b.dump()
    client = Client()
    client.force_login(steward)
    url = f"/quality/merge/?type=contact&ids={first.pk},{second.pk}"
    assert client.get(url).status_code == 200

    response = client.post(
        reverse("merge:merge"),
        {"type": "contact", "ids": f"{first.pk},{second.pk}", "survivor": str(first.pk)},
    )

    assert response.status_code == 302
    merge = Merge.objects.get()
    assert merge.merged_by == steward
    undone = client.post(reverse("merge:merge-undo", args=[merge.pk]), follow=True)
    assert "The merge is undone" in undone.content.decode()
    assert b.dump() == before


def test_a_steward_without_edit_rights_cannot_merge(steward, rep):
    RolePermission.objects.filter(role=steward.role, record_type="contact").update(can_edit=False)
    first = b.make_contact(rep)
    second = b.make_contact(rep)
    before = b.dump()

    with pytest.raises(PermissionDenied):
        records_merge(acting_user=steward, record_type="contact", survivor=first, others=[second])

    assert b.dump() == before
    assert not Merge.objects.exists()
