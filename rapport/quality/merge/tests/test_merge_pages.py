"""The merge pages: side by side with defaults, merge, result with Undo, recent merges."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.customers.models import Contact
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(rep):
    first = b.make_contact(rep, last_name="Lovelace", email="ada@acme.example")
    second = b.make_contact(rep, last_name="Lovelace", job_title="CTO")
    b.make_activity(rep, contact=second)
    return first, second


def test_the_page_shows_the_records_side_by_side_with_the_defaults_chosen(client, admin_user, pair):
    first, second = pair
    client.force_login(admin_user)
    response = client.get(
        reverse("merge:merge"), {"type": "contact", "ids": f"{first.pk},{second.pk}"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="survivor" value="{first.pk}" checked' in html
    assert f'name="field_job_title" value="{second.pk}" checked' in html
    assert f'name="field_email" value="{first.pk}" checked' in html
    assert "1 activity (contact)" in html


def test_posting_the_form_merges_and_shows_the_result_with_undo(client, admin_user, pair):
    first, second = pair
    client.force_login(admin_user)
    response = client.post(
        reverse("merge:merge"),
        {
            "type": "contact",
            "ids": f"{first.pk},{second.pk}",
            "survivor": str(second.pk),
            "field_email": str(first.pk),
        },
        follow=True,
    )
    merge = Merge.objects.get()
    assert merge.survivor_id == second.pk
    assert Contact.objects.get(pk=second.pk).email == "ada@acme.example"
    assert not Contact.objects.filter(pk=first.pk).exists()
    html = response.content.decode()
    assert reverse("merge:merge-undo", args=[merge.pk]) in html
    assert "Undo" in html


def test_the_undo_button_puts_everything_back(client, admin_user, pair):
    first, second = pair
    before = b.dump()
    merge = records_merge(
        acting_user=admin_user, record_type="contact", survivor=first, others=[second]
    )
    client.force_login(admin_user)
    response = client.post(reverse("merge:merge-undo", args=[merge.pk]), follow=True)
    assert "The merge is undone" in response.content.decode()
    assert b.dump() == before


def test_the_history_of_the_kept_record_shows_the_merge(client, admin_user, pair):
    first, second = pair
    records_merge(acting_user=admin_user, record_type="contact", survivor=first, others=[second])
    client.force_login(admin_user)
    html = client.get(reverse("core:history", args=["contact", first.pk])).content.decode()
    assert f"#{second.pk} {second}" in html


def test_a_rep_who_may_not_delete_is_refused_the_page(client, rep, pair):
    first, second = pair
    client.force_login(rep)
    url = reverse("merge:merge")
    data = {"type": "contact", "ids": f"{first.pk},{second.pk}"}
    assert client.get(url, data).status_code == 403
    before = b.dump()
    assert client.post(url, data).status_code == 403
    assert b.dump() == before


def test_a_refused_merge_says_why_on_the_page(client, admin_user, rep):
    parent = b.make_account(rep, "Group")
    child = b.make_account(rep, "Child", parent=parent)
    client.force_login(admin_user)
    response = client.post(
        reverse("merge:merge"),
        {"type": "account", "ids": f"{child.pk},{parent.pk}", "field_parent": str(child.pk)},
    )
    assert response.status_code == 400
    assert "parent" in response.content.decode()
    assert not Merge.objects.exists()


def test_the_list_shows_recent_merges_with_undo(client, admin_user, pair):
    first, second = pair
    merge = records_merge(
        acting_user=admin_user, record_type="contact", survivor=first, others=[second]
    )
    client.force_login(admin_user)
    html = client.get(reverse("merge:merge-list")).content.decode()
    assert reverse("merge:merge-detail", args=[merge.pk]) in html
    assert reverse("merge:merge-undo", args=[merge.pk]) in html


@pytest.mark.parametrize("ids", ["1", "1,2,3,4", "a,b", "1,99999999999999999999999"])
def test_anything_but_two_or_three_visible_ids_is_not_found(client, admin_user, pair, ids):
    client.force_login(admin_user)
    assert client.get(reverse("merge:merge"), {"type": "contact", "ids": ids}).status_code == 404


def _merges(count, admin_user, rep):
    for _ in range(count):
        first, second = b.make_contact(rep), b.make_contact(rep)
        records_merge(
            acting_user=admin_user, record_type="contact", survivor=first, others=[second]
        )


def test_the_list_page_takes_the_same_queries_for_2_and_20_merges(client, admin_user, rep):
    client.force_login(admin_user)
    _merges(2, admin_user, rep)
    client.get(reverse("merge:merge-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("merge:merge-list"))
    _merges(18, admin_user, rep)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("merge:merge-list")).content.decode()
    assert html.count("/undo/") == 20
    assert len(many) == len(few)


def test_three_leads_are_merged_from_the_page_with_a_value_from_each(client, admin_user, rep):
    first = b.make_lead(rep, email="lou@leadco.example")
    second = b.make_lead(rep, phone="+4930111222")
    third = b.make_lead(rep, job_title="Head of Ops")
    client.force_login(admin_user)
    ids = f"{first.pk},{second.pk},{third.pk}"
    page = client.get(reverse("merge:merge"), {"type": "lead", "ids": ids}).content.decode()
    assert "Merge 3 leads" in page
    assert 'name="field_status"' not in page  # a lead's status has its own history
    client.post(
        reverse("merge:merge"),
        {
            "type": "lead",
            "ids": ids,
            "survivor": str(third.pk),
            "field_email": str(first.pk),
            "field_phone": str(second.pk),
            "field_job_title": str(third.pk),
        },
    )
    merge = Merge.objects.get()
    assert merge.other_ids == [first.pk, second.pk]
    third.refresh_from_db()
    assert (third.email, third.job_title) == ("lou@leadco.example", "Head of Ops")
    assert third.phone.endswith("30111222")
