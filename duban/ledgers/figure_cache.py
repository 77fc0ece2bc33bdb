"""The dashboards' counts, kept per scope so a leader's page does not read a million items a view.

A province head's scope holds every item; reading it costs seconds however the SQL is written
(dashboard_sql.py), while the page's goal is 300 ms (issue 6 item 6). Every figure is a sum over
items, so a person's figures split into two disjoint parts that add up:

* the shared part — the items their units reach, without the 涉密 ones — is the same for everyone
  holding the same scope, and is kept in a FigureSnapshot with the event log's head at the time;
* the personal part — 涉密 items they may open and items they reach only by name — is read live
  on every view (a handful of rows, through the indexes on who created an item or is named).

Only a scope whose count once took DUBAN_FIGURES_EXPENSIVE_MS (the page's goal) or longer has a
snapshot: a county's figures are simply counted on every view, in one statement. A snapshot is
used as it is when no event has been logged since (every change to an item is an action writing
an event, so the counts are exact) on the same day (the lights turn at midnight); after changes
it is still shown while younger than DUBAN_FIGURES_MAX_AGE, with the time it was counted, and
then counted again. The worker counts again the snapshots people look at before they reach that
age (tasks.refresh_figures), so a leader rarely waits.

Snapshots are derived data, not domain state: dropping the table loses nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from duban.audit.marks import head_seq
from duban.core import clock
from duban.items.access import Scope, extent, scope_of, shared_scope_q
from duban.items.models import Item, ItemQuerySet
from duban.ledgers.dashboard_rules import current_rules
from duban.ledgers.dashboard_sql import Figures, Row, Window, branches, read
from duban.ledgers.filters import filtered
from duban.ledgers.models import FigureSnapshot

# Snapshots nobody has looked at for this long are dropped by the worker.
KEEP_UNVIEWED = dt.timedelta(days=7)


@dataclass(frozen=True)
class Counted:
    """A person's figures, their overdue list, and, when the shared part predates the latest
    change, when it was counted (None: exact as of now)."""

    figures: Figures
    overdue: list[Item]
    as_of: dt.datetime | None


def figures_for(user: Any, window: Window, top: int, *, fresh: bool = False) -> Counted:
    """The figures over what `user` may view, and the first `top` overdue items; `fresh`:
    counted now if the kept ones may miss a change (the person asked, 「重新统计」)."""
    scope = scope_of(user, "view")
    if scope is None:
        return Counted(Figures(list), [], None)
    snapshot = FigureSnapshot.objects.filter(key=snapshot_key(scope, window)).first()
    if snapshot is None:
        return _count_all(user, scope, window, top)
    shared, as_of = _shared(snapshot, user, scope, window, fresh)
    personal = Item.objects.restrict_personal(user, "view")
    figures = merge(window, _figures(shared), read(personal, window))
    ids = [
        *shared.overdue,
        *overdue_list(registered(personal, window), top).values_list("pk", flat=True),
    ]
    late = overdue_list(Item.objects.restrict(user, "view").filter(pk__in=ids), top)
    return Counted(figures, list(late), as_of)


def _count_all(user: Any, scope: Scope, window: Window, top: int) -> Counted:
    """Everything the person sees in one statement, as for a scope never found costly; when it
    was, the worker keeps the scope's shared part from now on."""
    started = time.perf_counter()
    items = Item.objects.restrict(user, "view")
    figures = read(items, window)
    if (time.perf_counter() - started) * 1000 >= settings.DUBAN_FIGURES_EXPENSIVE_MS:
        from duban.ledgers.tasks import count_figures  # the tasks module imports this one

        count_figures(asdict(scope), window_data(window))
    return Counted(figures, list(overdue_list(registered(items, window), top)), None)


def registered(items: ItemQuerySet, window: Window) -> ItemQuerySet:
    """The items registered in the window's period, by the 台账's own filter."""
    data = {"created_from": window.start, "created_to": window.end}
    return filtered(items, {key: day for key, day in data.items() if day})


def overdue_list(items: ItemQuerySet, top: int) -> ItemQuerySet:
    """The first `top` open items past their due date, the longest overdue first."""
    late = items.open().filter(due_date__lt=clock.today())
    return late.select_related("lead_unit").order_by("due_date", "pk")[:top]


