"""The items panel of 工作台: the person's to-dos by role (issue 4 item 10).

Each list is `Item.objects.restrict(user, <the action it leads to>)`, so a to-do is shown only to
someone who may act on it; a list whose action none of the person's roles has costs no query.
Lists: 待签收, 待报送工作方案, 待报送进展, 被催办, 待审签, 待审核, 待审定, 待审批延期, 待跟踪办理,
and overdue items in the person's jurisdiction.

The unit-side lists start from their few rows (a unit's unsigned handling rows, its reminders)
and test each item on its own (`restrict_rows`), rather than reading the scope's union of ways in
first (a liaison's 工作台: 88 → 70 ms at a million items). A narrow scope's 待审核, 待审定 and
overdue lists come from its reach rows (`row_list`), on the 工作台 and on their own pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.workbench import Panel, register
from duban.items import reach
from duban.items.access import item_q, personal_only_q, rowwise_q, scope_extent, scope_of
from duban.items.models import (
    OPEN_STATES,
    ExtensionRequest,
    ExtensionState,
    Item,
    ItemState,
    ItemUnit,
    ProgressReport,
    ReachRow,
    ReportKind,
    ReportState,
    UnitRole,
)
from duban.items.reminding import open_reminders
from duban.items.reporting import follow_ups_due
from duban.ledgers.pages import OrderedRows, place
from duban.org.access import can, scope_q

FIRST = 5  # links shown per list; the count says how many more
# A list's badge counts up to here and then says "99+", as a phone's badges do; the full list
# (items/todo_views.py) gives the exact number. A province head's 工作台 counted 99,000 items due
# for follow-up, 33,000 to review and 8,000 to approve on every visit: 370 ms.
COUNT_CAP = 100
# A progress report shows up as a to-do this many days before its period is due, so the liaison
# can write it in time rather than learn of it when it is already late.
REPORT_AHEAD_DAYS = 3


@dataclass
class Todo:
    key: str
    title: Any
    count: int  # COUNT_CAP at most
    items: list[Item]
    url: str  # the 台账 filtered to the same list, where one exists

    @property
    def badge(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.count >= COUNT_CAP else str(self.count)


def _to_sign(user: Any) -> QuerySet[Item]:
    """Assigned to a unit of mine (lead or co) that has not signed for it yet."""
    rows = ItemUnit.objects.filter(
        declined_at__isnull=True,
        acknowledged_at__isnull=True,
        item__state__in=[ItemState.ASSIGNED, ItemState.IN_PROGRESS],
    ).filter(scope_q(user, "acknowledge", "item", path_field="unit__path"))
    return Item.objects.restrict_rows(user, "view").filter(pk__in=rows.values("item_id"))


def _to_report(user: Any, today: dt.date) -> QuerySet[Item]:
    """Items my unit leads whose next progress report is due soon or already late."""
    ahead = today + dt.timedelta(days=REPORT_AHEAD_DAYS)
    leading = ItemUnit.objects.filter(declined_at__isnull=True, role=UnitRole.LEAD).filter(
        scope_q(user, "report_progress", "item", path_field="unit__path")
    )
    return Item.objects.restrict_rows(user, "view").filter(
        pk__in=leading.values("item_id"),
        state=ItemState.IN_PROGRESS,
        next_report_due__lte=ahead,
    )


def _to_plan(user: Any) -> QuerySet[Item]:
    """Items my unit leads and has signed for but has sent no 工作方案 on (seed 004 第十一条)."""
    leading = ItemUnit.objects.filter(declined_at__isnull=True, role=UnitRole.LEAD).filter(
        scope_q(user, "submit_plan", "item", path_field="unit__path")
    )
    # NOT EXISTS, an anti-join: as NOT IN the province's 450,000 plans did not fit in memory to be
    # hashed, and each of a liaison's items was looked up in the whole list (4.4 s).
    planned = ProgressReport.objects.filter(kind=ReportKind.PLAN, item_id=OuterRef("pk"))
    return (
        Item.objects.restrict_rows(user, "view")
        .filter(pk__in=leading.values("item_id"), state=ItemState.IN_PROGRESS)
        .exclude(Exists(planned))
    )


def _to_sign_off(user: Any) -> QuerySet[Item]:
    """Final reports of my unit awaiting my 审签 (seed 004 第十二条)."""
    waiting = ProgressReport.objects.filter(
        kind=ReportKind.FINAL, state=ReportState.AWAITING_SIGNOFF, signed_off_at__isnull=True
    ).filter(scope_q(user, "sign_off", "item", path_field="unit__path"))
    return Item.objects.restrict_rows(user, "view").filter(
        state=ItemState.IN_PROGRESS, pk__in=waiting.values("item_id")
    )


def _extensions(user: Any) -> QuerySet[Item]:
    pending = ExtensionRequest.objects.filter(state=ExtensionState.PENDING)
    return Item.objects.filter(item_q(user, "decide_extension")).filter(
        pk__in=pending.values("item_id")
    )


def _reminded(user: Any) -> QuerySet[Item]:
    return Item.objects.restrict_rows(user, "view").filter(
        pk__in=open_reminders(user).values("item_id")
    )


def _unit_side(user: Any, today: dt.date) -> list[tuple[str, Any, QuerySet[Item], str]]:
    found = []
    if can(user, "item", "acknowledge"):
        found.append(("sign", _("待签收"), _to_sign(user), ""))
    if can(user, "item", "submit_plan"):
        found.append(("plan", _("待报送工作方案"), _to_plan(user), ""))
    if can(user, "item", "report_progress"):
        found.append(("report", _("待报送进展"), _to_report(user, today), ""))
    if can(user, "item_unit", "change"):
        found.append(("reminded", _("被催办事项"), _reminded(user), ""))
    if can(user, "item", "sign_off"):
        found.append(("sign_off", _("待审签办结报告"), _to_sign_off(user), ""))
    return found


def _row_lists(today: dt.date) -> dict[str, tuple[str, Q]]:
    """The lists whose condition reads only columns a reach row carries, under the same names
    as on Item (items/reach_rows.py): key → (the action whose scope holds them, the condition)."""
    return {
        "review": ("accept", Q(state=ItemState.SUBMITTED)),
        "approve": ("approve", Q(state=ItemState.PENDING_APPROVAL)),
        "overdue": ("view", Q(state__in=OPEN_STATES, due_date__lt=today)),
    }


def _queries(user: Any, today: dt.date) -> list[tuple[str, Any, QuerySet[Item], str]]:
    found = _unit_side(user, today)
    rows = _row_lists(today)

    def held(key: str) -> QuerySet[Item]:
        action, condition = rows[key]
        return Item.objects.filter(item_q(user, action)).filter(condition)

    if can(user, "item", "accept"):
        found.append(("review", _("待审核"), held("review"), "?state=submitted"))
    if can(user, "item", "approve"):
        found.append(("approve", _("待审定"), held("approve"), "?state=pending_approval"))
    if can(user, "item", "decide_extension"):
        found.append(("extension", _("待审批延期"), _extensions(user), ""))
    if can(user, "item", "reopen"):
        follow = follow_ups_due(today).filter(item_q(user, "reopen"))
        found.append(("follow_up", _("待跟踪办理"), follow, ""))
    found.append(("overdue", _("辖区内逾期事项"), held("overdue"), "?due=overdue&sort=due"))
    return found


def todo_lists(user: Any) -> dict[str, tuple[Any, QuerySet[Item], str]]:
    """The person's to-do lists by key: (title, items, the 台账 query showing the same, or "")."""
    lists = _queries(user, clock.today())
    return {key: (title, items, query) for key, title, items, query in lists}


