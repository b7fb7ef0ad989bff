"""Every list costs the same number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.access.models import Office, Team
from rapport.access.services import api_token_create

pytestmark = pytest.mark.django_db


def _fill(make_user, office, n):
    for i in range(n):
        team = Team.objects.create(name=f"Team {office.name} {i}", office=office)
        make_user(team=team, office=office)
        Office.objects.create(name=f"Office {office.name} {i}", country="FR")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/users/", "/api/v1/roles/", "/api/v1/teams/", "/api/v1/offices/", "/api/v1/tokens/"],
)
def test_a_list_page_costs_a_constant_number_of_queries(
    path, api_client, admin_user, make_user, django_assert_num_queries
):
    api_client.force_authenticate(admin_user)
    small = Office.objects.create(name="Small", country="DE")
    _fill(make_user, small, 2)
    api_token_create(acting_user=admin_user, user=admin_user, name="one")
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(path).status_code == 200
    big = Office.objects.create(name="Big", country="DE")
    _fill(make_user, big, 12)
    for i in range(10):
        api_token_create(acting_user=admin_user, user=admin_user, name=f"more {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = api_client.get(path)
    assert response.status_code == 200
    assert len(response.json()["results"]) > 1
