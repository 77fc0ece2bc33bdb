"""What each item source records at registration (issue 4 item 1), as data.

Seed 004 第六条 lists where a municipal government's supervision items come from: leaders'
instructions (批示, (一)(六)), decisions of the 全体会议, 常务会议, 专题会议 and 现场办公会议
((二)), the 政府工作报告's targets ((三)), important documents ((四)), key projects and reforms
((五)), deputies' suggestions and members' proposals ((七)) and other assigned tasks ((八)); seed
001 第六条 adds 批示件 and 查办件 (四) and 人大代表建议, 政协提案 (五). Each source brings its own
facts: who gave the instruction and what it said, which meeting and its minutes, the 文号, the
number of the suggestion and who made it. `DETAILS` says, per source, which Item columns hold
those facts, what they are called there, and which must be filled.

Where the rules apply (items/actions.py): registering through the form or the API
(`create_item(strict=True)`, the default) and editing a draft's source facts (`update_draft`)
check the required facts. A spreadsheet import (`strict=False`) cannot: its ten columns have no
批示领导 or 会议类型, so an imported item's facts are completed later on its edit page. Either way
the 文号 of a 重要文件 must be well formed, and the columns a source does not use are cleared, so
that changing a draft's source never keeps facts of the old source.

Decided here: a 批示's date is optional. The 批示件 forwarded to the office often carries no
clear date, and no deadline counts from it (deadlines count from 交办, seed 004 第十六条). A
meeting's date is required: the office cites it in every follow-up (「X月X日市政府常务会议议定」).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.items.models import Item, ItemSource, MeetingKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# 济政办发〔2016〕30号: 发文机关代字, the year in 六角括号, the serial number and 号 (GB/T 9704).
DOC_RE = re.compile(r"^\S+〔\d{4}〕\d+号$")
# Offices type the brackets in many ways ([2016], 【2016】, (2016), （2016）): normalised first.
DOC_BRACKETS = re.compile(r"[\[【(（〔]\s*(\d{4})\s*[\]】)）〕]")
DOC_EXAMPLE = "济政办发〔2016〕30号"

# The Item columns that belong to one source or another; the rest of an item is common to all.
COLUMNS = ("meeting_kind", "source_person", "source_date", "source_number", "source_text")
# Everything the source rules look at; an edit touching none of these leaves them alone.
FIELDS = ("source", "doc_number", *COLUMNS)
# Each column emptied.
BLANK: dict[str, Any] = {field: None if field == "source_date" else "" for field in COLUMNS}
# The facts an audit event may carry (the timeline names them as the event's source does).
FACTS = ("doc_number", *COLUMNS)


@dataclass(frozen=True)
class Detail:
    """One fact a source records: the Item column, its name for this source, required or not."""

    field: str
    label: StrOrPromise
    required: bool = False


def _d(field: str, label: StrOrPromise, required: bool = False) -> Detail:
    return Detail(field, label, required)


S = ItemSource
DETAILS: dict[str, tuple[Detail, ...]] = {
    S.LEADER_INSTRUCTION: (
        _d("source_person", gettext_lazy("批示领导"), required=True),
        _d("source_text", gettext_lazy("批示内容"), required=True),
        _d("source_date", gettext_lazy("批示日期")),
    ),
    S.MEETING: (
        _d("meeting_kind", gettext_lazy("会议类型"), required=True),
        _d("source_date", gettext_lazy("会议日期"), required=True),
        # Minutes are issued days after the meeting: the number may follow on the edit page.
        _d("source_number", gettext_lazy("会议纪要号")),
    ),
    S.DOCUMENT: (
        _d("doc_number", gettext_lazy("文号"), required=True),
        _d("source_date", gettext_lazy("印发日期")),
    ),
    S.WORK_REPORT: (
        # Seed 004 第六条(三): the 主要目标任务 the report sets; reported quarterly (第十六条).
        _d("source_text", gettext_lazy("目标任务"), required=True),
    ),
    S.KEY_PROJECT: (),
    S.NPC_SUGGESTION: (
        _d("source_number", gettext_lazy("建议编号"), required=True),
        _d("source_person", gettext_lazy("提出建议的人大代表"), required=True),
    ),
    S.CPPCC_PROPOSAL: (
        _d("source_number", gettext_lazy("提案编号"), required=True),
        _d("source_person", gettext_lazy("提案的政协委员"), required=True),
    ),
    S.SUPERIOR: (
        _d("source_person", gettext_lazy("交办机关")),
        _d("doc_number", gettext_lazy("交办文号")),
        _d("source_date", gettext_lazy("交办日期")),
    ),
    # The 举报人 is deliberately not recorded: the item travels to units that must not know them.
    S.COMPLAINT: (
        _d("source_number", gettext_lazy("线索编号")),
        _d("source_date", gettext_lazy("举报日期")),
    ),
    S.OTHER: (),
}


def details(source: str) -> tuple[Detail, ...]:
    return DETAILS.get(source, ())


def label(source: str, field: str) -> StrOrPromise | None:
    """The column's name for this source, or None if the source does not use it."""
    return next((d.label for d in details(source) if d.field == field), None)


