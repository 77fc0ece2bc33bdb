"""统计分析 and 领导驾驶舱 aggregates (issue 6 item 3): every figure from one grouped statement.

Every figure counts over `ledger_items(user, ...)` — the person's `restrict(user, "view")` scope
narrowed by the same filter values the 台账 reads — and carries the 台账 link whose rows it counted,
so a click on any number opens exactly those items. The counts come from dashboard_sql.read, one
statement that reads the scoped items once (at a million items each read costs a second); the
functions below turn its rows into the figures. The query count does not grow with the items.

The period narrows items by registration date (`created_from/created_to`), except the on-time
completion rates, which are over the items completed in the period (`completed_from/completed_to`),
and the monthly trend, which covers the twelve months up to the period's end.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core import clock
from duban.items.models import Item, ItemSource, ItemState, Light, ReportCadence
from duban.ledgers.dashboard_rules import Rules, current_rules
from duban.ledgers.dashboard_sql import Figures, Row, Window
from duban.ledgers.figure_cache import figures_for

# Average progress reports a month per cadence: 52 weeks over 12 months, one, a third.
REPORTS_PER_MONTH = {
    ReportCadence.WEEKLY: 52 / 12,
    ReportCadence.MONTHLY: 1.0,
    ReportCadence.QUARTERLY: 1 / 3,
}
TREND_MONTHS = 12
# Rows a table or chart shows per list: a province has thousands of units; the rest are a
# filter away in the 台账.
SHOWN_ROWS = 30


@dataclass(frozen=True)
class Period:
    """Inclusive dates; None on both ends is 「全部」."""

    start: dt.date | None
    end: dt.date | None

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def data(self, prefix: str) -> dict[str, dt.date]:
        """Cleaned filter values for `ledger_items`: `<prefix>_from`, `<prefix>_to`."""
        values = {f"{prefix}_from": self.start, f"{prefix}_to": self.end}
        return {name: value for name, value in values.items() if value is not None}

    def params(self, prefix: str) -> dict[str, str]:
        return {name: value.isoformat() for name, value in self.data(prefix).items()}


@functools.cache
def _ledger_path() -> str:
    return reverse("items:list")


def ledger_url(params: Mapping[str, Any]) -> str:
    """The 台账 link for these contract parameters (shared contract: /items/?<params>)."""
    pairs = sorted((k, str(v)) for k, v in params.items() if v not in (None, ""))
    return f"{_ledger_path()}?{urlencode(pairs)}" if pairs else _ledger_path()


@dataclass(frozen=True, slots=True)
class Cell:
    """A counted number and the 台账 parameters that list exactly the items counted.

    The parameters are the page's `base` and this cell's `extra` pairs, and the link is built
    only when a page shows it: a province has thousands of units, and only the rows on screen
    need one."""

    count: int
    base: Mapping[str, Any]
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return {**self.base, **dict(self.extra)}

    @property
    def url(self) -> str:
        return ledger_url(self.params)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class Rate:
    """On-time completion of one unit, source or leader: on_time of total, with both links."""

    key: str
    label: str
    total: Cell
    on_time: Cell
    ranked: bool

    @property
    def percent(self) -> float:
        return _percent(self.on_time.count, self.total.count)


@dataclass(frozen=True)
class UnitReturns:
    unit_id: int
    name: str
    returned: Cell  # items sent back at least once
    returns: int  # times sent back in all
    extended: Cell  # items extended at least once
    extensions: int  # extensions granted in all
    requests: int  # extension requests the unit made, whatever their outcome


@dataclass(frozen=True)
class UnitLoad:
    """The reports a unit is asked for (2024 减负 rules: offices see who is over-burdened)."""

    unit_id: int
    name: str
    open_items: Cell
    periodic: int  # open items with a reporting cadence
    per_month: float
    reported: int  # progress reports the unit sent with a due date in the period
    heavy: bool


@dataclass(frozen=True)
class Month:
    month: dt.date
    created: Cell
    completed: Cell


@dataclass
class Dashboard:
    period: Period
    rules: Rules
    total: Cell
    states: list[Bar]
    lights: list[Bar]
    by_unit: list[Rate]
    by_source: list[Rate]
    by_leader: list[Rate]
    returns: list[UnitReturns]
    trend: list[Month]
    overdue: Cell
    overdue_items: list[Item]
    load: list[UnitLoad]
    completed: Cell = field(default_factory=lambda: Cell(0, {}))
    completed_on_time: Cell = field(default_factory=lambda: Cell(0, {}))
    # When the counts were made, if changes logged since are not in them yet (figure_cache.py).
    as_of: dt.datetime | None = None

    @property
    def on_time_percent(self) -> float:
        total = self.completed.count
        return round(100 * self.completed_on_time.count / total, 1) if total else 0.0

    @staticmethod
    def ranked(rates: list[Rate]) -> list[Rate]:
        return [rate for rate in rates if rate.ranked]

    @staticmethod
    def unranked(rates: list[Rate]) -> list[Rate]:
        return [rate for rate in rates if not rate.ranked]

    @property
    def ranked_units(self) -> list[Rate]:
        return self.ranked(self.by_unit)

    @property
    def unranked_units(self) -> list[Rate]:
        return self.unranked(self.by_unit)

    @property
    def ranked_sources(self) -> list[Rate]:
        return self.ranked(self.by_source)

    @property
    def unranked_sources(self) -> list[Rate]:
        return self.unranked(self.by_source)

    @property
    def ranked_leaders(self) -> list[Rate]:
        return self.ranked(self.by_leader)

    @property
    def unranked_leaders(self) -> list[Rate]:
        return self.unranked(self.by_leader)


# Counts by state and light ------------------------------------------------------------------


def state_and_light(rows: Iterable[Row], base: dict[str, Any]) -> tuple[list[Bar], list[Bar]]:
    """Items by state and open items by light, from the (state, light, count) rows.

    The live light (items/lights.py), the rule the 台账's `light` filter applies — not
    Item.swept_light, which can lag a day between sweeps while a number must open exactly the rows
    it counted. Red is open and past due: the same rows as 「逾期未办结」."""
    by_state: dict[str, int] = {}
    by_light: dict[str, int] = {}
    for state, light, n in rows:
        by_state[state] = by_state.get(state, 0) + n
        if light:
            by_light[light] = by_light.get(light, 0) + n
    states = [
        Bar(state.value, str(state.label), Cell(by_state.get(state, 0), base, (("state", state),)))
        for state in ItemState
    ]
    lights = [
        Bar(
            light.value,
            str(light.label),
            Cell(by_light.get(light, 0), _url(base, state="open", light=light.value)),
        )
        for light in Light
    ]
    return states, lights


def _url(base: dict[str, Any], **params: Any) -> dict[str, Any]:
    return {**base, **params}


# On-time completion rates ---------------------------------------------------------------------


def _rates(
    rows: Iterable[tuple[Any, Any, int, int]],
    param: str,
    base: dict[str, Any],
    min_sample: int,
) -> list[Rate]:
    """(key, label, total, on_time) rows → ranked first by rate, then those below the sample."""

    def order(row: tuple[Any, Any, int, int]) -> tuple[bool, float, int, str]:
        _, label, total, on_time = row
        return (total < min_sample, -_percent(on_time, total), -total, str(label))

    return [
        Rate(
            str(key),
            str(label),
            Cell(total, base, ((param, key),)),
            Cell(on_time, base, ((param, key), ("late", "0"))),
            total >= min_sample,
        )
        for key, label, total, on_time in sorted(rows, key=order)
    ]


# The completion figures' rows are (key, completed, completed on time), over the items completed
# in the period (the 台账's state=closed with completed_from/completed_to).


def completion_by_unit(rows: Iterable[Row], base: dict[str, Any], rules: Rules) -> list[Rate]:
    """Rows (unit, name, completed, on time)."""
    return _rates(rows, "lead_unit", base, rules.min_sample)


def completion_by_source(rows: Iterable[Row], base: dict[str, Any], rules: Rules) -> list[Rate]:
    labels = dict(ItemSource.choices)
    labelled = [(key, labels.get(key, key), t, o) for key, t, o in rows]
    return _rates(labelled, "source", base, rules.min_sample)


def completion_by_leader(rows: Iterable[Row], base: dict[str, Any], rules: Rules) -> list[Rate]:
    return _rates(((key, key, t, o) for key, t, o in rows), "leader", base, rules.min_sample)


# Per unit: returns, extensions and reporting load ---------------------------------------------


def per_unit(
    figures: Figures, base: dict[str, Any], rules: Rules
) -> tuple[list[UnitReturns], list[UnitLoad]]:
    """(returns and extensions, reporting load) per lead unit of the items registered in the
    period: returned and extended items (all states), open items by cadence (REPORTS_PER_MONTH's
    order).

    Extension requests count whatever their outcome; progress reports count by the date they
    answered (ProgressReport.period_due), over the items the person may view."""
    requests: dict[int, int] = dict(figures["requests"])
    sent: dict[int, int] = dict(figures["reports"])
    returns, loads = [], []
    for unit, name, returned, n_returns, extended, n_ext, n_open, *cadence in figures["units"]:
        if returned or extended:
            returns.append(
                UnitReturns(
                    unit,
                    name,
                    Cell(returned, base, (("lead_unit", unit), ("returned", "1"))),
                    n_returns or 0,
                    Cell(extended, base, (("lead_unit", unit), ("extended", "1"))),
                    n_ext or 0,
                    requests.get(unit, 0),
                )
            )
        if n_open:
            per_month = sum(k * f for k, f in zip(cadence, REPORTS_PER_MONTH.values(), strict=True))
            loads.append(
                UnitLoad(
                    unit,
                    name,
                    Cell(n_open, base, (("state", "open"), ("lead_unit", unit))),
                    sum(cadence),
                    round(per_month, 1),
                    sent.get(unit, 0),
                    per_month > rules.report_load_warn,
                )
            )
    returns.sort(key=lambda r: (-r.returns - r.extensions, r.name))
    loads.sort(key=lambda load: (-load.per_month, -load.open_items.count, load.name))
    return returns, loads


# Monthly trend --------------------------------------------------------------------------------


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(first: dt.date) -> dt.date:
    return _month_start(first, -1) - dt.timedelta(days=1)


def trend_months(end: dt.date) -> list[dt.date]:
    """The first days of the twelve months ending with `end`'s month, and of the month after."""
    return [_month_start(end, back) for back in range(TREND_MONTHS - 1, -2, -1)]


