"""The shell: navigation by role, landmarks, search box and a strict Content-Security-Policy."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.access.models import User
from rapport.web.navigation import navigation_for


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_administrators_get_the_administration_section(admin_user, rep):
    admin_sections = [s.label for s in navigation_for(admin_user, "/")]
    rep_sections = [s.label for s in navigation_for(rep, "/")]
    assert "Administration" in admin_sections
    assert "Administration" not in rep_sections


def test_the_current_page_is_marked_in_the_navigation(rep):
    items = [item for section in navigation_for(rep, "/people/") for item in section.items]
    assert [item.label for item in items if item.active] == ["People"]


def test_every_page_has_landmarks_a_skip_link_and_the_search_box(rep):
    body = _client_for(rep).get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in body
    assert '<main id="main"' in body
    assert '<nav aria-label="Main">' in body
    assert 'role="search"' in body
    assert '<label for="global-search"' in body


def test_signing_out_is_a_post_form_in_the_user_menu(rep):
    body = _client_for(rep).get("/").content.decode()
    assert '<form method="post" action="/logout/">' in body


def test_scripts_carry_the_nonce_and_nothing_is_inline(rep):
    response = _client_for(rep).get("/")
    body = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "style=" not in body
    assert "<style" not in body
    for tag in body.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert "src=" in head
        assert "nonce=" in head


def test_the_directory_filters_stay_in_the_url(rep, make_user, team):
    make_user(team=team, first_name="Tina", last_name="Team")
    make_user(first_name="Olly", last_name="Outside")
    body = _client_for(rep).get(f"/people/?team={team.pk}").content.decode()
    assert "Tina Team" in body
    assert "Olly Outside" not in body
    assert f'<option value="{team.pk}" selected>' in body


def test_the_directory_hides_deactivated_people(rep, make_user):
    make_user(first_name="Gone", last_name="Away", is_active=False)
    assert "Gone Away" not in _client_for(rep).get("/people/?status=all").content.decode()


def test_a_deactivated_persons_page_is_404_for_non_administrators(rep, make_user):
    gone = make_user(is_active=False)
    assert _client_for(rep).get(f"/people/{gone.pk}/").status_code == 404


def test_the_directory_uses_constant_queries(rep, make_user, django_assert_num_queries):
    client = _client_for(rep)
    client.get("/people/")
    with CaptureQueriesContext(connection) as first:
        client.get("/people/")
    boss = User.objects.get(pk=rep.pk)
    for _ in range(10):
        make_user(manager=boss)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/people/")
