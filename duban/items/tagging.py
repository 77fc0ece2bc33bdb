"""标签 on items (items/models/tags.py): parsed from what a clerk types, set by the office that
registered the item, audited like every change.

A clerk types tags the way they write them: 民生实事、营商环境 or "民生实事, 营商环境". Separators
are the Chinese and Western comma, 顿号, semicolons and spaces; repeats are dropped, order kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.items.access import may_see_secret
from duban.items.models import TAG_MAX, TAGS_MAX, Item, ItemTag
from duban.org.access import require
from duban.org.models import User
from duban.org.validation import fail

SEPARATORS = re.compile(r"[,,、;;\s]+")


def parse_tags(value: str | Iterable[str]) -> list[str]:
    """The tags in `value` (text or a list), checked; a bad one is refused naming the field."""
    parts = SEPARATORS.split(value) if isinstance(value, str) else [str(v) for v in value]
    names = list(dict.fromkeys(part.strip() for part in parts if part and part.strip()))
    for name in names:
        if len(name) > TAG_MAX:
            raise fail(
                "tags",
                _("标签「%(name)s」超过 %(max)d 个字。") % {"name": name, "max": TAG_MAX},
            )
    if len(names) > TAGS_MAX:
        raise fail("tags", _("标签最多 %(max)d 个。") % {"max": TAGS_MAX})
    return names


def tags_of(item: Item) -> list[str]:
    return list(ItemTag.objects.filter(item=item).order_by("id").values_list("name", flat=True))


def write_tags(item: Item, names: list[str]) -> None:
    """Replace the item's tags by `names` (already parsed), in their order; the caller audits."""
    ItemTag.objects.filter(item=item).delete()
    ItemTag.objects.bulk_create([ItemTag(item=item, name=name) for name in names])


@transaction.atomic
def set_tags(item: Item, *, actor: User | None, tags: str | Iterable[str]) -> list[str]:
    """The office that registered the item sets its tags, at any stage of its life."""
    require(actor, "item", "change", item.owner_unit)
    if actor is not None and not may_see_secret(actor, item):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    names = parse_tags(tags)
    # The item's row is the lock: two people tagging at once write one after the other.
    Item.objects.select_for_update().filter(pk=item.pk).first()
    before = tags_of(item)
    if before == names:
        return names
    write_tags(item, names)
    record(
        EventType.ITEM_TAGGED,
        actor=actor,
        unit=item.owner_unit,
        target=item,
        details={"tags": ["、".join(before), "、".join(names)]},
    )
    return names