def _first(items: QuerySet[Item]) -> tuple[list[Item], int]:
    """A list's first FIRST items by due date, and how many it holds up to COUNT_CAP."""
    first = list(items.order_by("due_date", "id")[:FIRST])
    # Unordered: any COUNT_CAP rows will do, not the newest (which walked the registration
    # index past 116,000 items without a follow-up due).
    return first, _count(items, len(first))


def _count(items: QuerySet[Any], got: int) -> int:
    return got if got < FIRST else items.order_by()[:COUNT_CAP].count()


def row_list(
    user: Any,
    key: str,
    today: dt.date,
    by_id: QuerySet[Item] | None = None,
    *,
    wide: bool = False,
) -> OrderedRows | None:
    """List `key` in due-date order from a scope's reach rows and the person's own items, its
    rows read by id from `by_id` (each tested on its own): one root's rows come sorted from one
    index. From the items, a district head's 待审核 read each of the district's 4,900 items to
    find the 157 submitted (25 ms a list, 250 ms for the 工作台). None where the rows do not serve:
    a list on other columns, SQLite, several roots, the whole tree, and a wide scope unless
    `wide`. The 工作台 counts a wide scope's lists only up to COUNT_CAP, from the items' own
    indexes; a list's page counts all of it, which the rows do sooner (a city's 逾期: 63 → 37 ms).
    """
    if key not in (lists := _row_lists(today)):
        return None
    action, condition = lists[key]
    scope = scope_of(user, action)
    if not reach.available() or scope is None:
        return None
    whole_tree, wide_scope = scope_extent(user, scope)
    if whole_tree or (wide_scope and not wide):
        return None
    if len(reach.scope_roots(scope)) != 1:  # one root: one row per item, no item twice
        return None
    shared = ReachRow.objects.filter(reach.rows_q(scope, False) & condition)
    shared = shared.order_by(F("due_date").asc(nulls_last=True), "item_id")
    # restrict_personal and restrict_rows by their filters, which take any action as item_q does.
    own = Item.objects.filter(personal_only_q(user, action)).filter(condition)
    own_pairs = list(own.values_list("due_date", "pk"))
    total = shared.count() + len(own_pairs)

    def ids_of(part: slice) -> list[int]:
        stop = part.stop if part.stop is not None else total
        pairs = [*shared.values_list("due_date", "item_id")[:stop], *own_pairs]
        pairs.sort(key=lambda pair: place(pair, reverse=False))
        return [pk for _due, pk in pairs[part]]

    rows = (Item.objects.all() if by_id is None else by_id).filter(rowwise_q(user, action))
    return OrderedRows(total, ids_of, rows, "reach rows")


@register
def item_todos(request: HttpRequest) -> Panel | None:
    if not request.user.is_authenticated:
        return None
    today = clock.today()
    todos = []
    for key, title, items, query in _queries(request.user, today):
        listed = row_list(request.user, key, today)
        if listed is None:
            first, count = _first(items)
        else:
            first, count = listed[:FIRST], min(len(listed), COUNT_CAP)
        todos.append(Todo(key, title, count, first, query))
    # The office's two ways to put an item in, one click from its home page.
    may_register = can(request.user, "item", "change")
    return Panel("items/panel_todos.html", {"todos": todos, "may_register": may_register}, order=1)
