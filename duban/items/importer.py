"""Import supervision items from an XLSX 台账 (issue 4 item 11): every row checked, all or nothing.

The columns are the ones offices already keep (shared/DESIGN.md 「Documents and exports」): 序号,
事项名称, 来源, 文号, 主办单位, 协办单位, 责任领导, 责任人, 完成时限, 进展情况. Each row becomes an
item through `items.actions` (create_item, then assign when a 主办单位 is named), so validation,
permissions and audit events are those of the pages. The import runs in one transaction that is
rolled back after every row has been tried if any row failed, so the person sees every problem at
once, each with its row and column.

A file exported from the 台账 (ledgers/xlsx_export.py) imports back as it is: its title line sits
above the header, its 状态 and 灯 columns are derived from the item's life and are skipped like
序号, and its 协办单位 are joined with 、, one of UNIT_SEPARATORS.

Rows are registered with `create_item(strict=False)`: the source's own facts (批示领导 and
批示内容, 会议类型 and 会议日期, 建议编号 …) that the form and the API require have no column here,
so a 领导批示 row is not refused for lacking them; the office completes them on the item's edit
page. A 重要文件's 文号 is still checked, with the same rule and message as the form
(items/intake.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core.progress import ProgressCallback, track
from duban.items import actions, tagging
from duban.items.intake import DOC_RE, doc_number_error, normalise_doc_number
from duban.items.models import Item, ItemSource
from duban.org.access import require
from duban.org.models import Unit, User

# Column headers are the file format, so they stay Chinese whatever the page language.
NUMBER, TITLE, SOURCE, DOC, LEAD, CO = "序号", "事项名称", "来源", "文号", "主办单位", "协办单位"
LEADER, OWNER, LIMIT, PROGRESS = "责任领导", "责任人", "完成时限", "进展情况"
HEADERS = (NUMBER, TITLE, SOURCE, DOC, LEAD, CO, LEADER, OWNER, LIMIT, PROGRESS)
# Columns of an exported 台账 that follow from what happened to the item: never imported.
STATE, LIGHT = "状态", "灯"
DERIVED = (STATE, LIGHT)
# Read when present, after the others in the template and the export: older ledgers lack it.
TAGS = "标签"
OPTIONAL = (TAGS,)
REQUIRED = (TITLE, SOURCE)
# Ledgers often carry a title line or two above the header row.
HEADER_SEARCH_ROWS = 10

# The actions name the model field that failed; these name the column the person must fix.
FIELD_COLUMNS = {
    "title": TITLE,
    "source": SOURCE,
    "doc_number": DOC,
    "responsible_leader": LEADER,
    "owner_name": OWNER,
    "time_limit": LIMIT,
    "lead_unit": LEAD,
    "co_units": CO,
    "content": PROGRESS,
    "tags": TAGS,
}

# Names offices use in their ledgers besides the labels of ItemSource (seed 004 第六条).
SOURCE_ALIASES = {
    "批示": ItemSource.LEADER_INSTRUCTION,
    "领导批示件": ItemSource.LEADER_INSTRUCTION,
    "会议议定事项": ItemSource.MEETING,
    "会议": ItemSource.MEETING,
    "文件": ItemSource.DOCUMENT,
    "重要文件部署": ItemSource.DOCUMENT,
    "工作报告": ItemSource.WORK_REPORT,
    "重点项目/改革": ItemSource.KEY_PROJECT,
    "重点改革": ItemSource.KEY_PROJECT,
    "人大代表建议": ItemSource.NPC_SUGGESTION,
    "政协委员提案": ItemSource.CPPCC_PROPOSAL,
    "上级批示": ItemSource.SUPERIOR,
    "举报": ItemSource.COMPLAINT,
}
UNIT_SEPARATORS = re.compile(r"[、,，;；\n]+")
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Excel serial day numbers that are plausible due dates (1954 … 2119).
EXCEL_SERIALS = range(20000, 80000)
XLSX_MAGIC = b"PK\x03\x04"
PROGRESS_PREFIX = "导入时进展情况:"


@dataclass(frozen=True)
class RowError:
    """One problem as the person sees it in the spreadsheet (row 0: the whole file)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(row)d行") % {"row": self.row} if self.row else _("文件")
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column} {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    assigned: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("共导入 %(n)d 项督查事项,其中 %(a)d 项已交办。") % {
            "n": self.created,
            "a": self.assigned,
        }


@dataclass
class Row:
    number: int
    values: dict[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


@dataclass(frozen=True)
class Parsed:
    """A row's values once every column has been checked."""

    fields: dict[str, Any]
    lead: Unit | None
    co: list[Unit]
    time_limit: dt.date | None


class _Rollback(Exception):
    """Raised inside the transaction when any row failed, so that nothing is kept."""


# Reading -------------------------------------------------------------------------------------


def _header(value: Any) -> str:
    # Templates mark required columns with an asterisk: 「事项名称*」.
    return str(value or "").strip().rstrip("*＊").strip()


def _find_header(lines: list[Sequence[Any]]) -> int | None:
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if TITLE in [_header(value) for value in line]:
            return index
    return None


def _rows(lines: list[Sequence[Any]], at: int) -> list[Row]:
    headers = [_header(value) for value in lines[at]]
    rows = []
    for number, line in enumerate(lines[at + 1 :], start=at + 2):
        values = {h: v for h, v in zip(headers, line, strict=False) if h and h not in DERIVED}
        if any(str(v).strip() for v in values.values() if v is not None):
            rows.append(Row(number, values))
    return rows


def _read_lines(data: bytes) -> list[Sequence[Any]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(data: bytes) -> tuple[list[Row], list[RowError]]:
    """The data rows of the first sheet, or the file-level errors."""
    if not data.startswith(XLSX_MAGIC):
        return [], [RowError(0, "", _("请上传 .xlsx 格式的台账文件(旧版 .xls 请先另存为 .xlsx)。"))]
    try:
        lines = _read_lines(data)
    except Exception:  # openpyxl raises assorted errors for damaged workbooks
        return [], [RowError(0, "", _("无法读取文件,文件可能已损坏。"))]
    at = _find_header(lines)
    if at is None:
        return [], [RowError(1, "", _("未找到「事项名称」列,请使用导入模板。"))]
    headers = [_header(value) for value in lines[at]]
    missing = [column for column in REQUIRED if column not in headers]
    errors = [
        RowError(at + 1, column, _("缺少必需的列「%(column)s」。") % {"column": column})
        for column in missing
    ]
    return _rows(lines, at), errors


# Values --------------------------------------------------------------------------------------


def source_map() -> dict[str, str]:
    """Chinese label, current-language label, stored value or a common alias → stored value."""
    mapping = {str(value): str(value) for value in ItemSource.values}
    mapping.update({str(label): value for value, label in ItemSource.choices})
    with translation.override("zh-hans"):
        mapping.update({str(label): value for value, label in ItemSource.choices})
    mapping.update({alias: str(value) for alias, value in SOURCE_ALIASES.items()})
    return mapping


def source_labels() -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in ItemSource.labels)


def parse_date(value: Any) -> dt.date | None:
    """An Excel date cell, an Excel serial number, or text 2026-05-31 / 2026年5月31日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in EXCEL_SERIALS:
            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else None
        return None
    match = DATE_RE.match(str(value or "").strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class UnitIndex:
    """Active units by code, full name and short name, read once for the whole file."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.by_key: dict[str, list[Unit]] = {}
        for unit in units:
            for key in {unit.code, unit.name, unit.short_name}:
                if key:
                    self.by_key.setdefault(key.strip(), []).append(unit)

    def find(self, text: str) -> tuple[Unit | None, str]:
        """(unit, "") or (None, the Chinese reason)."""
        found = self.by_key.get(text.strip(), [])
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("单位「%(unit)s」不存在或已停用。") % {"unit": text}
        codes = "、".join(unit.code for unit in found)
        return None, _("单位「%(unit)s」对应多个单位(%(codes)s),请填写单位编码。") % {
            "unit": text,
            "codes": codes,
        }


# Importing -----------------------------------------------------------------------------------


class _Importer:
    def __init__(self, actor: User | None, owner_unit: Unit) -> None:
        self.actor = actor
        self.owner_unit = owner_unit
        self.result = ImportResult()
        self.sources = source_map()
        self.units = UnitIndex(Unit.objects.filter(active=True))

    def error(self, row: Row, column: str, message: str) -> None:
        self.result.errors.append(RowError(row.number, column, message))

    def refused(self, row: Row, error: Exception) -> None:
        """Report an action's ValidationError or PermissionDenied against the right column."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.error(row, FIELD_COLUMNS.get(name, TITLE), message)
        elif isinstance(error, ValidationError):
            for message in error.messages:
                self.error(row, TITLE, message)
        else:
            self.error(row, TITLE, str(error) or _("您没有权限执行此操作。"))

    def source(self, row: Row) -> str:
        label = row.text(SOURCE)
        if not label:
            self.error(row, SOURCE, _("来源不能为空。"))
            return ""
        value = self.sources.get(label, "")
        if not value:
            message = _("来源「%(value)s」不存在,须为以下之一:%(names)s。") % {
                "value": label,
                "names": source_labels(),
            }
            self.error(row, SOURCE, message)
        return value

    def doc_number(self, row: Row, source: str) -> str:
        text = normalise_doc_number(row.text(DOC))
        if text and source == ItemSource.DOCUMENT and not DOC_RE.match(text):
            self.error(row, DOC, doc_number_error(row.text(DOC)))
        return text

    def lead(self, row: Row) -> Unit | None:
        text = row.text(LEAD)
        if not text:
            return None
        unit, reason = self.units.find(text)
        if unit is None:
            self.error(row, LEAD, reason)
        return unit

    def co_units(self, row: Row, has_lead: bool) -> list[Unit]:
        names = [part.strip() for part in UNIT_SEPARATORS.split(row.text(CO)) if part.strip()]
        if names and not has_lead and not row.text(LEAD):
            self.error(row, CO, _("填写协办单位时须同时填写主办单位。"))
        found = []
        for name in names:
            unit, reason = self.units.find(name)
            if unit is None:
                self.error(row, CO, reason)
            else:
                found.append(unit)
        return found

    def time_limit(self, row: Row) -> dt.date | None:
        value = row.values.get(LIMIT)
        if value is None or str(value).strip() == "":
            return None
        day = parse_date(value)
        if day is None:
            message = _("「%(value)s」不是有效日期,请写作 2026-05-31 或 2026年5月31日。")
            self.error(row, LIMIT, message % {"value": row.text(LIMIT)})
        return day

    def tags(self, row: Row) -> list[str]:
        try:
            return tagging.parse_tags(row.text(TAGS))
        except ValidationError as error:
            self.refused(row, error)
            return []

    def parse(self, row: Row) -> Parsed | None:
        before = len(self.result.errors)
        title = row.text(TITLE)
        if not title:
            self.error(row, TITLE, _("事项名称不能为空。"))
        source = self.source(row)
        lead = self.lead(row)
        co = self.co_units(row, lead is not None)
        limit = self.time_limit(row)
        fields = {
            "title": title,
            "source": source,
            "doc_number": self.doc_number(row, source),
            "responsible_leader": row.text(LEADER),
            "owner_name": row.text(OWNER),
            "content": f"{PROGRESS_PREFIX}{row.text(PROGRESS)}" if row.text(PROGRESS) else "",
            "tags": self.tags(row),
        }
        if len(self.result.errors) != before:
            return None
        return Parsed(fields, lead, co, limit)

    def import_row(self, row: Row) -> None:
        parsed = self.parse(row)
        if parsed is None:
            return
        try:
            self.save(parsed)
        except (ValidationError, PermissionDenied) as error:
            self.refused(row, error)

    def save(self, parsed: Parsed) -> None:
        # A savepoint per row: a refused assignment leaves no half-made item behind.
        with transaction.atomic():
            # Not strict: the ten columns cannot carry a source's own facts (批示领导, 会议类型 …);
            # the office completes them on the item's edit page (items/intake.py).
            item = actions.create_item(
                actor=self.actor,
                owner_unit=self.owner_unit,
                time_limit=parsed.time_limit,
                strict=False,
                **parsed.fields,
            )
            if parsed.lead is not None:
                self.assign(item, parsed)
        self.result.created += 1

    def assign(self, item: Item, parsed: Parsed) -> None:
        actions.assign(
            item,
            actor=self.actor,
            lead_unit=parsed.lead,
            co_units=parsed.co,
            time_limit=parsed.time_limit,
        )
        self.result.assigned += 1


def import_items(
    data: bytes,
    *,
    actor: User | None,
    owner_unit: Unit,
    filename: str = "",
    callback: ProgressCallback | None = None,
    bar: bool = False,
) -> ImportResult:
    """Import the 台账's rows as items of `owner_unit`; on any error nothing is kept."""
    require(actor, "item", "change", owner_unit)
    rows, errors = read_rows(data)
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        return ImportResult(errors=[RowError(0, "", _("文件中没有任何事项。"))])
    importer = _Importer(actor, owner_unit)
    try:
        with transaction.atomic():
            for row in track(rows, total=len(rows), label=_("导入"), callback=callback, bar=bar):
                importer.import_row(row)
            if not importer.result.ok:
                raise _Rollback
            _record(actor, owner_unit, filename, importer.result)
    except _Rollback:
        importer.result.created = importer.result.assigned = 0
    return importer.result


def _record(actor: User | None, owner_unit: Unit, filename: str, result: ImportResult) -> None:
    record(
        EventType.ITEMS_IMPORTED,
        actor=actor,
        unit=owner_unit,
        details={"file": filename[:200], "created": result.created, "assigned": result.assigned},
    )


# Template ------------------------------------------------------------------------------------


def _notes() -> list[tuple[str, str, str]]:
    must, may = _("必填"), _("选填")
    return [
        (NUMBER, may, _("仅便于核对,不导入")),
        (TITLE, must, _("例如 推进老旧小区改造")),
        (SOURCE, must, source_labels()),
        (DOC, may, _("例如 济政办发〔2016〕30号;来源为重要文件时按此格式校验")),
        (LEAD, may, _("单位编码、全称或简称;填写则导入后即交办")),
        (CO, may, _("可填多个,用 、 或 , 分隔;须同时填写主办单位")),
        (LEADER, may, _("例如 张副市长")),
        (OWNER, may, _("例如 李科长")),
        (LIMIT, may, _("日期,例如 2026-05-31 或 2026年5月31日;留空则按来源的期限规则计算")),
        (PROGRESS, may, _("导入时的进展情况,记入事项内容")),
        (TAGS, may, _("可填多个,用 、 或 , 分隔,每个不超过 20 个字,最多 10 个")),
    ]


def build_template() -> bytes:
    """An empty 台账 with the header row and a 说明 sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet  # noqa: S101
    sheet.title = _("督查事项")
    sheet.append([*HEADERS, *OPTIONAL])
    for index, header in enumerate((*HEADERS, *OPTIONAL), start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        width = 40 if header in (TITLE, PROGRESS) else 16
        sheet.column_dimensions[get_column_letter(index)].width = width
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("列名"), _("是否必填"), _("说明")])
    for line in _notes():
        notes.append(list(line))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
