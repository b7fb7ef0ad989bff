"""Error pages speak plainly and keep the shell for people signed in."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from rapport.web.views import server_error


def test_a_missing_page_is_a_friendly_404_inside_the_shell(rep):
    client = Client()
    client.force_login(rep)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert 'id="sidebar"' in body


@pytest.mark.django_db
def test_a_missing_page_for_a_visitor_has_no_shell():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert 'id="sidebar"' not in response.content.decode()


def test_the_500_page_renders_without_touching_the_request_or_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
