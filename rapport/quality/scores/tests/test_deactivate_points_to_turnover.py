"""Deactivating someone who still owns active records points the administrator to the hand-over."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.access.models import User
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_the_deactivate_page_counts_what_they_own_and_links_the_wizard(client, admin_user, rep):
    helpers.lead(rep)
    helpers.account(rep)
    client.force_login(admin_user)
    body = client.get(reverse("access:admin-user-deactivate", args=[rep.pk])).content.decode()
    assert "they still own 2 active records" in body
    assert f"{reverse('scores:turnover')}?user={rep.pk}" in body


def test_after_deactivating_the_wizard_opens_for_that_person(client, admin_user, rep):
    helpers.lead(rep)
    client.force_login(admin_user)
    response = client.post(reverse("access:admin-user-deactivate", args=[rep.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('scores:turnover')}?user={rep.pk}"
    assert not User.objects.get(pk=rep.pk).is_active


def test_someone_owning_nothing_active_goes_back_to_the_users(client, admin_user, rep):
    client.force_login(admin_user)
    response = client.post(reverse("access:admin-user-deactivate", args=[rep.pk]))
    assert response["Location"] == reverse("access:admin-users")
