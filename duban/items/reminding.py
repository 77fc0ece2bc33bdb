"""催办 by hand (seed 004 第七条(五) 催办督办): the office reminds the units handling an item.

第七条(五): 督查机构要及时组织有关人员跟踪承办单位落实情况……加强催办督办,确保限时办结. The office
writes what it wants in a message and sends it to every active handling unit (lead and co) or to
one of them; the item stays in its state. Each reminded unit's reminder is answered when that unit
next reports on the item (reporting.py calls `answer`), so 工作台 lists only what is still owed.

Like actions.py: the state table and the person's scope (access.check), a version claim on the
item so a concurrent change conflicts, and one audit event, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items import notices
from duban.items.access import active_units, check
from duban.items.actions import _claim, atomic
from duban.items.models import Item, ItemState, ItemUnit, Reminder
from duban.items.models.reminders import MESSAGE_MAX
from duban.org.access import scope_q
from duban.org.models import Unit, User
from duban.org.validation import check_required, fail

# The states the table lets the office remind in; an item leaving them owes no answer.
REMINDABLE = (ItemState.ASSIGNED, ItemState.IN_PROGRESS)


def _targets(item: Item, unit: Unit | None) -> list[Unit]:
    """The active handling units to remind: all of them, or the one chosen."""
    units = [row.unit for row in active_units(item)]
    if unit is not None:
        units = [u for u in units if u.pk == unit.pk]
        if not units:
            raise fail("unit", _("该单位不是此事项的承办单位。"))
    if not units:
        raise fail("unit", _("事项没有承办单位,无从催办。"))
    return units


@atomic
def remind(
    item: Item, *, actor: User | None, message: str, unit: Unit | None = None
) -> list[Reminder]:
    """催办: one reminder per reminded unit, one audit event for the whole remind."""
    check(actor, item, "remind")
    message = check_required(message, "message", _("催办内容"), MESSAGE_MAX)
    units = _targets(item, unit)
    _claim(item)  # a concurrent change (a report, a decline) refuses the stale remind
    reminders = Reminder.objects.bulk_create(
        [Reminder(item=item, unit=u, message=message, sent_by=actor) for u in units]
    )
    record(
        EventType.ITEM_REMINDED,
        actor=actor,
        unit=item.owner_unit,
        target=item,
        details={"action": "remind", "units": [u.pk for u in units], "message": message},
    )
    notices.reminded(item, units, message)
    return reminders


def answer(item_ids: Iterable[int], unit_id: int) -> int:
    """The unit reported: its open reminders on these items are answered (one UPDATE).

    Called inside the reporting action's transaction, so the answer commits with the report.
    """
    return Reminder.objects.filter(
        item_id__in=list(item_ids), unit_id=unit_id, answered_at__isnull=True
    ).update(answered_at=clock.now())


# Reading ---------------------------------------------------------------------------------


def reminders_for(item: Item) -> QuerySet[Reminder]:
    """The item's reminders, newest first. Callers reach the item through `restrict` first."""
    return Reminder.objects.filter(item=item).select_related("unit", "sent_by")


def open_reminders(user: Any) -> QuerySet[Reminder]:
    """工作台: unanswered reminders to a unit the person acts for, on items still being handled.

    "change" on `item_unit` is the unit's own liaison and leader — the people who answer by
    reporting — not the office above it (the same scope as the unit's own report drafts).
    """
    still_handling = ItemUnit.objects.filter(
        item_id=OuterRef("item_id"), unit_id=OuterRef("unit_id"), declined_at__isnull=True
    )
    return (
        Reminder.objects.filter(answered_at__isnull=True, item__state__in=REMINDABLE)
        .filter(scope_q(user, "change", "item_unit", path_field="unit__path"))
        .filter(Exists(still_handling))
        .filter(item__in=Item.objects.restrict(user, "view"))
        .select_related("item", "unit", "sent_by")
        .order_by("-sent_at", "-id")
    )
