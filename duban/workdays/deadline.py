"""Deadline arithmetic: pure functions over one region's calendar at one version.

Counting follows 民法典:
- 第二百零一条: the start day is not counted; counting begins the next day.
- 第二百零二条: a period in months ends on the corresponding day of the last month, or on that
  month's last day when it has no corresponding day.
- 第二百零三条: a last day that is a statutory rest day (weekends included) moves to the day after
  the rest ends, i.e. the next working day, which may be a 调休 Saturday.
n working days end on the n-th working day after the start (seed 004 第十六条 counts in 工作日).

`Calendar` holds a sorted array of every working day in the horizon, built once per (region,
version), so each deadline is one or two bisects: no query and no loop over days per call.
"""

from __future__ import annotations

import calendar as stdcal
import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duban.workdays.arrays import HORIZON_FIRST, HORIZON_LAST, Calendar, DeadlineError, Kind
from duban.workdays.explain import explain

__all__ = ["Calendar", "Deadline", "DeadlineError", "Kind", "deadline", "due_date"]


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    provisional: bool
    calendar_version: int
    explanation: str = field(default="", compare=False)


def _check(start: dt.date, n: int) -> None:
    if not HORIZON_FIRST <= start <= HORIZON_LAST:
        raise DeadlineError(
            "start",
            _("起始日期须在 %(first)s 至 %(last)s 之间。")
            % {"first": HORIZON_FIRST.isoformat(), "last": HORIZON_LAST.isoformat()},
        )
    if n < 1:
        raise DeadlineError("count", _("期限数值须为正整数,收到 %(n)d。") % {"n": n})


def _out_of_range() -> DeadlineError:
    return DeadlineError(
        "count",
        _("期限超出日历范围(至 %(last)s)。") % {"last": HORIZON_LAST.isoformat()},
    )


def _roll_forward(cal: Calendar, day: dt.date) -> dt.date:
    """第二百零三条: the first working day on or after `day`."""
    i = bisect_left(cal.workdays, day.toordinal())
    if i >= len(cal.workdays):
        raise _out_of_range()
    return dt.date.fromordinal(cal.workdays[i])


def nth_working_day(cal: Calendar, start: dt.date, n: int) -> dt.date:
    _check(start, n)
    i = bisect_right(cal.workdays, start.toordinal()) + n - 1
    if i >= len(cal.workdays):
        raise _out_of_range()
    return dt.date.fromordinal(cal.workdays[i])


def add_months(day: dt.date, n: int) -> dt.date:
    """第二百零二条: the corresponding day, or the month's last day when there is none."""
    index = day.month - 1 + n
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, stdcal.monthrange(year, month)[1]))


def quarter_end(day: dt.date) -> dt.date:
    month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, month, stdcal.monthrange(day.year, month)[1])


def _raw_end(kind: Kind, start: dt.date, n: int) -> dt.date:
    """The last day of the period before any roll-forward (calendar kinds only)."""
    try:
        if kind is Kind.DAYS:
            return start + dt.timedelta(days=n)
        if kind is Kind.MONTHS:
            return add_months(start, n)
        return quarter_end(start) + dt.timedelta(days=n)
    except (OverflowError, ValueError):
        raise _out_of_range() from None


def _raw_and_due(cal: Calendar, start: dt.date, kind: Kind, n: int) -> tuple[dt.date, dt.date]:
    if kind is Kind.WORKING_DAYS:
        due = nth_working_day(cal, start, n)
        return due, due
    _check(start, n)
    raw = _raw_end(kind, start, n)
    return raw, _roll_forward(cal, raw)


def due_date(cal: Calendar, start: dt.date, kind: Kind, n: int) -> dt.date:
    """The due date alone: the fast path the benchmark measures."""
    return _raw_and_due(cal, start, kind, n)[1]


def deadline(cal: Calendar, start: dt.date, kind: Kind, n: int) -> Deadline:
    """Due date, 暂定 flag, calendar version and the Chinese explanation of the counting."""
    raw, due = _raw_and_due(cal, start, kind, n)
    provisional = cal.is_provisional(start + dt.timedelta(days=1), due)
    text = explain(cal, start, kind, n, due, provisional, raw)
    return Deadline(
        due=due, provisional=provisional, calendar_version=cal.version, explanation=text
    )
