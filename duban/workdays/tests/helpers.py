"""A national calendar built straight from chinesecalendar (no database) and a naive oracle."""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar

from duban.workdays.arrays import Calendar, build_calendar
from duban.workdays.seed import FIRST_YEAR, LAST_YEAR, national_days

OFFICIAL_FIRST = dt.date(FIRST_YEAR, 1, 1)
OFFICIAL_LAST = dt.date(LAST_YEAR, 12, 31)


@cache
def national() -> Calendar:
    return build_calendar("CN", 1, national_days(), range(FIRST_YEAR, LAST_YEAR + 1))


def naive_nth_working_day(start: dt.date, n: int) -> dt.date:
    """The day-by-day count the arrays replace, over chinesecalendar itself."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def naive_roll(day: dt.date) -> dt.date:
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day
