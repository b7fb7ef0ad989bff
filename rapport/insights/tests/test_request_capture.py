"""The middleware records page views (with their area) and API calls, and nothing else."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from rapport.access.services import api_token_create
from rapport.insights.models import UsageEvent
from rapport.insights.services import place_of_route, session_hash


@pytest.fixture
def signed_in(rep):
    client = Client()
    client.force_login(rep)
    return client


def _views():
    return list(
        UsageEvent.objects.filter(kind=UsageEvent.Kind.PAGE_VIEW).values_list(
            "area", "path", "method", "status_code"
        )
    )


def test_a_page_view_is_recorded_with_its_area_and_url_pattern(signed_in, rep):
    signed_in.get(f"/people/{rep.pk}/?tab=history&q=private")

    event = UsageEvent.objects.get(kind=UsageEvent.Kind.PAGE_VIEW)
    assert event.user == rep
    assert (event.area, event.path, event.method, event.status_code) == (
        "people",
        "people/<int:pk>/",
        "GET",
        200,
    )
    assert event.session_hash == session_hash(signed_in.session.session_key)
    assert event.duration_ms is not None


@pytest.mark.parametrize(
    ("url", "area"), [("/", "home"), ("/profile/", "profile"), ("/people/", "people")]
)
def test_each_page_has_its_area(signed_in, url, area):
    signed_in.get(url)

    assert [view[0] for view in _views()] == [area]


def test_administration_pages_are_the_admin_area(make_user):
    client = Client()
    client.force_login(make_user(role="administrator"))

    client.get("/admin/users/")

    assert _views() == [("admin", "admin/users/", "GET", 200)]


def test_htmx_fragments_are_not_page_views_but_boosted_navigation_is(signed_in):
    signed_in.get("/search/?q=rita", headers={"HX-Request": "true"})
    assert _views() == []

    signed_in.get("/profile/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert [view[0] for view in _views()] == ["profile"]


def test_redirects_errors_posts_and_static_files_are_not_page_views(signed_in):
    signed_in.get("/people/999999/")
    signed_in.get("/login/")  # a signed-in person is sent on: a redirect
    signed_in.post("/profile/", {})
    signed_in.get("/static/rapport/app.css")

    assert _views() == []


def test_anonymous_visits_are_not_recorded(db):
    Client().get("/login/")
    Client().get("/")
    APIClient().get("/api/v1/users/")

    assert not UsageEvent.objects.exists()


def test_an_api_call_with_a_token_is_recorded_with_the_resource_as_area(rep):
    new = api_token_create(acting_user=rep, user=rep, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")

    client.get(f"/api/v1/users/{rep.pk}/")

    event = UsageEvent.objects.get()
    assert event.kind == UsageEvent.Kind.API_CALL
    assert event.user == rep
    assert (event.area, event.path, event.status_code) == (
        "api:users",
        "api/v1/users/<pk>/",
        200,
    )
    assert event.session_hash == ""


def test_an_api_call_in_a_browser_session_is_recorded_too(signed_in, rep):
    signed_in.get("/api/v1/roles/")

    event = UsageEvent.objects.get()
    assert (event.kind, event.user, event.area) == (UsageEvent.Kind.API_CALL, rep, "api:roles")
    assert event.session_hash == session_hash(signed_in.session.session_key)


def test_a_refused_api_call_is_still_use_of_the_api(rep):
    new = api_token_create(acting_user=rep, user=rep, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")

    status = client.post("/api/v1/roles/", {"name": "Nope"}).status_code

    event = UsageEvent.objects.get()
    assert (event.kind, event.method, event.status_code) == (
        UsageEvent.Kind.API_CALL,
        "POST",
        status,
    )
    assert status == 403


def test_router_patterns_read_like_path_patterns():
    assert place_of_route("api/v1/users/(?P<pk>\\d+)/deactivate/$").path == (
        "api/v1/users/<pk>/deactivate/"
    )
    assert place_of_route("api/v1/search/").area == "api:search"
    assert place_of_route("").area == "home"
