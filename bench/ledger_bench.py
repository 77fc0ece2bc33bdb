"""The 台账 page's server time on the generated province: median and p95 per scenario.

    .venv/bin/python bench/ledger_bench.py [--items 1000000] [--runs 50] [--sql] [--explain]

Issue 6 item 6 and shared/DESIGN.md 「Performance targets」: the ledger page (filter + sort + total
count) at 1,000,000 items, p95 under 50 ms server time. DATABASE_URL names the province of
bench/province.py (default postgres://postgres@127.0.0.1:5432/duban_province); it is generated
there first if it has fewer items (kept afterwards). Each request goes through the test Client:
session, the view with all its SQL, the template. --sql prints every statement of one request,
--explain the EXPLAIN ANALYZE of each scenario's slowest statement.

The whole tree's first search for a frequent keyword counts its matches on the items and has the
worker (immediate here) keep that count (ledgers/keyword_tally.py); later searches take the kept
count. So each such scenario first forgets the keyword and times that first search on its own
line ("first search": with the immediate worker it includes keeping the count, which a server
leaves to its worker), then measures the searches that follow.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Result, allow_test_host, bench_main, client_for, measure, params_note

GOAL_MS = 50.0
PROVINCE_HEAD = "p_dcs_head"  # 省政府督查室主任: the whole province
CITY_HEAD = "p_c01_dcs_head"  # 东阳市政府督查室主任: the city and its districts
LIAISON = "p_c01_fgw_liaison"  # 东阳市发展和改革局联络员: the items of one unit
DISTRICT_HEAD = "p_c01_k01_dcs_head"  # 东阳市城关区督查室主任: a district of 24 units
CITY_CLERK = "p_c01_dcs_office1"  # 东阳市督查室科员: the city, and 22,000 items of their own
PROVINCE_CLERK = "p_dcs_office1"  # 省督查室科员: the province, and 80,000 items of their own


def scenarios() -> list[tuple[str, str, dict[str, Any]]]:
    from duban.org.models import Unit

    lead = Unit.objects.get(code="P-C01-FGW").pk
    return [
        ("province head, no filter", PROVINCE_HEAD, {}),
        ("city head, no filter", CITY_HEAD, {}),
        ("city head, lead unit, sort by due", CITY_HEAD, {"lead_unit": lead, "sort": "due"}),
        ("city head, open, sort by due", CITY_HEAD, {"state": "open", "sort": "due"}),
        ("province head, red light", PROVINCE_HEAD, {"light": "red"}),
        ("city head, red light", CITY_HEAD, {"light": "red"}),
        ("city head, keyword 老旧小区", CITY_HEAD, {"q": "老旧小区"}),
        ("city head, keyword 燃气 (2 chars)", CITY_HEAD, {"q": "燃气"}),
        ("province head, keyword 老旧小区", PROVINCE_HEAD, {"q": "老旧小区"}),
        ("province head, 老旧小区, red light", PROVINCE_HEAD, {"q": "老旧小区", "light": "red"}),
        ("province head, tag 民生实事", PROVINCE_HEAD, {"tag": "民生实事"}),
        ("city head, tag 民生实事", CITY_HEAD, {"tag": "民生实事"}),
        (
            "city head, tag 乡村振兴, open, by due",
            CITY_HEAD,
            {"tag": "乡村振兴", "state": "open", "sort": "due"},
        ),
        ("liaison of one unit, no filter", LIAISON, {}),
        ("district head, no filter", DISTRICT_HEAD, {}),
        ("district head, open, sort by due", DISTRICT_HEAD, {"state": "open", "sort": "due"}),
        ("district head, keyword 燃气 (2 chars)", DISTRICT_HEAD, {"q": "燃气"}),
        ("city clerk, no filter", CITY_CLERK, {}),
        ("city clerk, red light", CITY_CLERK, {"light": "red"}),
        ("city clerk, keyword 老旧小区", CITY_CLERK, {"q": "老旧小区"}),
        ("province clerk, no filter", PROVINCE_CLERK, {}),
    ]


def total(username: str, params: dict[str, Any]) -> int:
    """The ledger's own count, through its filter function (the contract's ledger_items)."""
    from django.http import QueryDict

    from duban.ledgers.filters import cleaned, ledger_items, parse
    from duban.org.models import User

    user = User.objects.get(username=username)
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    return ledger_items(user, cleaned(parse(user, query))).count()


def forget_keyword(username: str, params: dict[str, Any]) -> bool:
    """Forget a keyword the whole tree's search would keep the count of; whether it would."""
    from django.db import connection
    from django.http import QueryDict

    from duban.ledgers.counts import keyword_tallied
    from duban.ledgers.filters import cleaned, parse
    from duban.org.models import User

    query = QueryDict(mutable=True)
    query.update({key: str(value) for key, value in params.items()})
    user = User.objects.get(username=username)
    if not keyword_tallied(user, cleaned(parse(user, query))):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM ledgers_keyword_tally WHERE term_id IN"
            " (SELECT id FROM ledgers_keyword_term WHERE term = %s)",
            [params["q"]],
        )
        cursor.execute("DELETE FROM ledgers_keyword_term WHERE term = %s", [params["q"]])
    return True


def run(runs: int, only: str | None) -> list[Result]:
    from django.urls import reverse

    allow_test_host()
    url = reverse("items:list")
    results = []
    for name, username, params in scenarios():
        if only and only not in name:
            continue
        client = client_for(username)
        rows = total(username, params)
        note = f"{rows:,} rows  {params_note(params)}"
        if forget_keyword(username, params):
            first = measure(
                f"{name}, first search", partial(client.get, url, params), runs=1, warmup=0
            )
            results.append(first)
        results.append(measure(name, partial(client.get, url, params), runs=runs, note=note))
        print(f"{name}: median {results[-1].median_ms:.1f} ms", file=sys.stderr)
    return results


def main() -> None:
    bench_main(__doc__, run, runs=50, goal_ms=GOAL_MS, key="p95")


if __name__ == "__main__":
    main()
