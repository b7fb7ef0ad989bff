"""Field-level security: a field hidden from a role is absent from its pages, API bodies, search
hits and history; hidden and read-only fields are never written by that role."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from rapport.access import permissions
from rapport.access.models import Role, User
from rapport.access.services import user_update
from rapport.core.search import search

pytestmark = pytest.mark.django_db

PHONE = "+49 30 5550199"
TITLE = "Quartermaster Zebedee"


@pytest.fixture
def target(make_user, admin_user):
    person = make_user(role="sales_manager", first_name="Hedda", last_name="Hidden")
    user_update(acting_user=admin_user, user=person, phone=PHONE, title=TITLE)
    return person


@pytest.fixture
def rep_role(admin_user):
    role = Role.objects.get(key="sales_rep")
    for field_name in ("phone", "title"):
        permissions.field_permission_set(
            acting_user=admin_user,
            role=role,
            record_type="user",
            field_name=field_name,
            access="hidden",
        )
    return role


@pytest.fixture
def viewer(rep_role, make_user):
    return make_user(role="sales_rep")


def _page_client(user):
    client = Client()
    client.force_login(user)
    return client


def _api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_hidden_field_is_absent_from_the_directory_and_the_person_page(viewer, target):
    client = _page_client(viewer)
    for url in ("/people/", f"/people/{target.pk}/"):
        html = client.get(url).content.decode()
        assert "Hedda" in html
        assert PHONE not in html
        assert TITLE not in html


def test_someone_without_the_rule_still_sees_the_field(make_user, target, rep_role):
    html = _page_client(make_user(role="sales_manager")).get(f"/people/{target.pk}/")
    assert PHONE in html.content.decode()


def test_a_hidden_field_is_absent_from_api_bodies(viewer, target):
    client = _api_client(viewer)
    detail = client.get(f"/api/v1/users/{target.pk}/").json()
    assert "phone" not in detail
    assert "title" not in detail
    assert detail["first_name"] == "Hedda"
    listed = client.get("/api/v1/users/").json()["results"]
    assert listed
    assert all("phone" not in row and "title" not in row for row in listed)
    me = client.get("/api/v1/users/me/").json()
    assert "phone" not in me


def test_a_hidden_field_is_neither_matched_nor_shown_by_search(viewer, target, admin_user):
    assert search(user=viewer, query="Zebedee") == []
    hits = search(user=viewer, query="Hedda")
    assert [hit.record_id for hit in hits] == [target.pk]
    assert TITLE not in hits[0].subtitle
    # The administrator, without the rule, finds the person by the same word.
    assert [hit.record_id for hit in search(user=admin_user, query="Zebedee")] == [target.pk]
    api_hits = _api_client(viewer).get("/api/v1/search/", {"q": "Zebedee"})
    assert TITLE not in api_hits.content.decode()
    listed = _api_client(viewer).get("/api/v1/users/", {"search": "Zebedee"}).json()
    assert listed["results"] == []


def test_a_hidden_field_is_absent_from_history(viewer, target, admin_user):
    user_update(acting_user=admin_user, user=target, phone="+49 30 5550000", location="Home")
    response = _api_client(viewer).get(f"/api/v1/users/{target.pk}/history/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "location" in body
    assert "phone" not in body
    assert PHONE not in body
    assert TITLE not in body
    admin_body = _api_client(admin_user).get(f"/api/v1/users/{target.pk}/history/")
    assert PHONE in admin_body.content.decode()


def test_sorting_or_filtering_by_a_hidden_field_is_refused(viewer, target, admin_user):
    permissions.field_permission_set(
        acting_user=admin_user,
        role=viewer.role,
        record_type="user",
        field_name="external_id",
        access="hidden",
    )
    response = _api_client(viewer).get("/api/v1/users/", {"external_id": "x"})
    assert response.status_code == 400
    assert "external_id" in response.json()["error"]["fields"]


@pytest.fixture
def editor(make_user, admin_user):
    """A manager allowed to edit people, with `title` read-only and `phone` hidden."""
    role = Role.objects.get(key="sales_manager")
    permissions.permission_set(
        acting_user=admin_user,
        role=role,
        record_type="user",
        can_create=False,
        can_read=True,
        can_edit=True,
        can_delete=False,
        scope="all",
    )
    role.is_admin = True  # the edit form lives in the administration area
    role.save()
    permissions.field_permission_set(
        acting_user=admin_user,
        role=role,
        record_type="user",
        field_name="title",
        access="read_only",
    )
    permissions.field_permission_set(
        acting_user=admin_user, role=role, record_type="user", field_name="phone", access="hidden"
    )
    return make_user(role="sales_manager")


def test_the_api_refuses_writes_to_read_only_and_hidden_fields_naming_them(editor, target):
    client = _api_client(editor)
    response = client.patch(
        f"/api/v1/users/{target.pk}/", {"title": "Boss", "phone": "1"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"phone", "title"}
    fresh = User.objects.get(pk=target.pk)
    assert (fresh.title, fresh.phone) == (TITLE, PHONE)
    allowed = client.patch(f"/api/v1/users/{target.pk}/", {"location": "Kiel"}, format="json")
    assert allowed.status_code == 200
    assert "phone" not in allowed.json()
    assert User.objects.get(pk=target.pk).location == "Kiel"


def test_the_edit_form_leaves_hidden_fields_out_and_ignores_read_only_ones(editor, target):
    client = _page_client(editor)
    html = client.get(f"/admin/users/{target.pk}/").content.decode()
    assert 'name="phone"' not in html
    assert PHONE not in html
    assert 'name="title"' in html
    assert "disabled" in html.split('name="title"')[1].split(">")[0]
    response = client.post(
        f"/admin/users/{target.pk}/",
        {
            "first_name": "Hedda",
            "last_name": "Renamed",
            "email": target.email,
            "title": "Boss",
            "phone": "1",
        },
    )
    assert response.status_code == 302
    fresh = User.objects.get(pk=target.pk)
    assert fresh.last_name == "Renamed"
    assert (fresh.title, fresh.phone) == (TITLE, PHONE)


def test_the_schema_marks_every_secured_field_optional_in_responses():
    from rapport.access.api import serializers
    from rapport.core import records

    for serializer in (
        serializers.UserSerializer,
        serializers.TeamSerializer,
        serializers.OfficeSerializer,
        serializers.RoleSerializer,
    ):
        secured = records.get(serializer.record_type).secured_fields
        assert set(secured) <= set(serializer.Meta.optional_in_response), serializer.__name__


def test_a_list_is_not_sorted_by_a_hidden_field(make_user, admin_user):
    from rapport.access.selectors import UserFilters, people_filtered

    permissions.field_permission_set(
        acting_user=admin_user,
        role=admin_user.role,
        record_type="user",
        field_name="email",
        access="hidden",
    )
    make_user(first_name="Aaron", last_name="Zed", email="a@example.com")
    make_user(first_name="Zoe", last_name="Abel", email="z@example.com")
    viewer = User.objects.get(pk=admin_user.pk)
    by_email = people_filtered(UserFilters(sort="email"), viewer=viewer)
    by_name = people_filtered(UserFilters(sort="name"), viewer=viewer)
    assert list(by_email) == list(by_name)
