"""Demo step: today's data-quality snapshot and a plausible 90-day trend before it.

The trend is made up, deterministically (the demo's seeded random): each owner's daily roll-up
starts somewhat worse 90 days ago and improves towards today's real figures, so the dashboard's
chart has a story to tell on first sign-in.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from rapport.demo.builder import DemoContext, demo_step
from rapport.quality.scores.models import QualityRollup
from rapport.quality.scores.services import scores_refresh

HISTORY_DAYS = 90
# How many points lower the average was at the start of the history.
START_GAP = 14.0


@demo_step("quality scores", order=950)
def build_quality_scores(ctx: DemoContext) -> None:
    result = scores_refresh()
    today = timezone.localdate()
    current = list(QualityRollup.objects.filter(day=today).order_by("record_type", "owner_id"))
    history: list[QualityRollup] = []
    for back in range(1, HISTORY_DAYS):
        day = today - datetime.timedelta(days=back)
        gap = START_GAP * back / HISTORY_DAYS
        for row in current:
            records = max(1, round(row.records * (1 - 0.3 * back / HISTORY_DAYS)))
            average = row.score_sum / row.records - gap + ctx.random.uniform(-2.0, 2.0)
            average = min(100.0, max(0.0, average))
            poor_share = min(1.0, max(0.0, row.poor / row.records + gap / 100 * 1.5))
            history.append(
                QualityRollup(
                    day=day,
                    record_type=row.record_type,
                    owner_id=row.owner_id,
                    team_id=row.team_id,
                    records=records,
                    score_sum=round(average * records),
                    poor=round(poor_share * records),
                )
            )
    QualityRollup.objects.bulk_create(history, batch_size=2000)
    ctx.log(f"Scored {result.scored} records; {len(history)} trend rows written.")
