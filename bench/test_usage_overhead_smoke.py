"""The benchmark runs (with a tiny N) and its two handlers differ only by the capture."""

from __future__ import annotations

from bench.usage_overhead import measure, report
from rapport.insights.models import UsageEvent


def test_the_benchmark_measures_both_variants_and_only_one_captures(db):
    results = measure(iterations=3, warmup=1)

    assert [s.name for s in results.scenarios] == [
        "page view (GET /people/)",
        "API call (GET /api/v1/roles/, token)",
    ]
    for scenario in results.scenarios:
        assert scenario.with_capture.mean_ms > 0
        assert scenario.without_capture.mean_ms > 0
    # 4 requests per scenario went through the capturing handler, 3 more records were timed alone.
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.PAGE_VIEW).count() == 4 + 3
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.API_CALL).count() == 4
    assert "| page view (GET /people/) |" in report(results)
