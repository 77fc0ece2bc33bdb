"""红黄绿灯 (issue 4 item 7): computed from data, with the threshold editable as LightRule rows.

red: an open item past its due date. yellow: due between today and the yellow cutoff, the n-th
working day after today, n from the item source's LightRule row or else the default row.
green: any other open item. Closed items have no light ("").

The cutoff dates are computed once per call, one per rule row, and the light is then plain SQL
over `state`, `source` and `due_date` (the item_open_due index), never a Python loop per row
(shared/DESIGN.md Worker: set-based sweeps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any, Literal

from django.db.models import Case, CharField, Q, QuerySet, Value, When

from duban.core import clock
from duban.items.models import OPEN_STATES, Item, LightRule
from duban.workdays.arrays import Calendar
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import nth_working_day

Light = Literal["red", "yellow", "green"]
LIGHTS: tuple[Light, ...] = ("red", "yellow", "green")
# Migration 0005's preset value; used only if an administrator deleted the default row.
DEFAULT_YELLOW_WITHIN = 3


def _cutoff(today: dt.date, within: int, calendar: Callable[[], Calendar]) -> dt.date:
    """The last due date that is yellow: today's n-th following working day (n = 0: none)."""
    if within <= 0:
        return today - dt.timedelta(days=1)
    return nth_working_day(calendar(), today, within)


def cutoffs(today: dt.date) -> tuple[dt.date, dict[str, dt.date]]:
    """(default cutoff, {source: cutoff}) from the rule rows: one query for the rules, one for
    the calendar's version (asked once, not once per rule row), one bisect per row."""
    rows = dict(LightRule.objects.values_list("source", "yellow_within"))
    calendar = cache(calendar_for)
    default = _cutoff(today, rows.pop("", DEFAULT_YELLOW_WITHIN), calendar)
    return default, {source: _cutoff(today, n, calendar) for source, n in rows.items()}


def _yellow_q(today: dt.date, default: dt.date, by_source: dict[str, dt.date]) -> Q:
    near = Q(source__in=list(by_source)) if by_source else Q(pk__in=[])
    yellow = ~near & Q(due_date__lte=default)
    for source, cutoff in by_source.items():
        yellow |= Q(source=source, due_date__lte=cutoff)
    return Q(state__in=OPEN_STATES, due_date__gte=today) & yellow


def light_q(light: Light, today: dt.date | None = None) -> Q:
    """The filter for one colour, with the cutoffs computed once."""
    today = today or clock.today()
    red = Q(state__in=OPEN_STATES, due_date__lt=today)
    if light == "red":
        return red
    yellow = _yellow_q(today, *cutoffs(today))
    if light == "yellow":
        return yellow
    if light == "green":
        return Q(state__in=OPEN_STATES) & ~red & ~yellow
    raise ValueError(f"unknown light {light!r}")


def light_case(today: dt.date | None = None) -> Case:
    """The light of a row as a SQL CASE: "red", "yellow", "green", or "" for a closed item."""
    today = today or clock.today()
    red = Q(state__in=OPEN_STATES, due_date__lt=today)
    yellow = _yellow_q(today, *cutoffs(today))
    return Case(
        When(red, then=Value("red")),
        When(yellow, then=Value("yellow")),
        When(state__in=OPEN_STATES, then=Value("green")),
        default=Value(""),
        output_field=CharField(),
    )


def with_light(
    qs: QuerySet[Item], today: dt.date | None = None, case: Case | None = None
) -> QuerySet[Any]:
    """Annotate `light` in SQL (`case`: a `light_case` already computed for the same day).

    Typed QuerySet[Any] so callers may read `.light` and `values_list("light")` under mypy."""
    return qs.annotate(light=case if case is not None else light_case(today))


def filter_light(qs: QuerySet[Item], light: Light, today: dt.date | None = None) -> QuerySet[Item]:
    return qs.filter(light_q(light, today))


def light_of(item: Item, today: dt.date | None = None) -> str:
    """One item's light, by the same rule as the SQL (for a detail page or a test)."""
    if not item.is_open:
        return ""
    today = today or clock.today()
    if item.due_date is None:
        return "green"
    if item.due_date < today:
        return "red"
    default, by_source = cutoffs(today)
    return "yellow" if item.due_date <= by_source.get(item.source, default) else "green"
