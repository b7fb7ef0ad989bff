"""Global search finds people and teams; deactivated people only for administrators."""

from __future__ import annotations

from django.test import Client

from rapport.core.search import search


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_people_are_found_by_name_email_or_title(rep, make_user):
    make_user(
        first_name="Olga", last_name="Orlova", title="Solutions Engineer", email="olga@acme.test"
    )
    for query in ("olga", "orlova", "acme.test", "solutions eng"):
        assert [hit.title for hit in search(user=rep, query=query)] == ["Olga Orlova"], query


def test_every_word_must_match(rep, make_user):
    make_user(first_name="Olga", last_name="Orlova")
    make_user(first_name="Olga", last_name="Smith")
    assert [hit.title for hit in search(user=rep, query="olga smi")] == ["Olga Smith"]


def test_teams_are_found_by_name(rep, team):
    hits = search(user=rep, query="enterprise")
    assert [(hit.kind, hit.title) for hit in hits] == [("team", "Enterprise Sales")]
    assert hits[0].url == f"/people/?team={team.pk}"


def test_deactivated_people_are_found_only_by_administrators(rep, admin_user, make_user):
    make_user(first_name="Gone", last_name="Away", is_active=False)
    assert search(user=rep, query="gone away") == []
    hits = search(user=admin_user, query="gone away")
    assert [hit.title for hit in hits] == ["Gone Away"]
    assert "deactivated" in hits[0].subtitle


def test_one_letter_finds_nothing(rep):
    assert search(user=rep, query="a") == []


def test_the_dropdown_is_a_fragment_for_htmx(rep, make_user):
    make_user(first_name="Olga", last_name="Orlova")
    response = _client_for(rep).get("/search/?q=olga", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Olga Orlova" in body
    assert "See all results" in body


def test_the_results_page_shows_hits_in_a_table(rep, make_user, team):
    make_user(first_name="Enzo", last_name="Enterprise")
    body = _client_for(rep).get("/search/?q=enter").content.decode()
    assert "Enzo Enterprise" in body
    assert "Enterprise Sales" in body
    assert "<table" in body


def test_no_hits_says_what_to_try(rep):
    body = _client_for(rep).get("/search/?q=zzzz").content.decode()
    assert "Nothing matches “zzzz”" in body
