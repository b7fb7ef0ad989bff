"""My day: a greeting, where the person fits, and their people."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from rapport.web.views import greeting_for


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("hour", "greeting"), [(7, "Good morning"), (13, "Good afternoon"), (20, "Good evening")]
)
def test_the_greeting_follows_the_time_of_day(hour, greeting):
    assert greeting_for(datetime(2025, 3, 3, hour, tzinfo=UTC)) == greeting


@time_machine.travel(datetime(2025, 3, 3, 6, 30, tzinfo=UTC), tick=False)
def test_the_greeting_uses_the_time_where_the_person_works(make_user, office):
    person = make_user(office=office, first_name="Lena")  # Berlin: 07:30
    assert "Good morning, Lena" in _client_for(person).get("/").content.decode()


def test_a_manager_sees_their_direct_reports(make_user, team):
    boss = make_user(role="sales_manager", team=team)
    make_user(manager=boss, first_name="Dana", last_name="Direct")
    make_user(manager=boss, first_name="Gone", last_name="Person", is_active=False)
    body = _client_for(boss).get("/").content.decode()
    assert "Your direct reports" in body
    assert "Dana Direct" in body
    assert "Gone Person" not in body


def test_a_rep_sees_their_team_manager_and_office(make_user, team, office):
    boss = make_user(role="sales_manager", first_name="Mona", last_name="Boss")
    person = make_user(team=team, office=office, manager=boss)
    make_user(team=team, first_name="Tess", last_name="Mate")
    body = _client_for(person).get("/").content.decode()
    assert "Enterprise Sales" in body
    assert "Mona Boss" in body
    assert "Berlin" in body
    assert "Tess Mate" in body


def test_someone_without_a_team_is_told_what_happens_next(rep):
    assert "You are not in a team with anyone yet" in _client_for(rep).get("/").content.decode()


@pytest.mark.django_db
def test_my_day_needs_a_sign_in():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
