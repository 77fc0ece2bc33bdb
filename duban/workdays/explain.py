"""The Chinese explanation of a deadline, so that a clerk can recount it by hand (issue 3).

「10个工作日:自2026年4月30日次日起算,跳过5月1日至5日劳动节假期及周末,5月9日(星期六)调休上班计入,
截止2026年5月18日」
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence

from django.utils.translation import gettext as _

from duban.workdays.arrays import WEEKDAYS, Calendar, Kind

MAX_RUNS = 4  # beyond this many holiday runs the list is summarised, not spelled out
QUARTERS = "一二三四"


def fmt(day: dt.date, *, year: bool = True) -> str:
    text = _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}
    return _("%(y)d年") % {"y": day.year} + text if year else text


def weekday(day: dt.date) -> str:
    return _("星期%(w)s") % {"w": WEEKDAYS[day.weekday()]}


def _between(days: Sequence[int], start: dt.date, due: dt.date) -> Sequence[int]:
    """The ordinals of `days` in (start, due]: two bisects, whatever the length of the period."""
    lo = bisect_right(days, start.toordinal())
    return days[lo : bisect_right(days, due.toordinal())]


def _runs(ordinals: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for ordinal in ordinals:
        if runs and runs[-1][1] == ordinal - 1:
            runs[-1] = (runs[-1][0], ordinal)
        else:
            runs.append((ordinal, ordinal))
    return runs


def _span(first: dt.date, last: dt.date, year: bool) -> str:
    if first == last:
        return fmt(first, year=year)
    if (first.year, first.month) == (last.year, last.month):
        return _("%(first)s至%(d)d日") % {"first": fmt(first, year=year), "d": last.day}
    return _("%(first)s至%(last)s") % {"first": fmt(first, year=year), "last": fmt(last, year=year)}


def _run_text(cal: Calendar, run: tuple[int, int], year: bool) -> str:
    names: list[str] = []
    for ordinal in range(run[0], run[1] + 1):
        name = cal.named[ordinal][1]
        if name not in names:
            names.append(name)
    first, last = dt.date.fromordinal(run[0]), dt.date.fromordinal(run[1])
    return _span(first, last, year) + "、".join(names)


def _skipped(cal: Calendar, start: dt.date, due: dt.date) -> str:
    """「跳过5月1日至5日劳动节假期及周末」, or 「跳过周末」, or nothing."""
    holidays = _between(cal.holidays, start, due)
    rest_days = (due - start).days - len(_between(cal.workdays, start, due))
    weekends = rest_days - len(holidays) > 0
    if not holidays:
        return _("跳过周末") if weekends else ""
    runs = _runs(holidays)
    year = start.year != due.year
    if len(runs) > MAX_RUNS:
        text = _("%(first)s等%(n)d段") % {"first": _run_text(cal, runs[0], year), "n": len(runs)}
    else:
        text = "、".join(_run_text(cal, run, year) for run in runs)
    template = _("跳过%(runs)s假期及周末") if weekends else _("跳过%(runs)s假期")
    return template % {"runs": text}


def _swapped(cal: Calendar, start: dt.date, due: dt.date) -> str:
    """「5月9日(星期六)调休上班计入」 for the 调休 working days inside the period."""
    days = [dt.date.fromordinal(o) for o in _between(cal.swaps, start, due)]
    if not days:
        return ""
    year = start.year != due.year
    listed = "、".join(f"{fmt(day, year=year)}({weekday(day)})" for day in days)
    return _("%(days)s调休上班计入") % {"days": listed}


def _rest_reason(cal: Calendar, day: dt.date) -> str:
    listed = cal.named.get(day.toordinal())
    if listed and listed[1]:
        return _("%(name)s假期") % {"name": listed[1]}
    return weekday(day)


def _rolled(cal: Calendar, raw: dt.date, due: dt.date) -> list[str]:
    """第二百零三条: say why the last day moved, or nothing if it did not."""
    if raw == due:
        return []
    return [
        _("%(raw)s为%(reason)s,顺延至下一工作日")
        % {"raw": fmt(raw), "reason": _rest_reason(cal, raw)}
    ]


def _provisional(cal: Calendar, start: dt.date, due: dt.date) -> str:
    years = [y for y in range(start.year, due.year + 1) if y in cal.provisional_years]
    return _(
        "(暂定:%(years)s年尚无正式放假安排,仅按周末及元旦、劳动节、国庆节计算,"
        "正式安排载入后将重新计算)"
    ) % {"years": "、".join(str(y) for y in years)}


def _working_days(cal: Calendar, start: dt.date, n: int, due: dt.date) -> list[str]:
    parts = [_("%(n)d个工作日:自%(start)s次日起算") % {"n": n, "start": fmt(start)}]
    parts += [text for text in (_skipped(cal, start, due), _swapped(cal, start, due)) if text]
    return parts


def _calendar_days(start: dt.date, n: int, raw: dt.date) -> list[str]:
    return [
        _("%(n)d日:自%(start)s次日起算,第%(n)d日为%(raw)s")
        % {"n": n, "start": fmt(start), "raw": fmt(raw)}
    ]


def _months(start: dt.date, n: int, raw: dt.date) -> list[str]:
    head = _("%(n)d个月:自%(start)s次日起算") % {"n": n, "start": fmt(start)}
    if raw.day == start.day:
        return [head, _("到期月对应日为%(raw)s") % {"raw": fmt(raw)}]
    # 第二百零二条: no corresponding day, so the month's last day is the period's last day.
    missing = _("%(y)d年%(m)d月无%(d)d日,以月末日%(raw)s为期间最后一日")
    return [head, missing % {"y": raw.year, "m": raw.month, "d": start.day, "raw": fmt(raw)}]


def _quarter(start: dt.date, n: int, raw: dt.date) -> list[str]:
    end = raw - dt.timedelta(days=n)
    quarter = QUARTERS[(end.month - 1) // 3]
    return [
        _("每季度结束后%(n)d日内报送:%(y)d年第%(q)s季度于%(end)s结束,自次日起算第%(n)d日为%(raw)s")
        % {"n": n, "y": end.year, "q": quarter, "end": fmt(end), "raw": fmt(raw)}
    ]


def explain(
    cal: Calendar, start: dt.date, kind: Kind, n: int, due: dt.date, provisional: bool, raw: dt.date
) -> str:
    """`raw` is the last day before any roll-forward (equal to `due` for working days)."""
    if kind is Kind.WORKING_DAYS:
        parts = _working_days(cal, start, n, due)
    elif kind is Kind.DAYS:
        parts = _calendar_days(start, n, raw)
    elif kind is Kind.MONTHS:
        parts = _months(start, n, raw)
    else:
        parts = _quarter(start, n, raw)
    parts += _rolled(cal, raw, due)
    parts.append(_("截止%(due)s") % {"due": fmt(due)})
    text = ",".join(parts)
    return text + _provisional(cal, start, due) if provisional else text
