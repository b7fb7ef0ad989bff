"""The manager hierarchy: chains upwards, subordinates downwards, and no loops."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rapport.access.models import User, manager_chain, subordinate_ids


@pytest.fixture
def org(make_user):
    """ceo ← vp ← manager ← (rep_a, rep_b); outsider reports to nobody."""
    ceo = make_user(role="executive")
    vp = make_user(role="executive", manager=ceo)
    manager = make_user(role="sales_manager", manager=vp)
    rep_a = make_user(manager=manager)
    rep_b = make_user(manager=manager)
    outsider = make_user()
    return {
        "ceo": ceo,
        "vp": vp,
        "manager": manager,
        "rep_a": rep_a,
        "rep_b": rep_b,
        "outsider": outsider,
    }


def test_the_chain_runs_from_the_person_up_to_the_top(org):
    chain = manager_chain(org["rep_a"].pk)

    assert chain == [org["rep_a"].pk, org["manager"].pk, org["vp"].pk, org["ceo"].pk]


def test_someone_without_a_manager_is_a_chain_of_one(org):
    assert manager_chain(org["outsider"].pk) == [org["outsider"].pk]


def test_subordinates_include_everyone_below_at_every_level(org):
    below = subordinate_ids([org["vp"].pk])

    assert below == {org["manager"].pk, org["rep_a"].pk, org["rep_b"].pk}


def test_subordinates_of_several_people_are_merged_without_the_people_themselves(org):
    below = subordinate_ids([org["manager"].pk, org["outsider"].pk])

    assert below == {org["rep_a"].pk, org["rep_b"].pk}


def test_subordinates_take_one_query_per_level(org, django_assert_num_queries):
    with django_assert_num_queries(4):
        subordinate_ids([org["ceo"].pk])


def test_a_person_cannot_be_their_own_manager(org):
    ceo = org["ceo"]
    ceo.manager = ceo

    with pytest.raises(ValidationError) as error:
        ceo.full_clean(exclude=["password"])

    assert "own manager" in str(error.value.message_dict["manager"])
    assert User.objects.get(pk=ceo.pk).manager_id is None


def test_a_manager_cannot_report_to_someone_below_them(org):
    ceo = org["ceo"]
    ceo.manager = org["rep_a"]

    with pytest.raises(ValidationError) as error:
        ceo.full_clean(exclude=["password"])

    assert "would loop" in str(error.value.message_dict["manager"])
    assert User.objects.get(pk=ceo.pk).manager_id is None


def test_the_chain_stops_at_a_loop_written_around_validation(org):
    # A loop can only come from raw SQL or a bad import; reading it must still terminate.
    User.objects.filter(pk=org["ceo"].pk).update(manager=org["rep_a"])

    chain = manager_chain(org["rep_a"].pk)

    assert chain == [org["rep_a"].pk, org["manager"].pk, org["vp"].pk, org["ceo"].pk]
