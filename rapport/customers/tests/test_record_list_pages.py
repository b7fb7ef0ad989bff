"""The account and contact lists: scope, filters, sort, columns, saved views, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.models import SavedView
from rapport.customers.models import Account, Contact

pytestmark = pytest.mark.django_db


def test_a_rep_sees_their_team_accounts_only(client, make_user, team):
    rep = make_user(role="sales_rep", team=team)
    colleague = make_user(role="sales_rep", team=team)
    stranger = make_user(role="sales_rep")
    Account.objects.create(name="Ours", owner=colleague)
    Account.objects.create(name="Theirs", owner=stranger)
    client.force_login(rep)
    page = client.get("/accounts/").content.decode()
    assert "Ours" in page
    assert "Theirs" not in page


def test_the_list_sorts_by_an_allowed_column_and_ignores_others(client, admin_user):
    for name in ("Beta", "Alpha", "Gamma"):
        Account.objects.create(name=name, owner=admin_user)
    client.force_login(admin_user)
    page = client.get("/accounts/?sort=-name").content.decode()
    assert page.index("Gamma") < page.index("Beta") < page.index("Alpha")
    assert client.get("/accounts/?sort=password").status_code == 200


def test_column_choice_shows_only_the_chosen_columns(client, admin_user):
    Account.objects.create(name="Acme", owner=admin_user, city="Lyon", employees=42)
    client.force_login(admin_user)
    page = client.get("/accounts/?col=name&col=employees").content.decode()
    assert ">Employees<" in page
    assert ">City<" not in page


def test_a_saved_view_keeps_filters_and_columns_and_can_be_the_default(client, admin_user):
    Account.objects.create(name="Lyon Co", owner=admin_user, city="Lyon")
    Account.objects.create(name="Paris Co", owner=admin_user, city="Paris")
    client.force_login(admin_user)
    response = client.post(
        "/views/save/",
        {
            "record_type": "account",
            "name": "Lyon",
            "query": "q=Lyon&col=name&col=city",
            "next": "/accounts/",
            "is_default": "1",
        },
    )
    view = SavedView.objects.get(owner=admin_user, name="Lyon")
    assert response.status_code == 302
    assert view.columns == ["name", "city"]
    assert client.get("/accounts/").status_code == 302  # the default view opens
    page = client.get(f"/accounts/?view={view.pk}").content.decode()
    assert "Lyon Co" in page
    assert "Paris Co" not in page


def test_the_contact_list_page_runs_the_same_queries_for_2_or_20_rows(client, admin_user):
    account = Account.objects.create(name="Acme", owner=admin_user)
    client.force_login(admin_user)
    Contact.objects.bulk_create(
        Contact(last_name=f"P{i}", account=account, owner=admin_user) for i in range(2)
    )
    client.get("/contacts/")  # the first request of a session reads more (session, rules)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/contacts/").status_code == 200
    Contact.objects.bulk_create(
        Contact(last_name=f"Q{i}", account=account, owner=admin_user) for i in range(18)
    )
    with CaptureQueriesContext(connection) as many:
        assert client.get("/contacts/").status_code == 200
    assert len(many) == len(few)


def test_a_contact_page_shows_key_facts_and_the_timeline(client, admin_user):
    account = Account.objects.create(name="Acme", owner=admin_user)
    contact = Contact.objects.create(
        first_name="Ada", last_name="Lovelace", account=account, owner=admin_user, phone="+33 1"
    )
    client.force_login(admin_user)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Ada Lovelace" in page
    assert "Timeline" in page
    assert "+33 1" in page


def test_the_account_picker_suggests_only_accounts_the_person_may_see(client, make_user, team):
    rep = make_user(role="sales_rep", team=team)
    stranger = make_user(role="sales_rep")
    Account.objects.create(name="Acme Visible", owner=rep)
    Account.objects.create(name="Acme Hidden", owner=stranger)
    client.force_login(rep)
    page = client.get("/pick/account/", {"account__search": "acme"}).content.decode()
    assert "Acme Visible" in page
    assert "Acme Hidden" not in page


def test_a_contact_cannot_be_linked_to_an_account_out_of_sight(client, make_user, team):
    rep = make_user(role="sales_rep", team=team)
    hidden = Account.objects.create(name="Not yours", owner=make_user(role="sales_rep"))
    client.force_login(rep)
    response = client.post(
        "/contacts/new/", {"last_name": "Sneaky", "owner": rep.pk, "account": hidden.pk}
    )
    assert response.status_code == 400
    assert not Contact.objects.filter(last_name="Sneaky").exists()


def test_the_account_filters_read_as_words_not_ids(client, admin_user):
    parent = Account.objects.create(name="Group", owner=admin_user, country="FR")
    Account.objects.create(name="Child", owner=admin_user, country="FR", parent=parent)
    Account.objects.create(name="Elsewhere", owner=admin_user, country="DE")
    client.force_login(admin_user)
    page = client.get("/accounts/", {"country": "FR", "top_level": "true"}).content.decode()
    assert "Group" in page
    assert "Child" not in page
    assert "Elsewhere" not in page
    assert "Top-level only" in page
    assert 'type="hidden" name="parent"' in page  # kept for links, not shown as a box
    subsidiaries = client.get("/accounts/", {"parent": parent.pk}).content.decode()
    assert "Child" in subsidiaries
    assert "Elsewhere" not in subsidiaries


def test_the_account_page_runs_the_same_queries_for_2_or_20_contacts_and_calls(client, admin_user):
    from rapport.activities.models import Activity

    account = Account.objects.create(name="Acme", owner=admin_user)

    def grow(n: int) -> None:
        contacts = Contact.objects.bulk_create(
            Contact(last_name=f"P{i}", account=account, owner=admin_user) for i in range(n)
        )
        Activity.objects.bulk_create(
            Activity(kind="call", subject="Call", owner=admin_user, account=account, contact=c)
            for c in contacts
        )

    grow(2)
    client.force_login(admin_user)
    client.get(f"/accounts/{account.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/accounts/{account.pk}/").status_code == 200
    grow(18)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/accounts/{account.pk}/").status_code == 200
    assert len(many) == len(few)
