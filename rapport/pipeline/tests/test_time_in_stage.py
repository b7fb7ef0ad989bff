"""Time spent in each stage, from the logged stage changes (the current stage counts until now)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from rapport.pipeline import selectors, services
from rapport.pipeline.tests.conftest import complete_steps

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 10, 1, 8, 0, tzinfo=datetime.UTC)


def _at(days: float) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


def test_it_adds_up_every_visit_to_a_stage(make_opportunity, rep, stages):
    with time_machine.travel(START, tick=False):
        deal = make_opportunity(rep)
    with time_machine.travel(_at(2), tick=False):
        complete_steps(deal, rep)
        services.opportunity_move_stage(
            acting_user=rep, opportunity=deal, stage=stages["discovery"]
        )
    with time_machine.travel(_at(3), tick=False):
        services.opportunity_move_stage(
            acting_user=rep, opportunity=deal, stage=stages["prospecting"]
        )
    with time_machine.travel(_at(4.5), tick=False):
        services.opportunity_move_stage(
            acting_user=rep, opportunity=deal, stage=stages["discovery"]
        )

    times = selectors.time_in_stages(deal, now=_at(10))
    by_key = {t.stage.key: t for t in times}
    assert by_key["prospecting"].duration == datetime.timedelta(days=3, hours=12)
    assert by_key["prospecting"].visits == 2
    assert by_key["discovery"].duration == datetime.timedelta(days=1 + 5.5)
    assert by_key["discovery"].current is True
    assert [t.stage.key for t in times] == ["prospecting", "discovery"]


def test_time_in_stage_for_many_deals_is_one_query(
    make_opportunity, rep, stages, django_assert_num_queries
):
    deals = []
    for n in range(3):
        with time_machine.travel(START, tick=False):
            deal = make_opportunity(rep, name=f"Deal {n}")
        with time_machine.travel(_at(n + 1), tick=False):
            complete_steps(deal, rep)
            services.opportunity_move_stage(
                acting_user=rep, opportunity=deal, stage=stages["discovery"]
            )
        deals.append(deal)
    with django_assert_num_queries(1):
        result = selectors.time_in_stage_by_opportunity([d.pk for d in deals])
    assert [result[d.pk][stages["prospecting"].pk] for d in deals] == [
        datetime.timedelta(days=1),
        datetime.timedelta(days=2),
        datetime.timedelta(days=3),
    ]
