"""The first text of each kind of document, drafted from data and then edited by the office.

A template's texts carry placeholders (models.PLACEHOLDERS); `{data}` is the part drafted here:
the facts of an item for a 督查通知, its state against the deadline for a 催办单/督办单, the
period's figures for a 督查通报 (seed 004 第十九条: 通报表扬 of units that did well; 第二十条:
通报批评 of late units), the chosen items' progress for a 督查专报 (seed 001 第十四条(十三)).
Every figure comes from a set-based query that starts at Item.objects.restrict(user, "view").
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.documents import layout
from duban.documents.models import PLACEHOLDERS, DocumentTemplate
from duban.items.lights import light_of, with_light
from duban.items.models import (
    OPEN_STATES,
    Confidentiality,
    Item,
    ItemState,
    ProgressReport,
    ReportState,
)
from duban.org.models import Unit

# The overdue list of a 通报 names at most this many items, then says how many more.
OVERDUE_LIST_MAX = 100
NUMERALS = "零一二三四五六七八九十"
TEMPLATE_TEXTS = (
    "issuer_mark",
    "title_template",
    "recipients",
    "body_template",
    "closing",
    "signature",
    "copy_to",
)


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_number(n: int) -> str:
    """一 … 九十九, for the 一、二、 of headings."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens] if tens > 1 else "") + "十" + (NUMERALS[ones] if ones else "")


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(text: str, values: Mapping[str, str]) -> str:
    return string.Formatter().vformat(text, (), _Blank(values))


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders the drafting does not know; raises ValueError on unpaired braces."""
    names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    return sorted(names - set(PLACEHOLDERS))


@dataclass
class Draft:
    """What a new document starts with, besides the template's texts filled in."""

    values: dict[str, str]
    addressees: list[int] = field(default_factory=list)
    light: str = ""
    items: list[int] = field(default_factory=list)


def texts(template: DocumentTemplate, draft: Draft) -> dict[str, str]:
    fields = {
        "title": template.title_template,
        "recipients": template.recipients,
        "body": template.body_template,
        "closing": template.closing,
        "signature": template.signature,
        "copy_to": template.copy_to,
    }
    return {
        name: layout.full_width(fill(text, draft.values)).strip() for name, text in fields.items()
    }


def _common(office: Unit, today: dt.date) -> dict[str, str]:
    return {"office": office.name, "year": str(today.year)}


# 督查通知 and 催办单/督办单: one item --------------------------------------------------------


def _units(item: Item) -> tuple[str, list[str], list[int]]:
    rows = list(
        item.units.filter(declined_at__isnull=True)
        .order_by("role", "unit__path")
        .values_list("role", "unit__name", "unit_id")
    )
    lead = next((name for role, name, _pk in rows if role == "lead"), "")
    co = [name for role, name, _pk in rows if role == "co"]
    return lead, co, [pk for _role, _name, pk in rows]


def _due(item: Item) -> dt.date | None:
    return item.due_date or item.time_limit


def _item_values(item: Item, office: Unit, today: dt.date) -> tuple[dict[str, str], list[int]]:
    lead, co, ids = _units(item)
    values = _common(office, today) | {
        "title": item.title,
        "lead": lead,
        "units": "、".join([lead, *co]),
        "date": cn_date(_due(item)),
        "source": _source(item),
    }
    return values, ids


def _source(item: Item) -> str:
    said = str(item.get_source_display())
    if item.doc_number:
        return f"{said}({item.doc_number})"
    if item.source_person:
        return f"{item.source_person}{said}"
    return said


def notice(item: Item, office: Unit, today: dt.date) -> Draft:
    values, ids = _item_values(item, office, today)
    lead, co, _ids = _units(item)
    if not lead:
        raise ValueError(
            _("事项「%(title)s」尚未确定主办单位,不能生成督查通知。") % {"title": item.title}
        )
    units = _("主办单位:%(lead)s") % {"lead": lead}
    if co:
        units += _(";协办单位:%(co)s") % {"co": "、".join(co)}
    lines = [_("一、事项内容"), item.content or item.title]
    if item.source_text:
        lines.append(_("批示内容:%(text)s") % {"text": item.source_text})
    lines += [_("二、承办单位"), units + "。", _("三、办理时限"), _deadline(item)]
    values["data"] = "\n".join(lines)
    return Draft(values, ids, items=[item.pk])


def _deadline(item: Item) -> str:
    due = _due(item)
    if due is None:
        return _("交办时按事项来源的期限规则计算。")
    text = _("请于%(date)s前办结。") % {"date": cn_date(due)}
    if item.provisional:
        text += _("(次年节假日安排尚未公布,时限暂定。)")
    if item.deadline_explanation:
        text += _("时限计算:%(how)s") % {"how": item.deadline_explanation}
    return text


