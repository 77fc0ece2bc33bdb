"""The dashboards' counts from one SQL statement that reads the person's items once.

At a million items, reading the scoped items (`restrict(user, "view")` with its subqueries and the
live light) costs 0.5–1 s on PostgreSQL, and the page used to read them once per figure. Here the
scope is a MATERIALIZED CTE `s` holding only the columns the figures use; each figure is one
UNION ALL branch over it, its period a WHERE or FILTER with bound parameters. Every branch returns
the same columns, (figure, integer key, text key, text key, COUNTS counts), the unused ones NULL:
PostgreSQL needs one type per column of a UNION, so unit ids and text keys do not share a column.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from duban.items.lights import with_light
from duban.items.models import (
    OPEN_STATES,
    ExtensionRequest,
    Item,
    ItemSource,
    ProgressReport,
    ReportCadence,
    ReportKind,
    ReportState,
)
from duban.ledgers.filters import CLOSED_STATES
from duban.org.models import Unit

Sql = tuple[str, list[Any]]
Row = tuple[Any, ...]
# {figure: its rows}; a figure without rows reads as an empty list.
Figures = defaultdict[str, list[Row]]

# `light` last: its place in Django's SELECT does not then depend on how values_list orders an
# annotation among the fields, and the CTE's column list below names the columns in this order.
SCOPE_COLUMNS = (
    "id",
    "state",
    "source",
    "lead_unit_id",
    "responsible_leader",
    "created_at",
    "completed_at",
    "completed_late",
    "return_count",
    "extension_count",
    "report_cadence",
    "light",
)
COUNTS = 8  # the widest branch: a unit's returns, extensions, open items and three cadences
NO_CADENCE, WORK_REPORT = str(ReportCadence.NONE), str(ItemSource.WORK_REPORT)
REPORTS_DONE = (ReportState.SUBMITTED, ReportState.RETURNED)


@dataclass(frozen=True)
class Window:
    """What the counts cover: the period (inclusive days, None for an open end), the trend's
    month starts followed by the start of the month after, and the cadences counted per unit."""

    start: dt.date | None
    end: dt.date | None
    months: Sequence[dt.date]
    cadences: Sequence[str]


@dataclass(frozen=True)
class Branch:
    """One figure: SELECT figure, keys, counts FROM … (`rest`), padded to the common columns."""

    figure: str
    keys: tuple[str | None, str | None, str | None]  # (integer, text, text)
    counts: Sequence[Sql]
    rest: Sql

    def sql(self) -> Sql:
        keys = [key or "NULL" for key in self.keys]
        counts = [sql for sql, _ in self.counts] + ["NULL"] * (COUNTS - len(self.counts))
        # The figure is one of this module's names, never a value from a request.
        select = ", ".join([f"'{self.figure}'", *keys, *counts])
        params = [*chain.from_iterable(p for _, p in self.counts), *self.rest[1]]
        return f"SELECT {select} {self.rest[0]}", params

    @property
    def width(self) -> int:
        """How many of the trimmed row's leading values are keys."""
        return sum(1 for key in self.keys if key)

    def trim(self, values: Sequence[Any]) -> Row:
        """The row without the padding: the keys this branch has, then its counts."""
        keys = [value for key, value in zip(self.keys, values, strict=False) if key]
        return (*keys, *values[3 : 3 + len(self.counts)])


