"""By default each field takes the most recently updated record's non-empty value."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from rapport.quality.merge.services import default_choices
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


def test_the_most_recent_non_empty_value_wins_and_an_empty_one_never_does(rep):
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
        old = b.make_contact(rep, last_name="Old", email="old@example.com", phone="+4930111")
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        new = b.make_contact(rep, last_name="New", email="new@example.com", phone="")

    choices = default_choices([old, new])

    assert choices["email"] == new.pk
    assert choices["last_name"] == new.pk
    assert choices["phone"] == old.pk


def test_a_set_flag_is_kept_even_from_the_older_record(rep):
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
        old = b.make_contact(rep, do_not_contact=True)
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        new = b.make_contact(rep)

    assert default_choices([new, old])["do_not_contact"] == old.pk


def test_a_field_empty_everywhere_stays_with_the_first_record(rep):
    first = b.make_contact(rep)
    second = b.make_contact(rep)
    assert default_choices([first, second])["birthdate"] == first.pk