def reminder(item: Item, office: Unit, today: dt.date) -> Draft:
    if not item.is_open:
        # Nothing is left to urge once an item is closed or cancelled.
        raise ValueError(
            _("事项「%(title)s」已办结或撤销,不能生成催办单/督办单。") % {"title": item.title}
        )
    values, ids = _item_values(item, office, today)
    light = light_of(item, today) or "green"
    # Past the deadline it is a formal 督办; before it a 催办 (shared/DESIGN.md glossary).
    values["form"] = _("督办单") if light == "red" else _("催办单")
    values["data"] = "\n".join(_reminder_lines(item, values, today))
    return Draft(values, ids, light, [item.pk])


def _reminder_lines(item: Item, values: dict[str, str], today: dt.date) -> list[str]:
    due = _due(item)
    first = _("「%(title)s」由%(lead)s主办,办理时限为%(date)s。") % {
        "title": item.title,
        "lead": values["lead"] or _("(未确定)"),
        "date": values["date"] or _("(未确定)"),
    }
    if due is None or not item.is_open:
        state = _("目前状态为%(state)s。") % {"state": item.get_state_display()}
    elif due < today:
        state = _("截至%(today)s,该事项已逾期 %(days)d 天,目前状态为%(state)s。") % {
            "today": cn_date(today),
            "days": (today - due).days,
            "state": item.get_state_display(),
        }
    else:
        state = _("截至%(today)s,距办理时限还有 %(days)d 天,目前状态为%(state)s。") % {
            "today": cn_date(today),
            "days": (due - today).days,
            "state": item.get_state_display(),
        }
    return [first, state]


# 督查通报: a period's figures ----------------------------------------------------------------


@dataclass
class Figures:
    total: int
    by_state: dict[str, int]
    by_light: dict[str, int]
    done: int
    on_time: int
    commended: list[str]
    criticised: list[tuple[str, int, int]]
    overdue: list[Any]
    overdue_count: int
    units: list[int]

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.done:.1f}%" if self.done else "—"


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def period_items(user: Any, office: Unit, start: dt.date, end: dt.date) -> QuerySet[Item]:
    """The office's items handled in the period: assigned by its end, not closed before it."""
    low, high = _bounds(start, end)
    handled = ~Q(state__in=[ItemState.DRAFT, ItemState.PENDING_APPROVAL, ItemState.CANCELLED])
    return (
        Item.objects.restrict(user, "view")
        .filter(handled, owner_unit__path__startswith=office.path, assigned_at__lt=high)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=low))
    )


def figures(user: Any, office: Unit, start: dt.date, end: dt.date, today: dt.date) -> Figures:
    items = period_items(user, office, start, end)
    low, high = _bounds(start, end)
    done_q = Q(completed_at__gte=low, completed_at__lt=high)
    overdue_q = Q(state__in=OPEN_STATES, due_date__lt=today)
    by_state = dict(items.values_list("state").annotate(n=Count("pk")).order_by())
    by_light = dict(
        with_light(items, today).values_list("light").annotate(n=Count("pk")).order_by()
    )
    done = items.aggregate(
        done=Count("pk", filter=done_q), late=Count("pk", filter=done_q & Q(completed_late=True))
    )
    units = list(
        items.filter(lead_unit__isnull=False)
        .values("lead_unit_id", "lead_unit__name", "lead_unit__path")
        .annotate(
            done=Count("pk", filter=done_q),
            late=Count("pk", filter=done_q & Q(completed_late=True)),
            overdue=Count("pk", filter=overdue_q),
        )
        .order_by("lead_unit__path")
    )
    listed = items.filter(overdue_q).exclude(confidentiality=Confidentiality.SECRET)
    overdue = list(
        listed.order_by("due_date", "pk").values("pk", "title", "lead_unit__name", "due_date")[
            :OVERDUE_LIST_MAX
        ]
    )
    return Figures(
        total=sum(by_state.values()),
        by_state=by_state,
        by_light={k: v for k, v in by_light.items() if k},
        done=done["done"],
        on_time=done["done"] - done["late"],
        # Seed 004 第十九条: units whose every item of the period was done on time.
        commended=[
            u["lead_unit__name"] for u in units if u["done"] and not (u["late"] or u["overdue"])
        ],
        # Seed 004 第二十条(一): units late or overdue.
        criticised=[
            (u["lead_unit__name"], u["overdue"], u["late"])
            for u in units
            if u["late"] or u["overdue"]
        ],
        overdue=overdue,
        overdue_count=items.filter(overdue_q).count(),
        units=[u["lead_unit_id"] for u in units],
    )


def bulletin(user: Any, office: Unit, start: dt.date, end: dt.date, today: dt.date) -> Draft:
    as_of = min(end, today)
    numbers = figures(user, office, start, end, as_of)
    values = _common(office, today) | {
        "period": period_name(start, end),
        "data": _bulletin_text(numbers, as_of),
    }
    return Draft(values, numbers.units)


