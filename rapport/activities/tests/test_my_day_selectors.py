"""The pieces of My day: month bounds, a manager's team, per-person caps."""

from __future__ import annotations

import datetime

import pytest

from rapport.activities import my_day as my_day_module
from rapport.activities.my_day import month_bounds, my_day, team_of
from rapport.activities.tests.factories import make_account, make_activity


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (datetime.date(2026, 12, 31), datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2028, 2, 10), datetime.date(2028, 2, 1), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)),
    ],
)
def test_month_bounds_cover_the_whole_month(day, first, last):
    assert month_bounds(day) == (first, last)


@pytest.mark.django_db
def test_a_managers_team_is_everyone_below_them_who_is_active(make_user):
    boss = make_user(role="sales_manager")
    lead = make_user(role="sales_manager", manager=boss, first_name="Lena")
    below_lead = make_user(manager=lead, first_name="Zed")
    make_user(manager=boss, is_active=False)
    make_user()  # elsewhere in the company
    assert team_of(boss) == [lead, below_lead]


@pytest.mark.django_db
def test_each_person_gets_at_most_their_share(rep, monkeypatch):
    monkeypatch.setattr(my_day_module, "PER_PERSON", 2)
    today = datetime.date(2026, 3, 18)
    account = make_account(rep)
    for n in range(4):
        make_activity(rep, kind="task", subject=f"t{n}", account=account, due_date=today)
    _blocks, [day] = my_day(viewer=rep, people=[rep], today=today)
    assert [task.subject for task in day.tasks] == ["t0", "t1"]
