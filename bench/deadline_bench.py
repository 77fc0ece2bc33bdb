"""Deadlines per second: sorted arrays and bisect against a day-by-day loop over chinesecalendar.

    .venv/bin/python -m bench.deadline_bench [--count 200000]

Issue 3 item 6 sets the goal at over 500,000 due dates a second; the explanation is extra work
done once per item, so it is measured separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections.abc import Callable

import chinese_calendar
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
django.setup()

from duban.workdays.arrays import build_calendar  # noqa: E402  (after django.setup)
from duban.workdays.deadline import Kind, deadline, due_date  # noqa: E402
from duban.workdays.seed import FIRST_YEAR, LAST_YEAR, national_days  # noqa: E402

Case = tuple[dt.date, int]


def cases(count: int, seed: int = 3) -> list[Case]:
    rng = random.Random(seed)
    first = dt.date(FIRST_YEAR, 1, 1).toordinal()
    last = dt.date(LAST_YEAR, 10, 31).toordinal()  # 30 working days stay inside the data
    return [
        (dt.date.fromordinal(rng.randint(first, last)), rng.randint(1, 30)) for _ in range(count)
    ]


def naive(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def rate(
    label: str, work: Callable[[list[Case]], list[dt.date]], batch: list[Case]
) -> list[dt.date]:
    began = time.perf_counter()
    results = work(batch)
    elapsed = time.perf_counter() - began
    print(f"{label:<28} {len(batch) / elapsed:>12,.0f} /s   ({len(batch):,} in {elapsed:.3f} s)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000)
    count = parser.parse_args().count
    began = time.perf_counter()
    cal = build_calendar("CN", 1, national_days(), range(FIRST_YEAR, LAST_YEAR + 1))
    print(f"{'build arrays (once/version)':<28} {time.perf_counter() - began:>12.3f} s")
    batch = cases(count)
    fast = rate(
        "due_date (bisect)",
        lambda b: [due_date(cal, s, Kind.WORKING_DAYS, n) for s, n in b],
        batch,
    )
    rate(
        "deadline + explanation",
        lambda b: [deadline(cal, s, Kind.WORKING_DAYS, n).due for s, n in b],
        batch[: count // 10],
    )
    slow_batch = batch[: max(1, count // 100)]
    slow = rate("day-by-day chinesecalendar", lambda b: [naive(s, n) for s, n in b], slow_batch)
    assert slow == fast[: len(slow)], "the two methods disagree"
    print("results agree on", f"{len(slow):,}", "cases")


if __name__ == "__main__":
    main()