def trend(figures: Figures, months: Sequence[dt.date]) -> list[Month]:
    """Items registered and completed (any state, as the 台账's completed_from/to) per local
    month; the rows are (index into `months`, count)."""
    created: dict[int, int] = dict(figures["created"])
    completed: dict[int, int] = dict(figures["completed"])
    result = []
    for index, month in enumerate(months[:TREND_MONTHS]):
        span = Period(month, _month_end(month))
        result.append(
            Month(
                month,
                Cell(created.get(index, 0), span.params("created")),
                Cell(completed.get(index, 0), span.params("completed")),
            )
        )
    return result


# The whole page -----------------------------------------------------------------------------


def window_for(period: Period) -> Window:
    months = trend_months(period.end or clock.today())
    return Window(period.start, period.end, months, [str(c) for c in REPORTS_PER_MONTH])


def build(user: Any, period: Period, *, fresh: bool = False) -> Dashboard:
    """The page's figures; `fresh` counts now what the kept counts may have missed."""
    rules = current_rules()
    window = window_for(period)
    counted = figures_for(user, window, rules.overdue_top, fresh=fresh)
    figures, months = counted.figures, window.months
    base = period.params("created")
    # 「已办结」 is the 台账's state=closed (办结 and 归档) completed in the period.
    done_base = {"state": "closed", **period.params("completed")}
    states, lights = state_and_light(figures["lights"], base)
    by_source = completion_by_source(figures["done_sources"], done_base, rules)
    returns, load = per_unit(figures, base, rules)
    red = next(bar.cell.count for bar in lights if bar.key == Light.RED)
    return Dashboard(
        period=period,
        rules=rules,
        total=Cell(sum(bar.cell.count for bar in states), base),
        states=states,
        lights=lights,
        by_unit=completion_by_unit(figures["done_units"], done_base, rules),
        by_source=by_source,
        by_leader=completion_by_leader(figures["done_leaders"], done_base, rules),
        returns=returns,
        trend=trend(figures, months),
        overdue=Cell(red, _url(base, due="overdue", sort="due")),
        overdue_items=counted.overdue,
        load=load,
        # Every completed item has a source: the totals are the sources' sums.
        completed=Cell(sum(r.total.count for r in by_source), done_base),
        completed_on_time=Cell(sum(r.on_time.count for r in by_source), _url(done_base, late="0")),
        as_of=counted.as_of,
    )


def period_label(period: Period) -> str:
    if period.start is None and period.end is None:
        return _("全部")
    return f"{period.start or '…'} — {period.end or '…'}"
