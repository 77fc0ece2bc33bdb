"""The item page's timeline: its audit events in words (「状态:拟办 → 已交办」, not raw JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.describe import describe
from duban.audit.models import Event
from duban.items import intake, states
from duban.items.models import Item, ItemSource
from duban.org.models import Unit

UNIT_KEYS = ("unit", "lead_unit")
LIST_KEYS = ("co_units", "units")  # lists of unit ids
BASIS = {"unit": gettext_lazy("按单位分解"), "milestone": gettext_lazy("按节点分解")}


def item_events(user: Any, item: Item) -> Any:
    """An item's audit events, for whoever may view the item.

    The audit app's own scope (`Event.objects.restrict(user, "view")` on the "audit" object) is
    for auditors and offices reading the whole log; a liaison or unit leader must still see the
    history of the items they handle. So the gate is the item's `restrict`: the page and the API
    both call this, and both show the same rows.
    """
    visible = Item.objects.restrict(user, "view").filter(pk=item.pk)
    events = Event.objects.for_target(item)
    return events if visible.exists() else events.none()


@dataclass
class Entry:
    event: Event
    lines: list[str]


def _unit_ids(events: Iterable[Event]) -> set[int]:
    ids: set[int] = set()
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        ids |= {details[key] for key in UNIT_KEYS if isinstance(details.get(key), int)}
        for key in LIST_KEYS:
            ids |= {pk for pk in details.get(key) or [] if isinstance(pk, int)}
    return ids


def _yes_no(value: Any) -> str:
    return _("是") if value else _("否")


def _lines(details: dict[str, Any], names: dict[int, str]) -> list[str]:
    """Known keys of the item actions in words; anything else as the audit log shows it."""
    lines: list[str] = []
    rest: dict[str, Any] = {}
    if "from" in details and "to" in details:
        old, new = states.state_label(details["from"]), states.state_label(details["to"])
        lines.append(_("状态:%(old)s → %(new)s") % {"old": old, "new": new})
    elif "to" in details:
        lines.append(_("状态:%(new)s") % {"new": states.state_label(details["to"])})
    for key, value in details.items():
        if key in ("action", "from", "to"):
            continue
        if key == "reason":
            lines.append(_("理由:%(text)s") % {"text": value})
        elif key == "comment":
            lines.append(_("意见:%(text)s") % {"text": value})
        elif key == "unit":
            lines.append(_("单位:%(unit)s") % {"unit": names.get(value, value)})
        elif key == "lead_unit":
            lines.append(_("主办单位:%(unit)s") % {"unit": names.get(value, value)})
        elif key == "co_units":
            units = "、".join(names.get(pk, str(pk)) for pk in value) or "—"
            lines.append(_("协办单位:%(units)s") % {"units": units})
        elif key == "units":  # 催办: the units reminded
            units = "、".join(names.get(pk, str(pk)) for pk in value) or "—"
            lines.append(_("催办单位:%(units)s") % {"units": units})
        elif key == "message":
            lines.append(_("催办内容:%(text)s") % {"text": value})
        elif key == "due_date":
            lines.append(_("完成时限:%(date)s") % {"date": value})
        elif key == "provisional":
            if value:
                lines.append(_("时限暂定(所在年度放假安排尚未公布)"))
        elif key == "source" and value in ItemSource.values:
            lines.append(_("来源:%(source)s") % {"source": ItemSource(value).label})
        elif key in intake.FACTS:
            lines.append(intake.line(key, value, details.get("source")))
        elif key == "late":
            lines.append(_("逾期办结:%(late)s") % {"late": _yes_no(value)})
        elif key == "basis":
            lines.append(_("分解方式:%(basis)s") % {"basis": BASIS.get(value, value)})
        elif key == "child":
            continue
        elif key == "text":
            lines.append(_("办结报告:%(text)s") % {"text": str(value)[:200]})
        else:
            rest[key] = value
    return lines + describe("items.item", rest)


def timeline(events: list[Event]) -> list[Entry]:
    names = dict(Unit.objects.filter(pk__in=_unit_ids(events)).values_list("pk", "name"))
    return [
        Entry(event, _lines(event.details if isinstance(event.details, dict) else {}, names))
        for event in events
    ]
