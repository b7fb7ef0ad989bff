"""The nightly snapshot: every record scored set-based, stale scores dropped, a roll-up written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.quality.scores.models import QualityRollup, QualityScore
from rapport.quality.scores.services import scores_refresh
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_every_record_gets_a_score_with_owner_and_team(rep, team):
    rep.team = team
    rep.save()
    helpers.lead(rep)
    helpers.contact(rep)
    result = scores_refresh()
    assert result.scored == 2
    assert set(QualityScore.objects.values_list("record_type", "owner_id", "team_id")) == {
        ("lead", rep.pk, team.pk),
        ("contact", rep.pk, team.pk),
    }


def test_a_deleted_record_loses_its_score(rep):
    account = helpers.account(rep)
    scores_refresh()
    account.deleted_at = timezone.now()
    account.save()
    result = scores_refresh()
    assert result.removed == 1
    assert not QualityScore.objects.filter(record_type="account").exists()


def test_the_day_roll_up_counts_records_and_poor_ones(rep):
    helpers.lead(rep)  # no first name, company or way to reach them: 45
    helpers.lead(rep, first_name="G", company="Navy", email="g@example.com")  # 100
    scores_refresh()
    rollup = QualityRollup.objects.get(record_type="lead", owner=rep)
    assert (rollup.records, rollup.score_sum, rollup.poor) == (2, 145, 1)
    assert rollup.day == timezone.localdate()


def test_running_twice_a_day_rewrites_the_roll_up(rep):
    helpers.lead(rep)
    scores_refresh()
    scores_refresh()
    assert QualityRollup.objects.filter(record_type="lead").count() == 1


def test_the_query_count_does_not_grow_with_the_records(rep):
    helpers.lead(rep)
    with CaptureQueriesContext(connection) as few:
        scores_refresh(record_types=["lead"])
    for n in range(20):
        helpers.lead(rep, last_name=f"L{n}")
    with CaptureQueriesContext(connection) as many:
        scores_refresh(record_types=["lead"])
    assert len(many) == len(few)
