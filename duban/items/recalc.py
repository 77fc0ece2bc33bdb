"""Calendar follow-through (issue 4 item 13): a loaded year settles the 暂定 deadlines in it.

A year without the State Council's arrangement is provisional, and every deadline counted through
it is flagged 暂定 (shared/DESIGN.md 「Calendar and deadlines」). When an administrator loads the
year, `workdays.year_loading.apply_year` calls `recalculate_provisional` in its own transaction:
each open item whose provisional period touches the year is counted again from its stored rule
and start; an explicit time limit (or a granted extension) keeps its date and only loses the flag.
Each changed item gets one audit event with the old and new due date, which the units see on their
工作台 (items/recalc_panel.py). Principle 5: this is the explicit, audited recalculation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from duban.audit.log import record
from duban.audit.types import EventType
from duban.items.actions import _claim
from duban.items.models import Item
from duban.org.access import require
from duban.workdays.arrays import Calendar
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import Deadline, DeadlineError
from duban.workdays.models import NATIONAL, Region
from duban.workdays.rules import rule_deadline


@dataclass(frozen=True)
class Change:
    item: Item
    old_due: dt.date
    new: Deadline


def affected(year: int) -> Any:
    """Open items whose provisional counting period [start, due] overlaps `year`."""
    return (
        Item.objects.open()
        .filter(provisional=True, due_date__isnull=False, deadline_start__isnull=False)
        .filter(due_date__gte=dt.date(year, 1, 1), deadline_start__lte=dt.date(year, 12, 31))
        .select_related("deadline_rule", "owner_unit")
        .order_by("pk")
    )


def _explicit(item: Item) -> bool:
    # A date someone fixed (a 完成时限 at assignment, or a granted extension) is not recounted.
    return item.time_limit is not None or item.deadline_rule is None or item.extension_count > 0


def recount(item: Item, cal: Calendar) -> Deadline:
    """The item's deadline under `cal`: the rule counted again, or the fixed date re-flagged."""
    assert item.due_date is not None and item.deadline_start is not None  # noqa: S101  (filtered)
    if _explicit(item) or item.deadline_rule is None:
        provisional = cal.is_provisional(item.deadline_start + dt.timedelta(days=1), item.due_date)
        return Deadline(item.due_date, provisional, cal.version, item.deadline_explanation)
    try:
        return rule_deadline(item.deadline_rule, cal, item.deadline_start)
    except DeadlineError:
        # A rule edited since assignment may no longer count from this start: keep the date.
        return Deadline(item.due_date, item.provisional, cal.version, item.deadline_explanation)


def _apply(change: Change, year: int, actor: Any) -> None:
    item, new = change.item, change.new
    _claim(
        item,
        due_date=new.due,
        provisional=new.provisional,
        calendar_version=new.calendar_version,
        deadline_explanation=new.explanation,
    )
    record(
        EventType.ITEM_DEADLINE_RECALCULATED,
        actor=actor,
        unit=item.owner_unit,
        target=item,
        details={
            "year": year,
            "old_due": change.old_due.isoformat(),
            "new_due": new.due.isoformat(),
            "provisional": new.provisional,
            "calendar_version": new.calendar_version,
        },
    )


@transaction.atomic
def recalculate_provisional(year: int, region: Region | str, actor: Any) -> list[Change]:
    """Recount the 暂定 deadlines touching `year`; one audit event per item that changed."""
    require(actor, "calendar", "manage")
    code = region if isinstance(region, str) else region.code
    # Items count on the national calendar (actions.compute_deadline); a regional overlay
    # loaded alone moves none of them.
    if code.strip().upper() != NATIONAL:
        return []
    cal = calendar_for()
    changes = []
    for item in affected(year):
        assert item.due_date is not None  # noqa: S101  (filtered)
        new = recount(item, cal)
        if (new.due, new.provisional) == (item.due_date, item.provisional):
            continue  # still provisional through another year, same date: nothing to tell
        change = Change(item, item.due_date, new)
        _apply(change, year, actor)
        changes.append(change)
    return changes
