"""Linked items (一次填报、多方复用, issue 4 item 8; DESIGN principle 6).

The same real task often arrives from several sources at once: a leader's 批示, a meeting decision
and a 政府工作报告 target. The office links those items into one group, and a progress report on
any of them answers every item of the group (reporting.report_progress, reporting.reports_for),
so the unit fills the form once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items.access import may_see_secret
from duban.items.actions import _claim, atomic
from duban.items.models import Item, LinkGroup
from duban.org.access import require
from duban.org.models import User
from duban.org.validation import fail


def _may_link(actor: User | None, item: Item) -> None:
    """The registering office links its own open items; a 涉密 item only by the people on it."""
    require(actor, "item", "change", item.owner_unit)
    if actor is not None and not may_see_secret(actor, item):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    if not item.is_open:
        raise fail(
            "items",
            _("事项「%(title)s」已办结或撤销,不能关联。") % {"title": item.title},
        )


def _merge(group: LinkGroup, others: set[int]) -> list[int]:
    """Items of other groups among the chosen ones' groups join `group`; empty groups go."""
    rows = Item.objects.filter(link_group_id__in=others)
    moved = list(rows.values_list("pk", flat=True))
    Item.objects.filter(pk__in=moved).update(
        link_group=group, version=F("version") + 1, updated_at=clock.now()
    )
    LinkGroup.objects.filter(pk__in=others).delete()
    return moved


@atomic
def link_items(items: Iterable[Item], *, actor: User | None) -> LinkGroup:
    """Link two or more items; items already linked bring their whole group along."""
    chosen = list({item.pk: item for item in items}.values())
    if len(chosen) < 2:
        raise fail("items", _("请至少选择两个事项进行关联。"))
    for item in chosen:
        _may_link(actor, item)
    groups = {item.link_group_id for item in chosen if item.link_group_id is not None}
    group = LinkGroup.objects.filter(pk__in=groups).order_by("pk").first()
    if group is None:
        group = LinkGroup.objects.create(created_by=actor)
    for item in chosen:  # claim first: a concurrent change to any chosen item refuses the link
        _claim(item, link_group=group)
    moved = _merge(group, groups - {group.pk})
    members = sorted({item.pk for item in chosen} | set(moved))
    for item in chosen:
        details = {"group": group.pk, "items": members}
        record(
            EventType.ITEMS_LINKED, actor=actor, unit=item.owner_unit, target=item, details=details
        )
    return group


@atomic
def unlink_item(item: Item, *, actor: User | None) -> Item:
    """Take one item out of its group; a group left with one item is dissolved."""
    require(actor, "item", "change", item.owner_unit)
    if actor is not None and not may_see_secret(actor, item):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    group_id = item.link_group_id
    if group_id is None:
        raise fail("items", _("事项「%(title)s」没有关联其他事项。") % {"title": item.title})
    _claim(item, link_group=None)
    rest = Item.objects.filter(link_group_id=group_id)
    if rest.count() < 2:
        rest.update(link_group=None, version=F("version") + 1, updated_at=clock.now())
        LinkGroup.objects.filter(pk=group_id).delete()
    details: dict[str, Any] = {"group": group_id}
    record(EventType.ITEM_UNLINKED, actor=actor, unit=item.owner_unit, target=item, details=details)
    return item


def linked_items(item: Item) -> QuerySet[Item]:
    """The other items of the item's group (empty when it is not linked)."""
    if item.link_group_id is None:
        return Item.objects.none()
    return Item.objects.filter(link_group_id=item.link_group_id).exclude(pk=item.pk)
