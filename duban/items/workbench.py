"""The items panel of 工作台: the person's to-dos by role (issue 4 item 10).

Each list is `Item.objects.restrict(user, <the action it leads to>)`, so a to-do is shown only to
someone who may act on it; a list whose action none of the person's roles has costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.workbench import Panel, register
from duban.items.access import item_q
from duban.items.models import Item, ItemState, ItemUnit
from duban.org.access import can, scope_q

FIRST = 5  # links shown per list; the count says how many more


@dataclass
class Todo:
    key: str
    title: Any
    count: int
    items: list[Item]
    url: str  # the 台账 filtered to the same list, where one exists


def _to_sign(user: Any) -> QuerySet[Item]:
    """Assigned to a unit of mine (lead or co) that has not signed for it yet."""
    rows = ItemUnit.objects.filter(
        declined_at__isnull=True,
        acknowledged_at__isnull=True,
        item__state__in=[ItemState.ASSIGNED, ItemState.IN_PROGRESS],
    ).filter(scope_q(user, "acknowledge", "item", path_field="unit__path"))
    return Item.objects.restrict(user, "view").filter(pk__in=rows.values("item_id"))


def _queries(user: Any) -> list[tuple[str, Any, QuerySet[Item], str]]:
    today = timezone.localdate()
    found = []
    if can(user, "item", "acknowledge"):
        found.append(("sign", _("待签收"), _to_sign(user), ""))
    if can(user, "item", "accept"):
        submitted = Item.objects.filter(item_q(user, "accept")).filter(state=ItemState.SUBMITTED)
        found.append(("review", _("待审核"), submitted, "?state=submitted"))
    if can(user, "item", "approve"):
        pending = Item.objects.filter(item_q(user, "approve")).filter(
            state=ItemState.PENDING_APPROVAL
        )
        found.append(("approve", _("待审定"), pending, "?state=pending_approval"))
    overdue = Item.objects.restrict(user, "view").open().filter(due_date__lt=today)
    found.append(("overdue", _("辖区内逾期事项"), overdue, "?due=overdue&sort=due"))
    return found


@register
def item_todos(request: HttpRequest) -> Panel | None:
    if not request.user.is_authenticated:
        return None
    todos = []
    for key, title, items, query in _queries(request.user):
        first = list(items.order_by("due_date", "id").select_related("lead_unit")[:FIRST])
        count = len(first) if len(first) < FIRST else items.count()
        todos.append(Todo(key, title, count, first, query))
    return Panel("items/panel_todos.html", {"todos": todos}, order=1)
