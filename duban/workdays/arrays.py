"""One region's calendar at one version, as sorted arrays of day ordinals.

Built once per (region, version) from the stored days; deadline arithmetic (deadline.py) and the
explanations (explain.py) only bisect these arrays.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from duban.workdays.seed import SeedDay, provisional_days

HORIZON_FIRST = dt.date(2000, 1, 1)
HORIZON_LAST = dt.date(2099, 12, 31)
WEEKDAYS = "一二三四五六日"


class Kind(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    QUARTER_REPORT = "quarter_report"


class DeadlineError(ValueError):
    """Bad input; `field` names the argument, the message is Chinese and names it too."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Calendar:
    region: str
    version: int
    workdays: Sequence[int]  # ordinals of every working day in the horizon, ascending
    named: dict[int, tuple[bool, str]]  # ordinal -> (is_workday, name) for every listed day
    holidays: Sequence[int]  # ordinals of named rest days, ascending
    swaps: Sequence[int]  # ordinals of weekend days that are working days (调休), ascending
    provisional_years: frozenset[int]

    def is_workday(self, day: dt.date) -> bool:
        ordinal = day.toordinal()
        i = bisect_left(self.workdays, ordinal)
        return i < len(self.workdays) and self.workdays[i] == ordinal

    def is_provisional(self, first: dt.date, last: dt.date) -> bool:
        return any(year in self.provisional_years for year in range(first.year, last.year + 1))


def build_calendar(
    region: str, version: int, days: Iterable[SeedDay], official_years: Iterable[int]
) -> Calendar:
    """The arrays for one region at one version; years not official get the fixed holidays."""
    listed = {day.date.toordinal(): (day.is_workday, day.name) for day in days}
    official = set(official_years)
    provisional = frozenset(
        year for year in range(HORIZON_FIRST.year, HORIZON_LAST.year + 1) if year not in official
    )
    for year in sorted(provisional):
        for day in provisional_days(year):
            listed.setdefault(day.date.toordinal(), (False, day.name))
    first, last = HORIZON_FIRST.toordinal(), HORIZON_LAST.toordinal()
    # Built once per version (about 36,500 days); every deadline after that is a bisect.
    workdays = [
        ordinal
        for ordinal in range(first, last + 1)
        if listed.get(ordinal, (not is_weekend(ordinal),))[0]
    ]
    ordered = sorted(listed)
    return Calendar(
        region=region,
        version=version,
        workdays=workdays,
        named=listed,
        holidays=[o for o in ordered if not listed[o][0] and listed[o][1]],
        swaps=[o for o in ordered if listed[o][0] and is_weekend(o)],
        provisional_years=provisional,
    )


def is_weekend(ordinal: int) -> bool:
    # date.toordinal() of 1 January of year 1, a Monday, is 1: so 6 is Saturday and 0 Sunday.
    return ordinal % 7 in (0, 6)