def period_name(start: dt.date, end: dt.date) -> str:
    """The period as an office names it: 2026年, 2026年上半年, 2026年第三季度, 2026年11月, else
    its two dates."""
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if whole_months and start.year == end.year and (start.month - 1) % months == 0:
        year = start.year
        if months == 12:
            return _("%(year)d年") % {"year": year}
        if months == 6:
            half = _("上半年") if start.month == 1 else _("下半年")
            return _("%(year)d年%(half)s") % {"year": year, "half": half}
        if months == 3:
            quarter = cn_number(start.month // 3 + 1)
            return _("%(year)d年第%(quarter)s季度") % {"year": year, "quarter": quarter}
        if months == 1:
            return _("%(year)d年%(month)d月") % {"year": year, "month": start.month}
    return _("%(start)s至%(end)s") % {"start": cn_date(start), "end": cn_date(end)}


def _bulletin_text(f: Figures, as_of: dt.date) -> str:
    states = "、".join(
        f"{ItemState(state).label}{n}项" for state, n in sorted(f.by_state.items()) if n
    )
    lights = _("红灯%(red)d项、黄灯%(yellow)d项、绿灯%(green)d项") % {
        "red": f.by_light.get("red", 0),
        "yellow": f.by_light.get("yellow", 0),
        "green": f.by_light.get("green", 0),
    }
    lines = [
        _("一、总体情况"),
        _("截至%(date)s,纳入督查的事项共%(total)d项,其中%(states)s;在办事项中%(lights)s。")
        % {"date": cn_date(as_of), "total": f.total, "states": states or _("无"), "lights": lights},
        _("本期办结%(done)d项,其中按期办结%(on_time)d项,按期办结率%(rate)s。")
        % {"done": f.done, "on_time": f.on_time, "rate": f.on_time_rate},
        _("二、通报表扬"),
        _("%(units)s按期办结本期全部督查事项,予以通报表扬。") % {"units": "、".join(f.commended)}
        if f.commended
        else _("本期无。"),
        _("三、通报批评"),
    ]
    lines += [_criticism(name, overdue, late) for name, overdue, late in f.criticised] or [
        _("本期无。")
    ]
    lines.append(_("四、逾期未办结事项"))
    lines += [
        _("%(n)d.%(title)s(主办单位:%(unit)s,办理时限%(date)s,已逾期%(days)d天)")
        % {
            "n": n,
            "title": row["title"],
            "unit": row["lead_unit__name"] or _("未确定"),
            "date": cn_date(row["due_date"]),
            "days": (as_of - row["due_date"]).days,
        }
        for n, row in enumerate(f.overdue, 1)
    ] or [_("无。")]
    if f.overdue_count > len(f.overdue):
        lines.append(_("(另有%(n)d项未列出。)") % {"n": f.overdue_count - len(f.overdue)})
    return "\n".join(lines)


def _criticism(name: str, overdue: int, late: int) -> str:
    parts = []
    if overdue:
        parts.append(_("%(n)d项事项逾期未办结") % {"n": overdue})
    if late:
        parts.append(_("%(n)d项事项逾期办结") % {"n": late})
    return _("%(unit)s有%(what)s,予以通报批评,请认真整改并书面说明情况。") % {
        "unit": name,
        "what": "、".join(parts),
    }


# 督查专报: a topic and chosen items ----------------------------------------------------------


def report(user: Any, office: Unit, topic: str, item_ids: list[int], today: dt.date) -> Draft:
    latest = ProgressReport.objects.filter(
        item=OuterRef("pk"), state=ReportState.SUBMITTED
    ).order_by("-submitted_at", "-pk")
    rows = (
        Item.objects.restrict(user, "view")
        .filter(pk__in=item_ids)
        .annotate(progress=Subquery(latest.values("content")[:1]))
        .order_by("pk")
        .values("pk", "title", "lead_unit__name", "due_date", "state", "progress")
    )
    lines: list[str] = []
    found: list[int] = []
    for n, row in enumerate(rows, 1):
        found.append(row["pk"])
        lines += [
            f"{cn_number(n)}、{row['title']}",
            _("主办单位:%(unit)s;办理时限:%(date)s;目前状态:%(state)s。")
            % {
                "unit": row["lead_unit__name"] or _("未确定"),
                "date": cn_date(row["due_date"]) or _("未确定"),
                "state": ItemState(row["state"]).label,
            },
        ]
        if row["progress"]:
            lines.append(_("最新进展:%(text)s") % {"text": row["progress"]})
    values = _common(office, today) | {"title": topic, "data": "\n".join(lines)}
    return Draft(values, items=found)
