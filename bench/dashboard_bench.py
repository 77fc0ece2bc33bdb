"""统计分析 at a million items: the page's server time and its aggregates alone, per scope.

    .venv/bin/python bench/dashboard_bench.py [--items 1000000] [--runs 10] [--sql] [--explain]

Issue 6 item 6 and shared/DESIGN.md 「Performance targets」: dashboard aggregates at 1,000,000
items under 300 ms (median here). DATABASE_URL names the province of bench/province.py (default
postgres://postgres@127.0.0.1:5432/duban_province), generated first if it has fewer items. Each
scope is timed three ways, for this year and for 「全部年份」: the page (/ledgers/dashboard/
through the test Client: session, every figure, the chart data and the template) and
`dashboards.build` alone, both as a person sees them once the scope's counts are kept
(ledgers/figure_cache.py: the first view counts them and has the worker keep them); and the
worker's count of the scope's shared part (figure_cache.count), what a view waits for when no
kept count may be shown. --sql prints the statements of one page, --explain its slowest one's plan.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Result, allow_test_host, bench_main, client_for, measure

GOAL_MS = 300.0
PEOPLE = [
    ("province head", "p_dcs_head"),
    ("city head", "p_c01_dcs_head"),
    ("county head", "p_c01_k01_dcs_head"),
]


def _build(username: str, year: str) -> Callable[[], Any]:
    from duban.ledgers.dashboards import build
    from duban.org.models import User

    period = _period(year)

    def call() -> Any:
        # A fresh user each time, as each request reads its own: no scope cached between calls.
        return build(User.objects.get(username=username), period)

    return call


def _count(username: str, year: str) -> Callable[[], Any]:
    from duban.items.access import scope_of
    from duban.ledgers.dashboards import window_for
    from duban.ledgers.figure_cache import count
    from duban.org.models import User

    scope = scope_of(User.objects.get(username=username))
    assert scope is not None
    window = window_for(_period(year))
    return lambda: count(scope, window)


def _period(year: str) -> Any:
    from django.utils import timezone

    from duban.ledgers.dashboards import Period

    return Period(None, None) if year == "all" else Period.year(timezone.localdate().year)


def run(runs: int, only: str | None) -> list[Result]:
    from django.urls import reverse

    from duban.ledgers.models import FigureSnapshot

    allow_test_host()
    FigureSnapshot.objects.all().delete()
    url = reverse("ledgers:dashboard")
    results = []
    for label, username in PEOPLE:
        for year in ("this", "all"):
            name = f"{label}, {'this year' if year == 'this' else 'all years'}"
            if only and only not in name:
                continue
            client = client_for(username)
            params = {"year": "all"} if year == "all" else {}
            page = measure(f"page: {name}", partial(client.get, url, params), runs=runs, warmup=1)
            results.append(page)
            results.append(measure(f"build(): {name}", _build(username, year), runs=runs, warmup=1))
            worker = measure(f"worker count: {name}", _count(username, year), runs=2, warmup=0)
            results.append(worker)
            print(f"{name}: page median {page.median_ms:.0f} ms", file=sys.stderr)
    return results


def main() -> None:
    bench_main(__doc__, run, runs=10, goal_ms=GOAL_MS, key="median")


if __name__ == "__main__":
    main()
