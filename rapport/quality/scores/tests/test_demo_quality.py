"""The demo builds today's scores and a 90-day trend, the same for the same seed."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from rapport.demo.builder import demo_build
from rapport.quality.scores.models import QualityRollup, QualityScore

pytestmark = pytest.mark.django_db


def test_the_demo_has_scores_and_ninety_days_of_trend():
    demo_build(seed=7)
    assert QualityScore.objects.exists()
    assert QualityRollup.objects.values("day").distinct().count() == 90
    first_day = QualityRollup.objects.order_by("day").values_list("day", flat=True).first()
    last_day = QualityRollup.objects.order_by("-day").values_list("day", flat=True).first()

    def average(day):
        totals = QualityRollup.objects.filter(day=day).aggregate(
            s=Sum("score_sum"), n=Sum("records")
        )
        return totals["s"] / totals["n"]

    assert average(first_day) < average(last_day)
