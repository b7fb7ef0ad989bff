"""The web-to-lead rate: "<count>/<period>" from RAPPORT_WEB_TO_LEAD_RATE, counted per address."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from rapport.leads import ratelimit


def test_rates_read_as_count_per_period() -> None:
    assert ratelimit.parse_rate("10/minute") == ratelimit.Rate(10, 60)
    assert ratelimit.parse_rate("100/hour") == ratelimit.Rate(100, 3600)
    assert ratelimit.parse_rate("3/s") == ratelimit.Rate(3, 1)


@pytest.mark.parametrize("text", ["ten/minute", "10", "10/fortnight", ""])
def test_a_malformed_rate_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="10/minute"):
        ratelimit.parse_rate(text)


def test_the_allowance_is_per_address(settings: Any) -> None:
    settings.RAPPORT_WEB_TO_LEAD_RATE = "2/hour"
    cache.clear()
    assert ratelimit.submission_wait("198.51.100.1") is None
    assert ratelimit.submission_wait("198.51.100.1") is None
    wait = ratelimit.submission_wait("198.51.100.1")
    assert wait is not None
    assert 1 <= wait <= 3600
    assert ratelimit.submission_wait("198.51.100.2") is None
