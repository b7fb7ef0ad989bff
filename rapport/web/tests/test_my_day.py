"""My day: tasks due, leads to touch, methodology steps due, deals closing this month — for a rep,
and for a manager's team grouped by rep."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from rapport.activities.models import Activity
from rapport.activities.tests.factories import (
    make_account,
    make_activity,
    make_lead,
    make_opportunity,
    make_step,
    picklist_value,
)
from rapport.pipeline.models import Stage

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 18, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user, **params) -> str:
    return _client(user).get("/", params).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_rep_sees_tasks_due_today_and_overdue_but_not_later_or_done(rep):
    account = make_account(rep)
    make_activity(rep, kind="task", subject="Due today task", account=account, due_date=TODAY)
    make_activity(rep, kind="task", subject="Overdue task", account=account, due_date=TODAY - DAY)
    make_activity(
        rep, kind="task", subject="Next week task", account=account, due_date=TODAY + 7 * DAY
    )
    make_activity(
        rep, kind="task", subject="Finished task", account=account, due_date=TODAY, completed_at=NOW
    )
    body = _page(rep)
    assert "Due today task" in body
    assert "Overdue task" in body
    assert "Overdue since 17 Mar" in body
    assert "Next week task" not in body
    assert "Finished task" not in body


@time_machine.travel(NOW, tick=False)
def test_new_leads_untouched_for_a_day_are_listed_oldest_first(rep):
    make_lead(
        rep, first_name="Fresh", last_name="Arrival", created_at=NOW - datetime.timedelta(hours=3)
    )
    make_lead(rep, first_name="Second", last_name="Oldest", created_at=NOW - 3 * DAY)
    make_lead(rep, first_name="First", last_name="Oldest", created_at=NOW - 5 * DAY)
    make_lead(
        rep,
        first_name="Just",
        last_name="Called",
        created_at=NOW - 5 * DAY,
        last_touched_at=NOW - DAY / 2,
    )
    make_lead(
        rep,
        first_name="Being",
        last_name="Worked",
        created_at=NOW - 5 * DAY,
        status=picklist_value("lead_status", "working"),
    )
    body = _page(rep)
    assert body.index("First Oldest") < body.index("Second Oldest")
    for name in ("Fresh Arrival", "Just Called", "Being Worked"):
        assert name not in body


@time_machine.travel(NOW, tick=False)
def test_steps_due_on_open_deals_are_listed(rep):
    account = make_account(rep)
    deal = make_opportunity(rep, account, name="Open deal")
    step = make_step(deal, due_date=TODAY - DAY)
    won = Stage.objects.filter(kind=Stage.Kind.WON).first()
    closed = make_opportunity(rep, account, name="Won deal", stage=won, probability=100)
    make_step(closed, due_date=TODAY - DAY)
    body = _page(rep)
    assert step.step.name in body
    assert "Open deal" in body
    assert "Won deal" not in body


@time_machine.travel(NOW, tick=False)
def test_deals_closing_this_month_show_amount_and_stage(rep):
    account = make_account(rep)
    deal = make_opportunity(
        rep,
        account,
        name="March deal",
        forecast_close_date=TODAY + 5 * DAY,
        amount=Decimal("12500"),
    )
    make_opportunity(rep, account, name="April deal", forecast_close_date=TODAY + 30 * DAY)
    body = _page(rep)
    assert "March deal" in body
    assert "12,500 EUR" in body
    assert deal.stage.name in body
    assert "April deal" not in body


@time_machine.travel(NOW, tick=False)
def test_a_rep_sees_nothing_of_someone_else(make_user, rep):
    other = make_user()
    make_activity(
        other, kind="task", subject="Their task", account=make_account(other), due_date=TODAY
    )
    body = _page(rep)
    assert "Their task" not in body
    assert "My team" not in body


@time_machine.travel(NOW, tick=False)
def test_a_rep_asking_for_the_team_view_gets_their_own_day(make_user, rep):
    make_activity(rep, kind="task", subject="Own task", account=make_account(rep), due_date=TODAY)
    body = _page(rep, view="team")
    assert "Own task" in body


@time_machine.travel(NOW, tick=False)
def test_a_manager_sees_their_teams_day_grouped_by_rep(make_user):
    boss = make_user(role="sales_manager", first_name="Mia", last_name="Boss")
    anna = make_user(manager=boss, first_name="Anna", last_name="Alpha")
    ben = make_user(manager=boss, first_name="Ben", last_name="Beta")
    outsider = make_user(first_name="Olga", last_name="Outside")
    make_activity(
        anna, kind="task", subject="Anna's task", account=make_account(anna), due_date=TODAY
    )
    make_activity(ben, kind="task", subject="Ben's task", account=make_account(ben), due_date=TODAY)
    make_activity(
        outsider, kind="task", subject="Olga's task", account=make_account(outsider), due_date=TODAY
    )
    mine = _page(boss)
    assert "My team" in mine
    assert "Anna's task" not in mine
    team = _page(boss, view="team")
    assert team.index("Anna Alpha") < team.index("Anna&#x27;s task") < team.index("Ben Beta")
    assert team.index("Ben Beta") < team.index("Ben&#x27;s task")
    assert "Olga" not in team


@time_machine.travel(NOW, tick=False)
def test_the_team_view_costs_the_same_for_two_or_six_reps(make_user, django_assert_max_num_queries):
    boss = make_user(role="sales_manager")
    client = _client(boss)

    def add_rep() -> None:
        person = make_user(manager=boss)
        account = make_account(person)
        make_activity(person, kind="task", account=account, due_date=TODAY)
        make_lead(person, created_at=NOW - 3 * DAY)
        deal = make_opportunity(person, account, forecast_close_date=TODAY)
        make_step(deal, due_date=TODAY)

    for _ in range(2):
        add_rep()
    client.get("/", {"view": "team"})
    with django_assert_max_num_queries(60) as two:
        client.get("/", {"view": "team"})
    for _ in range(4):
        add_rep()
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get("/", {"view": "team"})


@time_machine.travel(NOW, tick=False)
def test_a_task_is_completed_inline(rep):
    task = make_activity(
        rep, kind="task", subject="Tick me", account=make_account(rep), due_date=TODAY
    )
    response = _client(rep).post(
        f"/activities/{task.pk}/complete/", {"return": "my-day"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Done" in response.content.decode()
    assert Activity.objects.get(pk=task.pk).completed_at == NOW


@time_machine.travel(NOW, tick=False)
def test_blocks_of_types_the_role_cannot_read_are_left_out(make_user):
    agent = make_user(role="service_agent")  # reads no leads by default
    body = _page(agent)
    assert "Tasks due" in body
    assert "Closing this month" in body
    assert "Leads to touch" not in body


@time_machine.travel(NOW, tick=False)
def test_an_amount_hidden_from_the_role_is_not_shown(rep):
    from rapport.access.models import FieldPermission

    FieldPermission.objects.create(
        role=rep.role, record_type="opportunity", field_name="amount", access="hidden"
    )
    make_opportunity(
        rep, make_account(rep), name="Secret deal", forecast_close_date=TODAY, amount=Decimal("777")
    )
    body = _page(rep)
    assert "Secret deal" in body
    assert "777" not in body
