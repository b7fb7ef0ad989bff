"""How often one client address may submit web-to-lead forms.

The rate is `RAPPORT_WEB_TO_LEAD_RATE` ("<count>/<second|minute|hour|day>", default 10/minute),
counted per address in Django's cache (Redis in production, so every worker shares the count).
The hosted form page and the JSON endpoint share one allowance per address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

DEFAULT_RATE = "10/minute"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """ "10/minute" → Rate(10, 60); ValueError for anything else."""
    count, _, period = text.strip().partition("/")
    seconds = _PERIODS.get(period.strip()[:1].lower())
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"Not a rate: {text!r}; write e.g. '10/minute'.")
    return Rate(int(count), seconds)


def current_rate() -> Rate:
    return parse_rate(str(getattr(settings, "RAPPORT_WEB_TO_LEAD_RATE", DEFAULT_RATE)))


def submission_wait(address: str | None) -> int | None:
    """Count a submission from `address`; the seconds to wait when it is one too many, else None.

    Fixed windows: cheap (one cache increment) and good enough against a bot hammering a form.
    """
    rate = current_rate()
    now = int(time.time())
    window = now // rate.seconds
    key = f"rapport:web-to-lead:{address or 'unknown'}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.count:
        return None
    return max(1, (window + 1) * rate.seconds - now)


def too_many_message(wait: int) -> str:
    return f"Too many submissions from your address; try again in {wait} seconds."
