"""A Data Steward's data-quality dashboard covers everyone's records, not only their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.quality.scores.services import scores_refresh
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_a_steward_sees_everyones_scores(client, make_user, rep):
    steward = make_user(role="data_steward")
    other = make_user(first_name="Otto", last_name="Other")
    helpers.lead(rep, last_name="Lonely")
    helpers.lead(other, last_name="Elsewhere")
    scores_refresh()
    client.force_login(steward)

    body = client.get(reverse("scores:dashboard")).content.decode()

    assert "Lonely" in body
    assert "Elsewhere" in body
    assert "Rita Rep" in body
    assert "Otto Other" in body
