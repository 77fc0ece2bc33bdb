"""Loading a year's arrangement from the State Council's notice (issue 3 item 3).

The notice lists holiday runs and swapped working days (调休上班). An administrator types them as
lines (`春节 2027-02-06 2027-02-13`, `调休上班 2027-02-14`) or uploads a CSV/XLSX file with the
columns 名称, 开始日期, 结束日期, 调休上班日期. Everything is checked first and every problem is
reported with its line and field; `preview` shows what would change; `apply_year` stores the
year as one calendar version with one audit event, and marks it official (no longer 暂定).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from duban.audit.log import record
from duban.audit.types import EventType
from duban.org.access import require
from duban.workdays.actions import new_version
from duban.workdays.arrays import HORIZON_FIRST, HORIZON_LAST, WEEKDAYS, is_weekend
from duban.workdays.calendars import calendar_for
from duban.workdays.models import (
    CalendarVersion,
    CalendarYear,
    DayOverride,
    Region,
    YearState,
)

# Column headers are the file format, so they stay Chinese whatever the page language.
NAME, START, END, SWAP = "名称", "开始日期", "结束日期", "调休上班日期"
SWAP_WORD = "调休上班"
SOURCE_FIELD = "文号"
MAX_RUN_DAYS = 31  # no statutory holiday run comes close; a longer one is a typing mistake
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
SPLIT_RE = re.compile(r"[\s,，、;；]+")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class LineError:
    """One problem: `line` is the text line or the file row (0 for the whole input)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"「{self.field}」:{self.message}"
        return _("第%(line)d行「%(field)s」:%(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class Entry:
    """A holiday run (is_workday False) or one swapped working day (start == end)."""

    line: int
    name: str
    start: dt.date
    end: dt.date
    is_workday: bool

    def dates(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=i) for i in range(count)]

    def as_line(self) -> str:
        if self.is_workday:
            return f"{self.name} {self.start.isoformat()}"
        return f"{self.name} {self.start.isoformat()} {self.end.isoformat()}"


