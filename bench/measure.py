"""Timing pages in-process: server time per request, SQL statements, EXPLAIN of the slowest.

Shared by bench/ledger_bench.py and bench/dashboard_bench.py. A request goes through the test
Client (middleware, session, view, its SQL and the template) and ends as the server ends it, its
database connection kept or closed by CONN_MAX_AGE, so the time is what the server spends,
without the network and the browser.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    name: str
    seconds: list[float]
    queries: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0] * 1000
        return statistics.quantiles(self.seconds, n=20, method="inclusive")[18] * 1000

    @property
    def slowest(self) -> dict[str, Any] | None:
        return max(self.queries, key=lambda q: float(q["time"]), default=None)


def allow_test_host() -> None:
    """The test Client's host, without setup_test_environment: its instrumented template
    rendering (a signal per template, 15,000 of them on a page of long selects) would be timed."""
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def client_for(username: str) -> Any:
    from django.test import Client

    from duban.org.models import User

    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def measure(
    name: str, request: Callable[[], Any], *, runs: int, warmup: int = 3, note: str = ""
) -> Result:
    """`runs` timed calls after `warmup` untimed ones; the statements of one more call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        _served(request)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        _served(request)
        seconds.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        _check(request())
    return Result(name, seconds, list(captured.captured_queries), note)


def _served(request: Callable[[], Any]) -> None:
    """One request, ended as the server ends it. The test Client leaves the database connection
    open whatever CONN_MAX_AGE says; the server closes it when it is older (settings.py), and the
    next request pays for a new one."""
    from django.db import close_old_connections

    _check(request())
    close_old_connections()


def _check(response: Any) -> None:
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise SystemExit(f"the page answered {status}")


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def report(results: list[Result], *, goal_ms: float, key: str, sql: bool, plans: bool) -> None:
    """One line per scenario (median, p95, `key` against the goal, statements), then details."""
    print(f"\n{'scenario':<40} {'median':>9} {'p95':>9} {key + '/goal':>11} {'SQL':>4}  rows")
    for r in results:
        figure = r.p95_ms if key == "p95" else r.median_ms
        print(
            f"{r.name:<40} {r.median_ms:>7.1f}ms {r.p95_ms:>7.1f}ms {figure / goal_ms:>11.2f}"
            f" {len(r.queries):>4}  {r.note}"
        )
    for r in results:
        if sql:
            print(f"\n-- {r.name}: {len(r.queries)} statements")
            for q in r.queries:
                print(f"  [{float(q['time']) * 1000:7.1f} ms] {q['sql']}")
        slowest = r.slowest
        if plans and slowest is not None:
            took = float(slowest["time"]) * 1000
            print(f"\n-- {r.name}: EXPLAIN ANALYZE of the slowest ({took:.1f} ms)")
            print(slowest["sql"])
            print(explain(slowest["sql"]))


def params_note(params: Mapping[str, Any]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def bench_main(
    doc: str | None,
    run: Callable[[int, str | None], list[Result]],
    *,
    runs: int,
    goal_ms: float,
    key: str,
) -> None:
    """The command line the page benches share: generate or reuse the province, measure, report."""
    import argparse

    from bench import province

    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--only", help="run the scenarios whose name contains this")
    parser.add_argument("--sql", action="store_true", help="print each request's statements")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    parser.add_argument(
        "--restrict",
        choices=["current", "any-array"],
        default="current",
        help="any-array: measure the item_q proposal of bench/restrict_any.py",
    )
    options = parser.parse_args()
    province.ensure(options.items)
    if options.restrict == "any-array":
        from bench import restrict_any

        restrict_any.install()
    print(province.summary())
    gc.freeze()  # as the server does (duban/wsgi.py)
    results = run(options.runs, options.only)
    report(results, goal_ms=goal_ms, key=key, sql=options.sql, plans=options.explain)