def read(items: QuerySet[Item], window: Window) -> Figures:
    """{figure: rows} over `items` (a restricted queryset) for the figures of `branches`, from
    one statement."""
    try:
        scope, scope_params = _scope(items)
    except EmptyResultSet:  # a person who may view nothing: nothing to read
        return defaultdict(list)
    figures = branches(window)
    parts = [branch.sql() for branch in figures]
    columns = ", ".join(SCOPE_COLUMNS)
    sql = f"WITH s ({columns}) AS MATERIALIZED ({scope}) " + " UNION ALL ".join(
        part for part, _ in parts
    )
    params = [*scope_params, *chain.from_iterable(p for _, p in parts)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_name = {branch.figure: branch for branch in figures}
    result: Figures = defaultdict(list)
    for figure, *values in rows:
        result[figure].append(by_name[figure].trim(values))
    return result


def _scope(items: QuerySet[Item]) -> Sql:
    columns = with_light(items).order_by().values_list(*SCOPE_COLUMNS)
    sql, params = columns.query.sql_with_params()
    return sql, list(params)


def branches(window: Window) -> list[Branch]:
    registered = _span("s.created_at", window.start, window.end)
    return [
        _lights(registered),
        _units(registered, window.cadences),
        *_completion(window),
        _requests(registered),
        _reports(window),
        _trend("created", "s.created_at", window.months),
        _trend("completed", "s.completed_at", window.months),
    ]


# Conditions ---------------------------------------------------------------------------------


def _midnight(day: dt.date) -> Any:
    """A local midnight as the 台账's filters compare it (filters._date_q), adapted for the
    database: SQLite stores UTC text, which an aware datetime would not compare with."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return connection.ops.adapt_datetimefield_value(moment)


def _span(column: str, start: dt.date | None, end: dt.date | None) -> Sql:
    """Inclusive days as a half-open range of timestamps; "1 = 1" for 「全部」."""
    conditions, params = [], []
    if start:
        conditions.append(f"{column} >= %s")
        params.append(_midnight(start))
    if end:
        conditions.append(f"{column} < %s")
        params.append(_midnight(end + dt.timedelta(days=1)))
    return " AND ".join(conditions) or "1 = 1", params


def _in(column: str, values: Iterable[str]) -> Sql:
    listed = [str(value) for value in values]
    return f"{column} IN ({', '.join(['%s'] * len(listed))})", listed


def _and(*conditions: Sql) -> Sql:
    return " AND ".join(f"({sql})" for sql, _ in conditions), [
        *chain.from_iterable(p for _, p in conditions)
    ]


def _count(condition: Sql | None = None) -> Sql:
    if condition is None:
        return "COUNT(*)", []
    return f"COUNT(*) FILTER (WHERE {condition[0]})", condition[1]


def _grouped(condition: Sql, *columns: str) -> Sql:
    """FROM s WHERE `condition` GROUP BY `columns` of s."""
    group = ", ".join(f"s.{column}" for column in columns)
    return f"FROM s WHERE {condition[0]} GROUP BY {group}", condition[1]


# Figures ------------------------------------------------------------------------------------


def _per_unit(figure: str, counts: Sequence[Sql], condition: Sql) -> Branch:
    """Counts per lead unit, with its name: the groups are joined to the units, so only the units
    counted are read, and in this same statement (a province's page names 3,000 of them)."""
    named = ", ".join(f"{sql} AS n{i}" for i, (sql, _) in enumerate(counts))
    grouped = _grouped(_and(condition, ("s.lead_unit_id IS NOT NULL", [])), "lead_unit_id")
    units = connection.ops.quote_name(Unit._meta.db_table)
    rest = (
        f"FROM (SELECT s.lead_unit_id AS unit, {named} {grouped[0]}) g "
        f"JOIN {units} u ON u.id = g.unit",
        [*chain.from_iterable(p for _, p in counts), *grouped[1]],
    )
    totals: list[Sql] = [(f"g.n{i}", []) for i in range(len(counts))]
    return Branch(figure, ("g.unit", "u.name", None), totals, rest)


def _lights(registered: Sql) -> Branch:
    """(state, light): items by state, open items by light."""
    rest = _grouped(registered, "state", "light")
    return Branch("lights", (None, "s.state", "s.light"), [_count()], rest)


def _units(registered: Sql, cadences: Sequence[str]) -> Branch:
    """Per lead unit (id, name): returned items, returns, extended items, extensions, open items,
    and open items by each reporting cadence."""
    is_open = _in("s.state", OPEN_STATES)
    counts = [
        _count(("s.return_count > 0", [])),
        ("SUM(s.return_count)", []),
        _count(("s.extension_count > 0", [])),
        ("SUM(s.extension_count)", []),
        _count(is_open),
        *(_count(_and(is_open, _cadence_is(c))) for c in cadences),
    ]
    return _per_unit("units", counts, registered)


def _cadence_is(cadence: str) -> Sql:
    """Items reporting at `cadence`, as items/reporting.cadence_of has it: an item of the
    政府工作报告 with no cadence of its own reports quarterly."""
    if cadence != ReportCadence.QUARTERLY:
        return ("s.report_cadence = %s", [cadence])
    unset = "s.report_cadence = %s AND s.source = %s"
    return (f"(s.report_cadence = %s OR ({unset}))", [cadence, NO_CADENCE, WORK_REPORT])


def _completion(window: Window) -> list[Branch]:
    """Completed in the period (the 台账's state=closed), in all and on time (late="0": a NULL
    completed_late is neither), per lead unit, source and responsible leader."""
    done = _and(_in("s.state", CLOSED_STATES), _span("s.completed_at", window.start, window.end))
    counts = [_count(), _count(("NOT s.completed_late", []))]
    leader = _and(done, ("s.responsible_leader <> %s", [""]))
    return [
        _per_unit("done_units", counts, done),
        Branch("done_sources", (None, "s.source", None), counts, _grouped(done, "source")),
        Branch(
            "done_leaders",
            (None, "s.responsible_leader", None),
            counts,
            _grouped(leader, "responsible_leader"),
        ),
    ]


def _requests(registered: Sql) -> Branch:
    """Extension requests per requesting unit, whatever their outcome, on the items counted."""
    table = connection.ops.quote_name(ExtensionRequest._meta.db_table)
    return Branch("requests", ("r.unit_id", None, None), [_count()], _on_scope(table, registered))


def _reports(window: Window) -> Branch:
    """Progress reports sent per unit, by the date they answered, on every item in scope."""
    table = connection.ops.quote_name(ProgressReport._meta.db_table)
    conditions = [("r.kind = %s", [str(ReportKind.PROGRESS)]), _in("r.state", REPORTS_DONE)]
    if window.start:
        conditions.append(("r.period_due >= %s", [_day(window.start)]))
    if window.end:
        conditions.append(("r.period_due <= %s", [_day(window.end)]))
    return Branch(
        "reports", ("r.unit_id", None, None), [_count()], _on_scope(table, _and(*conditions))
    )


def _on_scope(table: str, condition: Sql) -> Sql:
    """FROM `table` r, its rows on the items of s, per r.unit_id.

    A join rather than `item_id IN (SELECT id FROM s)`: s.id is unique, so the counts are the
    same, but PostgreSQL has no statistics on a CTE and guessed 200 distinct ids for the IN,
    looking the reports up once per item (0.7 s at 100,000 items) instead of hashing them."""
    return (
        f"FROM {table} r JOIN s ON s.id = r.item_id WHERE {condition[0]} GROUP BY r.unit_id",
        condition[1],
    )


def _day(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _trend(figure: str, column: str, months: Sequence[dt.date]) -> Branch:
    """Items per local month of `column`: the month's index among `months` (a CASE over the
    local month starts, the 台账's own boundaries, rather than the database's time zones)."""
    bounds = [_midnight(month) for month in months]
    whens = " ".join(f"WHEN {column} < %s THEN {i}" for i in range(len(bounds) - 2))
    inner = (
        f"SELECT CASE {whens} ELSE {len(bounds) - 2} END AS bucket "  # noqa: S608
        f"FROM s WHERE {column} >= %s AND {column} < %s"
    )
    params = [*bounds[1:-1], bounds[0], bounds[-1]]
    rest = (f"FROM ({inner}) t GROUP BY t.bucket", params)
    return Branch(figure, ("t.bucket", None, None), [_count()], rest)
