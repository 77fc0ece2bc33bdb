"""How far an item has got: its 节点任务 and 分解事项 roll up into the parent (issue 4 item 2).

Seed 001 第二十条 splits a task into sub-items with 四定 and dated milestones; the parent is done
only when its parts are, so acceptance of a parent with an open child is refused here, and the
item page shows the parts done out of the parts there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items.access import check
from duban.items.actions import _claim, atomic
from duban.items.models import Item, ItemState, Milestone
from duban.org.access import can
from duban.org.models import User
from duban.org.validation import fail

DONE_STATES = (ItemState.COMPLETED, ItemState.ARCHIVED)
# A cancelled child no longer counts, neither as open nor as a part of the whole.
NOT_COUNTED = (ItemState.CANCELLED,)


@dataclass(frozen=True)
class Rollup:
    children: int
    children_done: int
    milestones: int
    milestones_done: int

    @property
    def parts(self) -> int:
        return self.children + self.milestones

    @property
    def done(self) -> int:
        return self.children_done + self.milestones_done

    @property
    def percent(self) -> int | None:
        """Parts done out of parts there are; None for an item not split at all."""
        return round(100 * self.done / self.parts) if self.parts else None


def rollup(item: Item) -> Rollup:
    """Two aggregate queries, whatever the number of parts."""
    children = (
        Item.objects.filter(parent=item)
        .exclude(state__in=NOT_COUNTED)
        .aggregate(total=Count("id"), done=Count("id", filter=Q(state__in=DONE_STATES)))
    )
    steps = item.milestones.aggregate(
        total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False))
    )
    return Rollup(children["total"], children["done"], steps["total"], steps["done"])


def open_children(item: Item) -> QuerySet[Item]:
    return (
        Item.objects.filter(parent=item)
        .exclude(state__in=DONE_STATES)
        .exclude(state__in=NOT_COUNTED)
    )


def refuse_open_children(item: Item) -> None:
    """A parent cannot be completed while a child is open (issue 4 item 2)."""
    titles = list(open_children(item).order_by("id").values_list("title", flat=True)[:3])
    if titles:
        count = open_children(item).count()
        raise fail(
            "children",
            _("尚有 %(count)d 项分解事项未办结(%(titles)s),不能审核通过。")
            % {"count": count, "titles": "、".join(titles) + ("等" if count > 3 else "")},
        )


def may_complete_milestone(user: User | None, item: Item) -> bool:
    """The lead unit's liaison as part of reporting, or the registering office."""
    if item.state != ItemState.IN_PROGRESS:
        return False
    if user is None or can(user, "item", "change", item.owner_unit):
        return True
    try:
        check(user, item, "report_progress")
    except (PermissionDenied, ValidationError):  # not the lead's liaison now: not offered
        return False
    return True


@atomic
def complete_milestone(item: Item, milestone: Milestone, *, actor: User | None) -> Milestone:
    """节点任务完成: dated now, audited, the item's version bumped like any other change."""
    if milestone.item_id != item.pk:
        raise fail("milestone", _("该节点任务不属于此事项。"))
    if milestone.done_at is not None:
        raise fail("milestone", _("节点任务「%(title)s」已完成。") % {"title": milestone.title})
    if not may_complete_milestone(actor, item):
        if item.state != ItemState.IN_PROGRESS:
            raise fail("state", _("事项办理中才能标记节点任务完成。"))
        raise fail("milestone", _("只有主办单位联络员或督查机构可以标记节点任务完成。"))
    _claim(item)
    milestone.done_at = clock.now()
    milestone.save(update_fields=["done_at"])
    late = clock.today() > milestone.due_date
    details = {"milestone": milestone.pk, "title": milestone.title, "late": late}
    record(
        EventType.ITEM_MILESTONE_DONE,
        actor=actor,
        unit=item.lead_unit or item.owner_unit,
        target=item,
        details=details,
    )
    return milestone
