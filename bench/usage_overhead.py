"""What usage capture costs per request: the same requests with and without its middleware.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport .venv/bin/python bench/usage_overhead.py

Creates its own throwaway database (Django's test database, `test_<name>`, dropped at the end),
a signed-in person and an API token, then sends the same requests through two Django handlers,
one built with the full MIDDLEWARE and one without UsageCaptureMiddleware, interleaved in random
order so that drift (caches, autovacuum, other processes) hits both alike. Reported per scenario:
mean and 95th percentile of each, and their difference, which is the capture's overhead
(an INSERT in autocommit, i.e. a commit per captured request). A third figure times
`usage_record` alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

CAPTURE = "rapport.insights.middleware.UsageCaptureMiddleware"


@dataclass(frozen=True)
class Timing:
    mean_ms: float
    p95_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Timing:
        ms = sorted(s * 1000 for s in seconds)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return cls(mean_ms=statistics.fmean(ms), p95_ms=p95)


@dataclass(frozen=True)
class Scenario:
    name: str
    with_capture: Timing
    without_capture: Timing

    @property
    def mean_overhead_ms(self) -> float:
        return self.with_capture.mean_ms - self.without_capture.mean_ms

    @property
    def p95_overhead_ms(self) -> float:
        return self.with_capture.p95_ms - self.without_capture.p95_ms


@dataclass(frozen=True)
class Results:
    iterations: int
    scenarios: tuple[Scenario, ...]
    record_alone: Timing


def _client(middleware: list[str]):
    from django.test import Client, override_settings
    from django.test.client import ClientHandler

    handler = ClientHandler()
    with override_settings(MIDDLEWARE=middleware):
        handler.load_middleware()
    client = Client()
    client.handler = handler
    return client


def measure(*, iterations: int, warmup: int = 20, seed: int = 1) -> Results:
    """Run the scenarios against the configured (already created) database."""
    from django.conf import settings
    from django.test import override_settings

    from rapport.access.models import Role, User
    from rapport.access.services import api_token_create
    from rapport.insights.models import UsageEvent
    from rapport.insights.services import usage_record

    rng = random.Random(seed)
    user = User.objects.create_user(
        email=f"bench-{time.time_ns()}@example.com",
        password=None,
        first_name="Bench",
        last_name="Mark",
        role=Role.objects.get(key=Role.Key.SALES_REP),
    )
    token = api_token_create(acting_user=user, user=user, name="bench").secret
    full = list(settings.MIDDLEWARE)
    assert CAPTURE in full, "the capture middleware is not installed"
    bare = [name for name in full if name != CAPTURE]

    scenarios = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        with_capture, without_capture = _client(full), _client(bare)
        for client in (with_capture, without_capture):
            client.force_login(user)
        requests = {
            "page view (GET /people/)": ("/people/", {}),
            "API call (GET /api/v1/roles/, token)": (
                "/api/v1/roles/",
                {"HTTP_AUTHORIZATION": f"Bearer {token}"},
            ),
        }
        for name, (url, headers) in requests.items():
            times: dict[str, list[float]] = {"with": [], "without": []}
            pairs = [("with", with_capture), ("without", without_capture)]
            for n in range(warmup + iterations):
                rng.shuffle(pairs)
                for label, client in pairs:
                    started = time.perf_counter()
                    response = client.get(url, **headers)
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 200, (url, response.status_code)
                    if n >= warmup:
                        times[label].append(elapsed)
            scenarios.append(
                Scenario(
                    name=name,
                    with_capture=Timing.of(times["with"]),
                    without_capture=Timing.of(times["without"]),
                )
            )

    alone = []
    for _ in range(iterations):
        started = time.perf_counter()
        usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=user, session_key="bench")
        alone.append(time.perf_counter() - started)
    return Results(iterations=iterations, scenarios=tuple(scenarios), record_alone=Timing.of(alone))


def report(results: Results) -> str:
    from django.db import connection

    lines = [
        f"database: {connection.vendor} {connection.Database.__name__}, "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{results.iterations} requests per variant",
        "",
        "| Scenario | With capture mean / p95 (ms) | Without mean / p95 (ms) "
        "| Overhead mean / p95 (ms) |",
        "| --- | --- | --- | --- |",
    ]
    for s in results.scenarios:
        lines.append(
            f"| {s.name} | {s.with_capture.mean_ms:.2f} / {s.with_capture.p95_ms:.2f} "
            f"| {s.without_capture.mean_ms:.2f} / {s.without_capture.p95_ms:.2f} "
            f"| {s.mean_overhead_ms:+.2f} / {s.p95_overhead_ms:+.2f} |"
        )
    r = results.record_alone
    lines.append(f"| usage_record alone (one INSERT) | {r.mean_ms:.2f} / {r.p95_ms:.2f} | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    import django
    from django.test.utils import setup_databases, teardown_databases

    django.setup()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(report(measure(iterations=args.iterations, warmup=args.warmup)))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
