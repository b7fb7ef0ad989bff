"""The nightly purge deletes what has been in the recycle bin longer than the retention period,
and nothing younger."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from rapport.access import services
from rapport.access.models import Office, Team, User
from rapport.core.models import AuditEntry
from rapport.core.recycle import recycle_bin_entries, recycle_purge
from rapport.core.scheduling import load_task_modules, periodic_jobs

pytestmark = pytest.mark.django_db


def test_nothing_is_purged_before_the_retention_period(admin_user, team):
    with time_machine.travel(timezone.now() - timedelta(days=29, hours=23), tick=False):
        services.team_delete(acting_user=admin_user, team=team)
    assert recycle_purge().purged == 0
    assert Team.all_objects.filter(pk=team.pk).exists()


def test_a_record_past_the_retention_is_deleted_for_good_with_a_purge_entry(
    admin_user, team, make_user
):
    member = make_user(team=team)
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        services.team_delete(acting_user=admin_user, team=team)
    result = recycle_purge()
    assert (result.purged, result.kept) == (1, 0)
    assert not Team.all_objects.filter(pk=team.pk).exists()
    # The member lets go of the purged team; the person stays.
    assert User.objects.get(pk=member.pk).team_id is None
    purge = AuditEntry.objects.for_record("team", team.pk).first()
    assert purge is not None
    assert (purge.action, purge.actor, purge.object_repr) == ("purge", None, "Enterprise Sales")
    assert purge.changes == {"user.team": {"old": 1, "new": 0}}


def test_the_retention_period_comes_from_the_settings(admin_user, team, settings):
    settings.RAPPORT_RECYCLE_RETENTION_DAYS = 7
    with time_machine.travel(timezone.now() - timedelta(days=8), tick=False):
        services.team_delete(acting_user=admin_user, team=team)
    assert recycle_bin_entries()[0].days_left == 0
    assert recycle_purge().purged == 1


def test_an_office_past_retention_is_purged_and_its_teams_stay(admin_user, team, office):
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        services.office_delete(acting_user=admin_user, office=office)
    assert recycle_purge().purged == 1
    assert not Office.all_objects.filter(pk=office.pk).exists()
    assert Team.objects.get(pk=team.pk).office_id is None


def test_the_bin_counts_the_days_left_until_the_purge(admin_user, team, office):
    services.team_delete(acting_user=admin_user, team=team)
    with time_machine.travel(timezone.now() - timedelta(days=10, hours=1), tick=False):
        services.office_delete(acting_user=admin_user, office=office)
    days_left = {entry.record_type.key: entry.days_left for entry in recycle_bin_entries()}
    assert days_left == {"team": 30, "office": 20}


def test_live_records_are_never_purged(admin_user, team, office):
    with time_machine.travel(timezone.now() + timedelta(days=365), tick=False):
        assert recycle_purge().purged == 0
    assert Team.objects.filter(pk=team.pk).exists()
    assert Office.objects.filter(pk=office.pk).exists()


def test_the_purge_runs_every_night():
    load_task_modules()
    [job] = [j for j in periodic_jobs() if j.name.endswith("recycle_bin_purge")]
    assert job.schedule == "41 2 * * *"