def normalise_doc_number(text: str) -> str:
    return DOC_BRACKETS.sub(r"〔\1〕", text.replace(" ", "").replace("\u3000", ""))


def doc_number_error(text: str) -> str:
    """The Chinese refusal for a malformed 文号 as the person typed it."""
    message = _("文号「%(value)s」格式不正确,应如 %(example)s。")
    return message % {"value": text, "example": DOC_EXAMPLE}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def settle(values: Mapping[str, Any], *, strict: bool) -> dict[str, Any]:
    """The changes that make `values` (an item's source, 文号 and COLUMNS) fit its source.

    Clears the columns the source does not use and normalises the 文号; refuses a malformed 文号
    where the source names one, and, when `strict`, every missing required fact at once.
    """
    source = str(values.get("source") or "")
    used = {d.field for d in details(source)}
    changes = {
        field: blank
        for field, blank in BLANK.items()
        if field not in used and not _blank(values.get(field))
    }
    errors: dict[str, list[str]] = {}
    typed = str(values.get("doc_number") or "")
    doc = normalise_doc_number(typed)
    if doc != typed:
        changes["doc_number"] = doc
    if doc and "doc_number" in used and not DOC_RE.match(doc):
        errors["doc_number"] = [doc_number_error(typed)]
    if strict:
        for detail in details(source):
            if detail.required and _blank(values.get(detail.field)):
                errors.setdefault(detail.field, []).append(_missing(source, detail))
    if errors:
        raise ValidationError(errors)
    return changes


def _missing(source: str, detail: Detail) -> str:
    message = _("来源为「%(source)s」时须填写%(label)s。")
    return message % {"source": ItemSource(source).label, "label": detail.label}


# Showing the facts ----------------------------------------------------------------------------


def _shown(field: str, value: Any) -> str:
    if field == "meeting_kind" and value in MeetingKind.values:
        return str(MeetingKind(value).label)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def rows(item: Any) -> list[tuple[str, str]]:
    """(name, value) of the item's filled source facts, for the item page; the 文号 has its own."""
    return [
        (str(d.label), _shown(d.field, getattr(item, d.field)))
        for d in details(item.source)
        if d.field != "doc_number" and not _blank(getattr(item, d.field))
    ]


def recorded(item: Any) -> dict[str, str]:
    """The filled facts as an audit event stores them (JSON: dates as text)."""
    values = {field: getattr(item, field) for field in FACTS}
    return {k: _shown("", v) for k, v in values.items() if not _blank(v)}


def line(field: str, value: Any, source: Any) -> str:
    """A timeline line for a source fact of an event: 「批示领导:张市长」, 「会议类型:A → B」."""
    if isinstance(source, list):  # an edit that changed the source: name facts as the new one
        source = source[-1]
    name = label(source, field) if isinstance(source, str) else None
    if name is None:
        name = column_label(field)
    if isinstance(value, list) and len(value) == 2:
        old, new = (_shown(field, v) or "—" for v in value)
        return f"{name}:{old} → {new}"
    return f"{name}:{_shown(field, value)}"


def column_label(field: str) -> str:
    """The column's name for any source (批示领导或代表委员), where no source names it."""
    return str(getattr(Item._meta.get_field(field), "verbose_name", field))
