"""The item page's timeline: its audit events in words (「状态:拟办 → 已交办」, not raw JSON)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.describe import describe
from duban.audit.models import Event
from duban.items import intake, states
from duban.items.models import Item, ItemSource, Outcome, ReportCadence, UnitRole
from duban.org.models import Unit

UNIT_KEYS = ("unit", "lead_unit")
LIST_KEYS = ("co_units", "units")  # lists of unit ids
BASIS = {"unit": gettext_lazy("按单位分解"), "milestone": gettext_lazy("按节点分解")}
# Ids and checksums the audit log keeps and the item page need not show.
HIDDEN = ("child", "report", "attachment", "sha256", "extension", "milestone", "to_due")


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


Names = dict[int, str]
Format = Callable[[Any, dict[str, Any], Names], str | None]


def _units(value: Any, names: Names) -> str:
    return "、".join(names.get(pk, str(pk)) for pk in value or []) or "—"


def _text(label: Any, limit: int = 200) -> Format:
    return lambda value, details, names: f"{label}:{str(value)[:limit]}" if value else None


def _late(value: Any, details: dict[str, Any], names: Names) -> str:
    """「逾期」 of what: a report sent late, a 节点任务 done late, or the item completed late."""
    if "report" in details and "period_due" in details:
        label = _("逾期报送")
    elif "milestone" in details:
        label = _("逾期完成")
    else:
        label = _("逾期办结")
    return f"{label}:{_yes_no(value)}"


def _count(template: Any) -> Format:
    return lambda value, details, names: template % {"n": len(value)} if value else None


def _tags(value: Any) -> str:
    """标签: before → after, as the action recorded them (joined with 、)."""
    before, after = value if isinstance(value, list) and len(value) == 2 else ("", value)
    if not before:
        return _("标签:%(tags)s") % {"tags": after}
    return _("标签:%(old)s → %(new)s") % {"old": before, "new": after or _("(无)")}


def _cadence(value: Any) -> str:
    return str(ReportCadence(value).label) if value in ReportCadence.values else str(value)


def _hidden(value: Any, details: dict[str, Any], names: Names) -> None:
    """Row ids and checksums: in the audit log, not worth a line on the item page."""
    return None


FORMATS: dict[str, Format] = {
    "reason": _text(gettext_lazy("理由"), 2000),
    "comment": _text(gettext_lazy("意见"), 2000),
    "note": _text(gettext_lazy("审批意见"), 2000),
    "message": _text(gettext_lazy("催办内容"), 2000),
    "text": _text(gettext_lazy("办结报告")),
    "unit": lambda v, d, n: _("单位:%(unit)s") % {"unit": n.get(v, v)},
    "lead_unit": lambda v, d, n: _("主办单位:%(unit)s") % {"unit": n.get(v, v)},
    "co_units": lambda v, d, n: _("协办单位:%(units)s") % {"units": _units(v, n)},
    "units": lambda v, d, n: _("催办单位:%(units)s") % {"units": _units(v, n)},
    "role": lambda v, d, n: (
        _("承办角色:%(role)s") % {"role": UnitRole(v).label} if v in UnitRole.values else None
    ),
    "due_date": lambda v, d, n: _("完成时限:%(date)s") % {"date": v},
    "provisional": lambda v, d, n: _("时限暂定(所在年度放假安排尚未公布)") if v else None,
    "late": _late,
    "basis": lambda v, d, n: _("分解方式:%(basis)s") % {"basis": BASIS.get(v, v)},
    "period_due": lambda v, d, n: _("应报日期:%(date)s") % {"date": v} if v else None,
    "co_inputs": _count(gettext_lazy("汇总协办意见 %(n)d 份")),
    "linked": _count(gettext_lazy("同时答复关联事项 %(n)d 项(一次填报、多方复用)")),
    "via": lambda v, d, n: _("经关联事项报送"),
    "name": _text(gettext_lazy("附件")),
    "requested_date": lambda v, d, n: _("申请延至:%(date)s") % {"date": v},
    "from_due": lambda v, d, n: (
        _("办理时限:%(old)s → %(new)s") % {"old": v, "new": d.get("to_due")}
    ),
    "outcome": lambda v, d, n: (
        _("办理结果:%(o)s") % {"o": Outcome(v).label} if v in Outcome.values else None
    ),
    "follow_up_date": lambda v, d, n: _("跟踪办理日期:%(date)s") % {"date": v},
    # 督办升级 applied or dismissed: the measure's label was stored with the event.
    "measure": lambda v, d, n: _("措施:%(measure)s") % {"measure": v},
    "tags": lambda v, d, n: _tags(v),
    "cadence": lambda v, d, n: _("报告频次:%(cadence)s") % {"cadence": _cadence(v)},
    "next_report_due": lambda v, d, n: _("下次报告日期:%(date)s") % {"date": v} if v else None,
    **dict.fromkeys(HIDDEN, _hidden),
}


def _state_line(details: dict[str, Any]) -> str | None:
    if "from" in details and "to" in details:
        if details["from"] == details["to"]:
            return None  # a report or a remind: the state did not move
        old, new = states.state_label(details["from"]), states.state_label(details["to"])
        return _("状态:%(old)s → %(new)s") % {"old": old, "new": new}
    if "to" in details:
        return _("状态:%(new)s") % {"new": states.state_label(details["to"])}
    return None


def _lines(details: dict[str, Any], names: Names) -> list[str]:
    """Known keys of the item actions in words; anything else as the audit log shows it."""
    lines = [line for line in [_state_line(details)] if line]
    rest: dict[str, Any] = {}
    for key, value in details.items():
        if key in ("action", "from", "to"):
            continue
        if key == "source" and value in ItemSource.values:
            lines.append(_("来源:%(source)s") % {"source": ItemSource(value).label})
        elif key in intake.FACTS:
            lines.append(intake.line(key, value, details.get("source")))
        elif key in FORMATS:
            line = FORMATS[key](value, details, names)
            if line:
                lines.append(line)
        else:
            rest[key] = value
    return lines + describe("items.item", rest)


def timeline(events: list[Event]) -> list[Entry]:
    names = dict(Unit.objects.filter(pk__in=_unit_ids(events)).values_list("pk", "name"))
    return [
        Entry(event, _lines(event.details if isinstance(event.details, dict) else {}, names))
        for event in events
    ]
