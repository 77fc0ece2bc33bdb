"""统计分析 at a million items: the page's server time and its aggregates alone, per scope.

    .venv/bin/python bench/dashboard_bench.py [--items 1000000] [--runs 10] [--sql] [--explain]

Issue 6 item 6 and shared/DESIGN.md 「Performance targets」: dashboard aggregates at 1,000,000
items under 300 ms (median here). DATABASE_URL names the province of bench/province.py (default
postgres://postgres@127.0.0.1:5432/duban_province), generated first if it has fewer items. Each
scope is timed twice: the page (/ledgers/dashboard/ through the test Client: session, every
aggregate, the chart data and the template) and `dashboards.build` alone; for this year and for
「全部年份」. --sql prints the statements of one page, --explain the plan of its slowest one.
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
    from django.utils import timezone

    from duban.ledgers.dashboards import Period, build
    from duban.org.models import User

    period = Period(None, None) if year == "all" else Period.year(timezone.localdate().year)

    def call() -> Any:
        # A fresh user each time, as each request reads its own: no scope cached between calls.
        return build(User.objects.get(username=username), period)

    return call


def run(runs: int, only: str | None) -> list[Result]:
    from django.urls import reverse

    allow_test_host()
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
            print(f"{name}: page median {page.median_ms:.0f} ms", file=sys.stderr)
    return results


def main() -> None:
    bench_main(__doc__, run, runs=10, goal_ms=GOAL_MS, key="median")


if __name__ == "__main__":
    main()