class ArrangementError(ValueError):
    """Every problem found in the input, in line order."""

    def __init__(self, errors: Sequence[LineError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Arrangement:
    year: int
    source: str
    entries: list[Entry]

    def days(self) -> dict[dt.date, tuple[bool, str]]:
        """Every listed date with (is_workday, name); weekend days inside a run keep its name."""
        return {day: (e.is_workday, e.name) for e in self.entries for day in e.dates()}

    def as_text(self) -> str:
        """The canonical lines: a file's content travels to the confirm step as text."""
        return "\n".join(entry.as_line() for entry in self.entries)


# Parsing ------------------------------------------------------------------------------------


def _parse_date(value: Any, line: int, field: str, errors: list[LineError]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    match = DATE_RE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    if not text:
        errors.append(LineError(line, field, _("不能为空。")))
    else:
        message = _("「%(value)s」不是有效日期,请写作 2027-01-01。") % {"value": text}
        errors.append(LineError(line, field, message))
    return None


def _is_swap(name: str) -> bool:
    return name.endswith(SWAP_WORD) or name == "调休" or name == "上班"


def _swap_name(name: str) -> str:
    """`调休上班` alone is named after its holiday later (`_name_swaps`)."""
    if _is_swap(name):
        return name if name.endswith(SWAP_WORD) and name != SWAP_WORD else SWAP_WORD
    return f"{name}{SWAP_WORD}" if name else SWAP_WORD


def _text_entry(number: int, tokens: list[str], errors: list[LineError]) -> Entry | None:
    name = tokens[0]
    if _is_swap(name):
        if len(tokens) != 2:
            errors.append(LineError(number, SWAP, _("调休上班行须写作「调休上班 2027-02-14」。")))
            return None
        day = _parse_date(tokens[1], number, SWAP, errors)
        return Entry(number, _swap_name(name), day, day, True) if day else None
    if len(tokens) not in (2, 3):
        message = _("假日行须写作「名称 开始日期 结束日期」,如「春节 2027-02-06 2027-02-13」。")
        errors.append(LineError(number, NAME, message))
        return None
    start = _parse_date(tokens[1], number, START, errors)
    end = _parse_date(tokens[-1], number, END, errors) if len(tokens) == 3 else start
    return Entry(number, name, start, end, False) if start and end else None


def parse_text(text: str) -> tuple[list[Entry], list[LineError]]:
    entries: list[Entry] = []
    errors: list[LineError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        tokens = [t for t in SPLIT_RE.split(raw.strip()) if t]
        if tokens and not raw.lstrip().startswith("#"):
            entry = _text_entry(number, tokens, errors)
            if entry is not None:
                entries.append(entry)
    return entries, errors


def _row_entry(number: int, row: dict[str, Any], errors: list[LineError]) -> Entry | None:
    name = str(row.get(NAME) or "").strip()
    has_range = bool(row.get(START) or row.get(END))
    if row.get(SWAP) and has_range:
        message = _("同一行不能既填假日日期又填调休上班日期,请分两行填写。")
        errors.append(LineError(number, SWAP, message))
        return None
    if row.get(SWAP) or _is_swap(name):
        day = _parse_date(row.get(SWAP), number, SWAP, errors)
        return Entry(number, _swap_name(name), day, day, True) if day else None
    if not name:
        errors.append(LineError(number, NAME, _("不能为空。")))
    start = _parse_date(row.get(START), number, START, errors)
    end = _parse_date(row.get(END), number, END, errors) if row.get(END) else start
    return Entry(number, name, start, end, False) if name and start and end else None


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _rows(lines: Iterable[Sequence[Any]]) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Rows keyed by header, numbered as the spreadsheet shows them (the header is row 1)."""
    iterator = iter(lines)
    headers = [str(_cell(h) or "").rstrip("*＊") for h in next(iterator, ())]
    rows = []
    for number, line in enumerate(iterator, start=2):
        values = {h: _cell(v) for h, v in zip(headers, line, strict=False) if h}
        if any(v not in (None, "") for v in values.values()):
            rows.append((number, values))
    return rows, headers


def _read_lines(data: bytes) -> list[Sequence[Any]]:
    if data.startswith(XLSX_MAGIC):
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # WPS and Excel in China save CSV in the local code page
    return list(csv.reader(io.StringIO(text)))


def parse_file(data: bytes) -> tuple[list[Entry], list[LineError]]:
    try:
        rows, headers = _rows(_read_lines(data))
    except Exception:  # any unreadable upload is one message to the person, not a crash
        return [], [LineError(0, _("文件"), _("无法读取文件,请上传 .xlsx 或 UTF-8 编码的 .csv。"))]
    if NAME not in headers or not ({START, SWAP} & set(headers)):
        message = _("第一行须为列名:名称、开始日期、结束日期、调休上班日期。")
        return [], [LineError(1, _("列名"), message)]
    entries: list[Entry] = []
    errors: list[LineError] = []
    for number, row in rows:
        entry = _row_entry(number, row, errors)
        if entry is not None:
            entries.append(entry)
    return entries, errors


# Validation ---------------------------------------------------------------------------------


def _field(entry: Entry, holiday_field: str) -> str:
    return SWAP if entry.is_workday else holiday_field


def _check_entry(entry: Entry, year: int) -> list[LineError]:
    errors = []
    for day, field in ((entry.start, START), (entry.end, END)):
        if day.year != year:
            message = _("%(day)s 不在 %(year)d 年内。") % {"day": day.isoformat(), "year": year}
            errors.append(LineError(entry.line, _field(entry, field), message))
            break
    if entry.start > entry.end:
        errors.append(LineError(entry.line, END, _("结束日期早于开始日期。")))
    elif (entry.end - entry.start).days >= MAX_RUN_DAYS:
        message = _("假期超过 %(n)d 天,请核对日期。") % {"n": MAX_RUN_DAYS}
        errors.append(LineError(entry.line, END, message))
    if entry.is_workday and not is_weekend(entry.start.toordinal()):
        message = _("%(day)s 是星期%(weekday)s,调休上班日须为星期六或星期日。") % {
            "day": entry.start.isoformat(),
            "weekday": WEEKDAYS[entry.start.weekday()],
        }
        errors.append(LineError(entry.line, SWAP, message))
    return errors


def _conflict(entry: Entry, other: Entry) -> LineError:
    """`entry` comes after `other`; the message names the earlier line it collides with."""
    if entry.is_workday != other.is_workday:
        message = _("%(day)s 已在第%(line)d行列为%(what)s,不能同时是假日和调休上班日。")
        what = _("调休上班日") if other.is_workday else _("假日「%(name)s」") % {"name": other.name}
    else:
        message = _("%(day)s 与第%(line)d行%(what)s重叠。")
        what = f"「{other.name}」"
    day = max(entry.start, other.start)
    text = message % {"day": day.isoformat(), "line": other.line, "what": what}
    return LineError(entry.line, _field(entry, START), text)


def _overlaps(entries: list[Entry]) -> list[LineError]:
    """Sorted by start, each entry is checked against the furthest-reaching earlier one."""
    errors = []
    ordered = sorted(entries, key=lambda e: (e.start, e.line))
    reach: Entry | None = None
    for entry in ordered:
        if reach is not None and entry.start <= reach.end:
            later, earlier = (entry, reach) if entry.line > reach.line else (reach, entry)
            errors.append(_conflict(later, earlier))
        if reach is None or entry.end > reach.end:
            reach = entry
    return errors


def validate(entries: list[Entry], year: int) -> list[LineError]:
    if not HORIZON_FIRST.year <= year <= HORIZON_LAST.year:
        bounds = {"first": HORIZON_FIRST.year, "last": HORIZON_LAST.year}
        return [LineError(0, _("年份"), _("年份须在 %(first)d 至 %(last)d 之间。") % bounds)]
    if not entries:
        return [LineError(0, _("放假安排"), _("没有任何放假安排,请逐行填写或上传文件。"))]
    errors = [error for entry in entries for error in _check_entry(entry, year)]
    if not errors:  # overlaps only make sense once every range is well formed
        errors = _overlaps(entries)
    return sorted(errors, key=lambda e: e.line)


def _distance(run: Entry, day: dt.date) -> int:
    return min(abs((run.start - day).days), abs((run.end - day).days))


def _name_swaps(entries: list[Entry]) -> list[Entry]:
    """A bare 调休上班 is named after the nearest holiday run, as chinesecalendar names them."""
    runs = [e for e in entries if not e.is_workday]
    named = []
    for entry in entries:
        if entry.is_workday and entry.name == SWAP_WORD and runs:
            near = min(
                runs,
                key=lambda r: min(
                    abs((r.start - entry.start).days), abs((r.end - entry.start).days)
                ),
            )
            entry = Entry(entry.line, f"{near.name}{SWAP_WORD}", entry.start, entry.end, True)
        named.append(entry)
    return named


def read_arrangement(
    year: int, source: str, *, text: str = "", data: bytes | None = None
) -> Arrangement:
    """Parse and check; raises ArrangementError listing every problem at once."""
    entries, errors = parse_file(data) if data is not None else parse_text(text)
    source = source.strip()
    if not source:
        errors.insert(0, LineError(0, SOURCE_FIELD, _("请填写国务院办公厅通知的文号。")))
    elif len(source) > 100:
        errors.insert(0, LineError(0, SOURCE_FIELD, _("文号不能超过 100 个字。")))
    if entries or not errors:  # every problem at once: well-parsed lines are checked too
        errors = sorted(errors + validate(entries, year), key=lambda e: e.line)
    if errors:
        raise ArrangementError(errors)
    ordered = sorted(_name_swaps(entries), key=lambda e: e.start)
    return Arrangement(year=year, source=source, entries=ordered)


# Preview ------------------------------------------------------------------------------------


class Change:
    HOLIDAY_ADDED = "holiday_added"
    WORKDAY_ADDED = "workday_added"
    UNCHANGED = "unchanged"


CHANGE_LABELS = {
    Change.HOLIDAY_ADDED: "新增休息日",
    Change.WORKDAY_ADDED: "新增上班日",
    Change.UNCHANGED: "不变",
}


@dataclass(frozen=True)
class PreviewRow:
    date: dt.date
    before_workday: bool
    before_name: str
    after_workday: bool
    after_name: str
    change: str

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    @property
    def change_label(self) -> str:
        return _(CHANGE_LABELS[self.change])


@dataclass(frozen=True)
class Preview:
    region: Region
    year: int
    was_provisional: bool
    rows: list[PreviewRow]

    def count(self, change: str) -> int:
        return sum(row.change == change for row in self.rows)

    @property
    def holidays_added(self) -> int:
        return self.count(Change.HOLIDAY_ADDED)

    @property
    def workdays_added(self) -> int:
        return self.count(Change.WORKDAY_ADDED)

    @property
    def unchanged(self) -> int:
        return self.count(Change.UNCHANGED)


def _change(before: bool, after: bool) -> str:
    if before == after:
        return Change.UNCHANGED
    return Change.WORKDAY_ADDED if after else Change.HOLIDAY_ADDED


def preview(arrangement: Arrangement, region: Region) -> Preview:
    """Every date listed before or after, with its state in the calendar now and after applying.

    "Now" is the calendar deadlines use today, so a provisional year shows its fixed holidays
    and a regional year includes the national days it overlays.
    """
    cal = calendar_for(region.code)
    after = arrangement.days()
    dates = set(after) | set(_named_in(cal.named, arrangement.year))
    rows = []
    for day in sorted(dates):
        before_name = cal.named.get(day.toordinal(), (True, ""))[1]
        before = cal.is_workday(day)
        now = after.get(day, (not is_weekend(day.toordinal()), ""))
        rows.append(PreviewRow(day, before, before_name, now[0], now[1], _change(before, now[0])))
    provisional = arrangement.year in cal.provisional_years
    return Preview(region=region, year=arrangement.year, was_provisional=provisional, rows=rows)


def _named_in(named: dict[int, tuple[bool, str]], year: int) -> list[dt.date]:
    first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    return [dt.date.fromordinal(o) for o in named if first <= o <= last]


# Applying -----------------------------------------------------------------------------------


@transaction.atomic
def apply_year(arrangement: Arrangement, region: Region, *, actor: Any) -> CalendarVersion:
    """Replace the region's year with the arrangement: one version, one audit event, official."""
    require(actor, "calendar", "manage")
    changed = [
        row.date.isoformat()
        for row in preview(arrangement, region).rows
        if row.change != Change.UNCHANGED
    ]
    note = _("载入 %(year)d 年放假安排(%(source)s)") % {
        "year": arrangement.year,
        "source": arrangement.source,
    }
    version = new_version(actor=actor, note=note)
    DayOverride.objects.filter(region=region, date__year=arrangement.year).delete()
    DayOverride.objects.bulk_create(
        [
            DayOverride(
                region=region,
                date=day,
                is_workday=is_workday,
                name=name,
                source=arrangement.source,
                entered_by=actor,
                version=version,
            )
            for day, (is_workday, name) in sorted(arrangement.days().items())
        ]
    )
    CalendarYear.objects.update_or_create(
        region=region,
        year=arrangement.year,
        defaults={"state": YearState.OFFICIAL, "source": arrangement.source, "version": version},
    )
    # Provisional item deadlines in the year are recounted in this transaction (issue 4 item 13);
    # imported here because items build on workdays, never the other way round at import time.
    from duban.items.recalc import recalculate_provisional

    recalculate_provisional(arrangement.year, region, actor)
    record(
        EventType.CALENDAR_YEAR_LOADED,
        actor=actor,
        target=version,
        details={
            "region": region.code,
            "year": arrangement.year,
            "source": arrangement.source,
            "entries": arrangement.as_text().splitlines(),
            "changed": changed,
        },
    )
    return version
