"""The 工作台 panel that tells units their 暂定 deadlines were recalculated (issue 4 item 13).

No notice table: the audit events of the recalculation are the record, and each person sees those
of the items `restrict` lets them see, for 30 days after the year was loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core import clock
from duban.core.workbench import Panel, register
from duban.items.models import Item

DAYS_SHOWN = 30
MAX_ROWS = 20


@dataclass(frozen=True)
class Row:
    item: Item
    old_due: str
    new_due: str
    provisional: bool
    url: str | None

    @property
    def moved(self) -> bool:
        return self.old_due != self.new_due


def _url(item: Item) -> str | None:
    try:
        return reverse("items:detail", args=[item.pk])
    except NoReverseMatch:  # the item pages may not be installed
        return None


def rows_for(user: object, now: dt.datetime | None = None) -> list[Row]:
    """The latest recalculation of each item this person may see, newest first."""
    since = (now or clock.now()) - dt.timedelta(days=DAYS_SHOWN)
    events = Event.objects.filter(
        type=EventType.ITEM_DEADLINE_RECALCULATED,
        created_at__gte=since,
        target_model=Item._meta.label_lower,
    ).order_by("-seq")
    latest: dict[int, Event] = {}
    for event in events[:2000]:  # a year's load touches a bounded set of items
        latest.setdefault(int(event.target_id), event)
    items = Item.objects.restrict(user).open().filter(pk__in=list(latest))
    found = {item.pk: item for item in items}
    rows = []
    for pk, event in latest.items():
        if pk in found:
            details = event.details
            rows.append(
                Row(
                    found[pk],
                    details.get("old_due", ""),
                    details.get("new_due", ""),
                    bool(details.get("provisional")),
                    _url(found[pk]),
                )
            )
    return rows[:MAX_ROWS]


@register
def recalculated_deadlines(request: HttpRequest) -> Panel | None:
    if not request.user.is_authenticated:
        return None
    rows = rows_for(request.user)
    if not rows:
        return None
    return Panel("items/panel_recalc.html", {"rows": rows, "days": DAYS_SHOWN}, order=8)
