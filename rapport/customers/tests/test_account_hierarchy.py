"""Accounts form groups: a parent never loops back, and the structure shows each node's figures."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rapport.customers import selectors, services
from rapport.customers.models import Account, Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(admin_user):
    holding = services.account_create(acting_user=admin_user, values={"name": "Holding"})
    europe = services.account_create(
        acting_user=admin_user, values={"name": "Europe", "parent": holding}
    )
    france = services.account_create(
        acting_user=admin_user, values={"name": "France", "parent": europe}
    )
    return holding, europe, france


def test_an_account_cannot_become_its_own_subsidiary(admin_user, group):
    holding, _europe, france = group
    with pytest.raises(ValidationError) as error:
        services.account_update(acting_user=admin_user, account=holding, values={"parent": france})
    assert "parent" in error.value.message_dict
    assert Account.objects.get(pk=holding.pk).parent_id is None


def test_an_account_cannot_be_its_own_parent(admin_user, group):
    holding, *_ = group
    with pytest.raises(ValidationError):
        services.account_update(acting_user=admin_user, account=holding, values={"parent": holding})


def test_the_structure_shows_the_whole_group_from_any_member(admin_user, group):
    holding, europe, france = group
    Contact.objects.create(last_name="Dupont", account=france, owner=admin_user)
    Contact.objects.create(last_name="Left", account=france, owner=admin_user, left_company=True)
    tree = selectors.account_structure(viewer=admin_user, account=france)
    assert tree.account == holding
    assert [child.account for child in tree.children] == [europe]
    [france_node] = tree.children[0].children
    assert france_node.is_current
    assert france_node.contacts == 1  # people who left are not counted
    assert selectors.structure_totals(tree)[1] == 1


def test_an_account_with_subsidiaries_is_not_deleted(admin_user, group):
    holding, *_ = group
    with pytest.raises(ValidationError):
        services.account_delete(acting_user=admin_user, account=holding)
    assert Account.objects.filter(pk=holding.pk).exists()


def test_the_structure_page_draws_the_tree(client, admin_user, group):
    _holding, _europe, france = group
    client.force_login(admin_user)
    page = client.get(f"/accounts/{france.pk}/structure/").content.decode()
    page = page[page.index('class="tree"') :]
    assert page.index("Holding") < page.index("Europe") < page.index("France")
    assert "is-current" in page
