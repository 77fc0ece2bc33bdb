"""挂图作战 (seed 001 第二十条: 任务书、路线图、时间表,挂图上墙,动态推进): a timeline of items
and their 节点任务 with their lights, grouped per lead unit or per 责任领导.

The rows are the 台账's own (ledgers/filters.py parameters, the person's `restrict` scope), one
page at a time so a province prints a legible sheet; the milestones of that page come in one
prefetch. The geometry is computed here as percentages of the time window, so the page draws it
with SVG attributes — no inline styles, which the CSP forbids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.core.paginator import Page
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from duban.core import clock
from duban.items.lights import cutoffs, with_light
from duban.items.models import Item, ItemQuerySet, Milestone
from duban.ledgers.pages import CountedPaginator

Group = Literal["unit", "leader"]
GROUPS: dict[str, Any] = {
    "unit": [F("lead_unit__path").asc(nulls_last=True), F("due_date").asc(nulls_last=True), "id"],
    "leader": ["responsible_leader", F("due_date").asc(nulls_last=True), "id"],
}
# (default, {source: cutoff}): the last due date that is yellow, by the light rules (lights.py).
Cutoffs = tuple[dt.date, dict[str, dt.date]]
DEFAULT_PER = 50
MAX_PER = 100
# The most items one chart lays out. A wall chart is a unit's or a leader's sheet (seed 001
# 第二十条): forty A3 pages of them already cover a wall. A province head's chart of a million items
# sorted them all by unit (1.3 s) for a first page nobody prints; above this the page asks for a
# narrower choice instead.
WALL_LIMIT = 2000
LABELS = 10  # the most month names on the time axis
ROW_HEIGHT = 22  # of a row's timeline, in pixels (_wall_table.html)


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date) -> float:
        """Where `day` begins, in percent of the window's width."""
        clamped = min(max(day, self.start), self.end + dt.timedelta(days=1))
        return round(100 * (clamped - self.start).days / self.days, 2)

    def months(self) -> list[tuple[float, float, dt.date]]:
        """(x, width, first day) of each month in the window, for the grid and its labels."""
        result = []
        month = self.start.replace(day=1)
        while month <= self.end:
            following = _next_month(month)
            x = self.x(month)
            result.append((x, round(self.x(following) - x, 2), month))
            month = following
        return result

    def labels(self) -> list[tuple[float, dt.date]]:
        """(x, first day) of the months to name on the axis: every one up to ten months, else
        every second or third, so that "2026.12" never runs into the next label."""
        months = self.months()
        step = -(-len(months) // LABELS)
        return [(x, month) for n, (x, _width, month) in enumerate(months) if n % step == 0]


@dataclass(frozen=True)
class Mark:
    """A 节点任务 on the timeline: its place, and done / red / yellow / green."""

    x: float
    title: str
    due: dt.date
    status: str


@dataclass(frozen=True)
class Row:
    item: Item
    group: str
    start: dt.date
    end: dt.date | None
    x: float
    width: float
    light: str  # the item's live light, "done" once closed, "none" without a due date
    marks: list[Mark]
    overrun: tuple[float, float] | None  # (x, width) from the due date to today, if overdue


@dataclass
class WallChart:
    rows: list[Row]
    page: Page[Any]
    window: Window
    today_x: float | None
    group: Group
    grid: SafeString  # every row's month lines


def _grid(window: Window, height: int) -> SafeString:
    """A timeline's month lines, joined once for every row of the page: drawn by the template in
    each row, 36 lines × 50 rows, they were most of a liaison's chart (70–109 ms)."""
    line = '<line class="wall-grid" x1="{0}%" x2="{0}%" y1="0" y2="{1}"/>'
    return format_html_join("", line, ((x, height) for x, _width, _month in window.months()))


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _start(item: Item) -> dt.date:
    moment = item.assigned_at or item.created_at
    return timezone.localtime(moment).date()


def rows_query(items: ItemQuerySet, group: Group) -> QuerySet[Any]:
    milestones = Prefetch("milestones", Milestone.objects.order_by("due_date", "sort_order", "id"))
    return (
        with_light(items)
        .select_related("lead_unit")
        .prefetch_related(milestones)
        .order_by(*GROUPS[group])
    )


def _window(items: list[Item], today: dt.date) -> Window:
    """From the first start to the last date on the page (and today), in whole months."""
    days = [today]
    for item in items:
        days.append(_start(item))
        days.extend(d for d in (item.due_date, item.original_due_date) if d)
        days.extend(m.due_date for m in item.milestones.all())
    start = min(days).replace(day=1)
    return Window(start, _next_month(max(days)) - dt.timedelta(days=1))


def _status(milestone: Milestone, today: dt.date, yellow_until: dt.date, is_open: bool) -> str:
    if milestone.done_at is not None:
        return "done"
    if not is_open:
        return "closed"  # never marked done, but the item is over: no longer late
    if milestone.due_date < today:
        return "red"
    return "yellow" if milestone.due_date <= yellow_until else "green"


def _group_label(item: Item, group: Group) -> str:
    if group == "leader":
        return item.responsible_leader or _("未明确责任领导")
    return item.lead_unit.name if item.lead_unit else _("未交办")


def _row(item: Any, window: Window, group: Group, today: dt.date, yellow: Cutoffs) -> Row:
    until = yellow[1].get(item.source, yellow[0])
    start = _start(item)
    end = item.due_date
    x = window.x(start)
    width = round(window.x((end or start) + dt.timedelta(days=1)) - x, 2)
    light = item.light or ("done" if not item.is_open else "none")
    if item.is_open and end is None:
        light = "none"
    marks = [
        Mark(window.x(m.due_date), m.title, m.due_date, _status(m, today, until, item.is_open))
        for m in item.milestones.all()
    ]
    overrun = None
    if item.is_open and end is not None and end < today:
        late_x = window.x(end + dt.timedelta(days=1))
        overrun = (late_x, round(window.x(today + dt.timedelta(days=1)) - late_x, 2))
    label = _group_label(item, group)
    return Row(item, label, start, end, x, max(width, 0.4), light, marks, overrun)


def build(
    items: ItemQuerySet, group: Group, per: int | None, page_number: Any, total: int | None = None
) -> WallChart:
    """The chart's page; `total`, when counted already, spares counting the rows again."""
    today = clock.today()
    per = min(per or DEFAULT_PER, MAX_PER)
    paginator = CountedPaginator(rows_query(items, group), per)
    paginator.known(total)
    page = paginator.get_page(page_number)
    listed = list(page.object_list)
    window = _window(listed, today)
    yellow = cutoffs(today)
    rows = [_row(item, window, group, today, yellow) for item in listed]
    today_x = window.x(today) if window.start <= today <= window.end else None
    return WallChart(rows, page, window, today_x, group, _grid(window, ROW_HEIGHT))