def merge(window: Window, *parts: Figures) -> Figures:
    """The figures of disjoint sets of items added up, row by row on each figure's keys."""
    widths = {branch.figure: branch.width for branch in branches(window)}
    merged = Figures(list)
    for figure, width in widths.items():
        present = [part[figure] for part in parts if part.get(figure)]
        if len(present) == 1:
            merged[figure] = list(present[0])  # the usual case: nobody's personal items here
        elif present:
            merged[figure] = _summed((row for rows in present for row in rows), width)
    return merged


def _summed(rows: Iterable[Row], width: int) -> list[Row]:
    totals: dict[Row, list[Any]] = {}
    for row in rows:
        key, counts = tuple(row[:width]), row[width:]
        if key not in totals:
            totals[key] = list(counts)
            continue
        total = totals[key]
        for i, value in enumerate(counts):
            total[i] = (total[i] or 0) + (value or 0)
    return [(*key, *counts) for key, counts in totals.items()]


# Snapshots ----------------------------------------------------------------------------------


def _shared(
    snapshot: FigureSnapshot, user: Any, scope: Scope, window: Window, fresh: bool
) -> tuple[FigureSnapshot, dt.datetime | None]:
    """The shared part, and when it was counted if changes may be missing from it."""
    seq, today = head_seq(), clock.today()
    if snapshot.day == today:
        if snapshot.seq == seq:
            _viewed(snapshot)
            return snapshot, None
        if not fresh and clock.now() - snapshot.computed_at <= _max_age():
            _viewed(snapshot)
            return snapshot, snapshot.computed_at
    return count(scope, window, Item.objects.restrict_shared(user, "view"), seq), None


def _max_age() -> dt.timedelta:
    return dt.timedelta(seconds=settings.DUBAN_FIGURES_MAX_AGE)


def _viewed(snapshot: FigureSnapshot) -> None:
    """Mark it looked at, at most once an hour: the worker keeps warm what people read."""
    now = clock.now()
    if now - snapshot.viewed_at > dt.timedelta(hours=1):
        FigureSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=now)


def count(
    scope: Scope, window: Window, items: ItemQuerySet | None = None, seq: int | None = None
) -> FigureSnapshot:
    """Count the shared part of `scope` (`items`, when a person's restrict_shared is at hand)
    over `window` and keep it. `seq` is the log's head read before counting: a change committed
    while counting makes the snapshot look stale, never exact."""
    seq = head_seq() if seq is None else seq
    today = clock.today()
    started = time.perf_counter()
    shared = items if items is not None else Item.objects.filter(scope_shared_q(scope))
    figures = read(shared, window)
    top = overdue_list(registered(shared, window), current_rules().overdue_top)
    overdue = list(top.values_list("pk", flat=True))
    cost_ms = round((time.perf_counter() - started) * 1000)
    now = clock.now()
    snapshot, _ = FigureSnapshot.objects.update_or_create(
        key=snapshot_key(scope, window),
        defaults={
            "scope": asdict(scope),
            "window": window_data(window),
            "figures": figures,
            "overdue": overdue,
            "day": today,
            "seq": seq,
            "cost_ms": cost_ms,
            "computed_at": now,
            "viewed_at": now,
        },
    )
    return snapshot


def scope_shared_q(scope: Scope) -> Q:
    """`restrict_shared` for a scope rather than a person (the worker counts without one)."""
    return shared_scope_q(scope, *extent(scope))


def snapshot_key(scope: Scope, window: Window) -> str:
    text = json.dumps([asdict(scope), window_data(window)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def window_data(window: Window) -> dict[str, Any]:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "start": day(window.start),
        "end": day(window.end),
        "months": [month.isoformat() for month in window.months],
        "cadences": list(window.cadences),
    }


def window_from(data: dict[str, Any]) -> Window:
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    months = [dt.date.fromisoformat(month) for month in data["months"]]
    return Window(day(data["start"]), day(data["end"]), months, data["cadences"])


def scope_from(data: dict[str, Any]) -> Scope:
    return Scope(data["everything"], tuple(data["office_roots"]), tuple(data["handling_roots"]))


def _figures(snapshot: FigureSnapshot) -> Figures:
    figures = Figures(list)
    for figure, rows in snapshot.figures.items():
        figures[figure] = [tuple(row) for row in rows]
    return figures
