"""统计分析 and 领导驾驶舱 aggregates (issue 6 item 3): grouped SQL, one query per figure.

Every figure starts from `ledger_items(user, ...)` — the person's `restrict(user, "view")` scope
narrowed by the same filter values the 台账 reads — and carries the 台账 link whose rows it counted,
so a click on any number opens exactly those items. The query count does not grow with the items:
each block below is one GROUP BY, never a Python loop over items.

The period narrows items by registration date (`created_from/created_to`), except the on-time
completion rates, which are over the items completed in the period (`completed_from/completed_to`),
and the monthly trend, which covers the twelve months up to the period's end.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.items.lights import with_light
from duban.items.models import (
    OPEN_STATES,
    ExtensionRequest,
    Item,
    ItemQuerySet,
    ItemSource,
    ItemState,
    Light,
    ProgressReport,
    ReportCadence,
    ReportKind,
    ReportState,
)
from duban.ledgers.dashboard_rules import Rules, current_rules
from duban.ledgers.filters import ledger_items

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


@dataclass(frozen=True)
class Cell:
    """A counted number and the 台账 parameters that list exactly the items counted.

    The link is built when a page shows it: a province has thousands of units, and only the
    rows on screen need one."""

    count: int
    params: dict[str, Any]

    @property
    def url(self) -> str:
        return ledger_url(self.params)


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
        return round(100 * self.on_time.count / self.total.count, 1) if self.total.count else 0.0


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


def state_and_light(items: ItemQuerySet, base: dict[str, Any]) -> tuple[list[Bar], list[Bar]]:
    """Items by state and open items by light, from one GROUP BY (state, light).

    The live light (items/lights.py), the rule the 台账's `light` filter applies — not
    Item.swept_light, which can lag a day between sweeps while a number must open exactly the rows
    it counted. Red is open and past due: the same rows as 「逾期未办结」."""
    rows = with_light(items).order_by().values_list("state", "light").annotate(n=Count("pk"))
    by_state: dict[str, int] = {}
    by_light: dict[str, int] = {}
    for state, light, n in rows:
        by_state[state] = by_state.get(state, 0) + n
        if light:
            by_light[light] = by_light.get(light, 0) + n
    states = [
        Bar(state.value, str(state.label), Cell(by_state.get(state, 0), _url(base, state=state)))
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
    rates = [
        Rate(
            str(key),
            str(label),
            Cell(total, base | {param: key}),
            Cell(on_time, base | {param: key, "late": "0"}),
            total >= min_sample,
        )
        for key, label, total, on_time in rows
    ]
    return sorted(rates, key=lambda r: (not r.ranked, -r.percent, -r.total.count, r.label))


def _completion(items: ItemQuerySet, *group: str) -> QuerySet[Any]:
    return (
        items.order_by()
        .values_list(*group)
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(completed_late=False)))
    )


def completion_by_unit(done: ItemQuerySet, base: dict[str, Any], rules: Rules) -> list[Rate]:
    rows = _completion(done.filter(lead_unit__isnull=False), "lead_unit", "lead_unit__name")
    return _rates(rows, "lead_unit", base, rules.min_sample)


def completion_by_source(done: ItemQuerySet, base: dict[str, Any], rules: Rules) -> list[Rate]:
    labels = dict(ItemSource.choices)
    rows = [(key, labels.get(key, key), t, o) for key, t, o in _completion(done, "source")]
    return _rates(rows, "source", base, rules.min_sample)


def completion_by_leader(done: ItemQuerySet, base: dict[str, Any], rules: Rules) -> list[Rate]:
    rows = _completion(done.exclude(responsible_leader=""), "responsible_leader")
    return _rates(((key, key, t, o) for key, t, o in rows), "leader", base, rules.min_sample)


# Per unit: returns, extensions and reporting load ---------------------------------------------

REPORTS_DONE = (ReportState.SUBMITTED, ReportState.RETURNED)


def _unit_rows(items: ItemQuerySet) -> QuerySet[Any]:
    """One row per lead unit: returned and extended items (all states), open items by cadence."""
    is_open = Q(state__in=OPEN_STATES)
    cadence = {str(c): Count("pk", filter=is_open & Q(report_cadence=c)) for c in REPORTS_PER_MONTH}
    return (
        items.filter(lead_unit__isnull=False)
        .order_by()
        .values_list("lead_unit", "lead_unit__name")
        .annotate(
            n_returned=Count("pk", filter=Q(return_count__gt=0)),
            n_returns=Sum("return_count"),
            n_extended=Count("pk", filter=Q(extension_count__gt=0)),
            n_extensions=Sum("extension_count"),
            n_open=Count("pk", filter=is_open),
            **cadence,
        )
    )


def _per_unit(queryset: QuerySet[Any], unit: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(unit).annotate(n=Count("pk")))


def per_unit(
    items: ItemQuerySet, user: Any, period: Period, base: dict[str, Any], rules: Rules
) -> tuple[list[UnitReturns], list[UnitLoad]]:
    """(returns and extensions, reporting load) per lead unit.

    Extension requests count whatever their outcome; progress reports count by the date they
    answered (ProgressReport.period_due), over the items the person may view."""
    requests = _per_unit(
        ExtensionRequest.objects.filter(item__in=items.order_by().values("pk")), "unit"
    )
    reports = ProgressReport.objects.filter(
        kind=ReportKind.PROGRESS,
        state__in=REPORTS_DONE,
        item__in=ledger_items(user, {}).order_by().values("pk"),
    )
    if period.start:
        reports = reports.filter(period_due__gte=period.start)
    if period.end:
        reports = reports.filter(period_due__lte=period.end)
    sent = _per_unit(reports, "unit")
    returns, loads = [], []
    for unit, name, returned, n_returns, extended, n_ext, n_open, *cadence in _unit_rows(items):
        if returned or extended:
            returns.append(
                UnitReturns(
                    unit,
                    name,
                    Cell(returned, _url(base, lead_unit=unit, returned="1")),
                    n_returns or 0,
                    Cell(extended, _url(base, lead_unit=unit, extended="1")),
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
                    Cell(n_open, _url(base, state="open", lead_unit=unit)),
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


def _local_month(value: Any) -> dt.date | None:
    if value is None:
        return None
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def trend(user: Any, end: dt.date) -> list[Month]:
    """Items registered and completed per month, the twelve months ending with `end`'s month:
    one GROUP BY (month registered, month completed) over the items touching the window."""
    first = _month_start(end, TREND_MONTHS - 1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    stop = dt.datetime.combine(_month_start(end, -1), dt.time.min, tzinfo=tz)
    touching = Q(created_at__gte=start, created_at__lt=stop)
    touching |= Q(completed_at__gte=start, completed_at__lt=stop)
    rows = (
        ledger_items(user, {})
        .filter(touching)
        .order_by()
        .annotate(created=TruncMonth("created_at"), completed=TruncMonth("completed_at"))
        .values_list("created", "completed")
        .annotate(n=Count("pk"))
    )
    created: dict[dt.date, int] = {}
    completed: dict[dt.date, int] = {}
    for made, done, n in rows:
        for counts, month in ((created, _local_month(made)), (completed, _local_month(done))):
            if month is not None:
                counts[month] = counts.get(month, 0) + n
    months = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        month = _month_start(end, back)
        span = Period(month, _month_end(month))
        months.append(
            Month(
                month,
                Cell(created.get(month, 0), span.params("created")),
                Cell(completed.get(month, 0), span.params("completed")),
            )
        )
    return months


# Overdue list --------------------------------------------------------------------------------


def overdue_list(items: ItemQuerySet, top: int) -> list[Item]:
    late = items.open().filter(due_date__lt=timezone.localdate())
    return list(late.select_related("lead_unit").order_by("due_date", "pk")[:top])


# The whole page -----------------------------------------------------------------------------


def build(user: Any, period: Period) -> Dashboard:
    rules = current_rules()
    registered = ledger_items(user, period.data("created"))
    base = period.params("created")
    # 「已办结」 is the 台账's state=closed (办结 and 归档) completed in the period.
    done = ledger_items(user, {"state": "closed", **period.data("completed")})
    done_base = {"state": "closed", **period.params("completed")}
    states, lights = state_and_light(registered, base)
    by_source = completion_by_source(done, done_base, rules)
    returns, load = per_unit(registered, user, period, base, rules)
    red = next(bar.cell.count for bar in lights if bar.key == Light.RED)
    return Dashboard(
        period=period,
        rules=rules,
        total=Cell(sum(bar.cell.count for bar in states), base),
        states=states,
        lights=lights,
        by_unit=completion_by_unit(done, done_base, rules),
        by_source=by_source,
        by_leader=completion_by_leader(done, done_base, rules),
        returns=returns,
        trend=trend(user, period.end or timezone.localdate()),
        overdue=Cell(red, _url(base, due="overdue", sort="due")),
        overdue_items=overdue_list(registered, rules.overdue_top),
        load=load,
        # Every completed item has a source: the totals are the sources' sums.
        completed=Cell(sum(r.total.count for r in by_source), done_base),
        completed_on_time=Cell(sum(r.on_time.count for r in by_source), _url(done_base, late="0")),
    )


def period_label(period: Period) -> str:
    if period.start is None and period.end is None:
        return _("全部")
    return f"{period.start or '…'} — {period.end or '…'}"
