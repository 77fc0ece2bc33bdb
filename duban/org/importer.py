"""Import units and people from an XLSX or CSV file: every row checked, all or nothing.

Each row goes through the actions (create_unit, update_unit, create_user, update_user,
grant_role), so permissions, validation and audit events are the same as on the pages. The whole
import runs in one transaction; if any row has an error it is rolled back after every row has
been tried, so the person sees all the problems at once and can fix the file in one go.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core.progress import ProgressCallback, track
from duban.org import actions
from duban.org.access import require
from duban.org.models import Membership, Role, Unit, UnitKind, User

UNIT_SHEET = "单位"
PERSON_SHEET = "人员"

# Column headers are the file format, so they stay Chinese whatever the page language.
CODE, NAME, SHORT, KIND, PARENT, ACTIVE = (
    "单位编码",
    "单位名称",
    "简称",
    "单位类型",
    "上级单位编码",
    "启用",
)
USERNAME, FULL_NAME, PHONE, TITLE = "账号", "姓名", "手机号码", "职务"
UNIT_CODE, ROLES, SCOPE, PASSWORD = "单位编码", "角色", "管辖范围编码", "初始密码"

UNIT_HEADERS = (CODE, NAME, SHORT, KIND, PARENT, ACTIVE)
UNIT_REQUIRED = (CODE, NAME, KIND)
PERSON_HEADERS = (USERNAME, FULL_NAME, PHONE, TITLE, UNIT_CODE, ROLES, SCOPE, PASSWORD)
PERSON_REQUIRED = (USERNAME, FULL_NAME, UNIT_CODE, ROLES)

# The actions name the model field that failed; these name the column the person must fix.
UNIT_FIELD_COLUMNS = {
    "code": CODE,
    "name": NAME,
    "short_name": SHORT,
    "kind": KIND,
    "parent": PARENT,
    "active": ACTIVE,
}
PERSON_FIELD_COLUMNS = {
    "username": USERNAME,
    "full_name": FULL_NAME,
    "phone": PHONE,
    "title": TITLE,
    "password": PASSWORD,
    "role": ROLES,
    "unit": UNIT_CODE,
    "scope": SCOPE,
}

ROLE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
YES = {"是", "y", "yes", "true", "1", "启用"}
NO = {"否", "n", "no", "false", "0", "停用"}
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class RowError:
    """One problem, located as the person sees it in the spreadsheet (row 0: the whole file)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(row)d行") % {"row": self.row} if self.row else _("文件")
        column = f" [{self.column}]" if self.column else ""
        sheet = f"{self.sheet} " if self.sheet else ""
        return f"{sheet}{where}{column} {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportResult:
    units: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in (self.units, self.people))

    def summary(self) -> str:
        return _(
            "单位:新增 %(uc)d 个,更新 %(uu)d 个,未变 %(un)d 个;"
            "人员:新增 %(pc)d 人,更新 %(pu)d 人,未变 %(pn)d 人。"
        ) % {
            "uc": self.units.created,
            "uu": self.units.updated,
            "un": self.units.unchanged,
            "pc": self.people.created,
            "pu": self.people.updated,
            "pn": self.people.unchanged,
        }


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def has(self, column: str) -> bool:
        return column in self.values


@dataclass
class Sheet:
    name: str
    kind: str  # UNIT_SHEET or PERSON_SHEET
    headers: list[str]
    rows: list[Row]


class _Rollback(Exception):
    """Raised inside the transaction when any row failed, so that nothing is kept."""


# Reading -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    # Excel stores codes and phone numbers typed as digits as floats: 13800138000.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(value: Any) -> str:
    # Templates sometimes mark required columns with an asterisk: 「单位编码*」.
    return _cell(value).rstrip("*＊").strip()


def _sheet_kind(name: str, headers: list[str]) -> str | None:
    if name in (UNIT_SHEET, PERSON_SHEET):
        return name
    if USERNAME in headers:
        return PERSON_SHEET
    if NAME in headers:
        return UNIT_SHEET
    return None


def _make_sheet(name: str, lines: Iterable[Iterable[Any]]) -> Sheet | None:
    """A sheet of a known kind from its rows; the first row is the header row."""
    iterator = iter(lines)
    first = next(iterator, None)
    headers = [_header(value) for value in first or ()]
    kind = _sheet_kind(name, headers)
    if kind is None:
        return None
    rows = []
    for number, line in enumerate(iterator, start=2):
        cells = [_cell(value) for value in line]
        if any(cells):
            values = {h: v for h, v in zip(headers, cells, strict=False) if h}
            rows.append(Row(name or kind, number, values))
    return Sheet(name=name, kind=kind, headers=headers, rows=rows)


def _read_xlsx(data: bytes) -> list[Sheet]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = [_make_sheet(ws.title, ws.iter_rows(values_only=True)) for ws in workbook]
    finally:
        workbook.close()
    return [sheet for sheet in sheets if sheet is not None]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # WPS and Excel in China save 「CSV」 in the local code page.
        return data.decode("gb18030")


def _read_csv(data: bytes) -> list[Sheet]:
    lines = list(csv.reader(io.StringIO(_decode(data))))
    headers = [_header(value) for value in lines[0]] if lines else []
    kind = _sheet_kind("", headers)
    sheet = _make_sheet(kind or "", lines)
    return [sheet] if sheet is not None else []


def read_sheets(data: bytes) -> tuple[list[Sheet], list[RowError]]:
    """The unit and person sheets of the file, units first, or the file-level errors."""
    if data.startswith(XLS_MAGIC):
        return [], [
            RowError("", 0, "", _("不支持旧版 .xls 文件,请另存为 .xlsx 或 .csv 后再导入。"))
        ]
    try:
        sheets = _read_xlsx(data) if data.startswith(XLSX_MAGIC) else _read_csv(data)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError):
        return [], [RowError("", 0, "", _("无法读取文件,请使用 .xlsx 或 UTF-8 编码的 .csv 文件。"))]
    except Exception:  # openpyxl raises assorted errors for damaged workbooks
        return [], [RowError("", 0, "", _("无法读取文件,文件可能已损坏。"))]
    if not sheets:
        message = _("未找到「单位」或「人员」表头,请使用导入模板。")
        return [], [RowError("", 1, "", message)]
    sheets.sort(key=lambda sheet: sheet.kind != UNIT_SHEET)
    return sheets, _header_errors(sheets)


def _header_errors(sheets: list[Sheet]) -> list[RowError]:
    errors = []
    for sheet in sheets:
        required = UNIT_REQUIRED if sheet.kind == UNIT_SHEET else PERSON_REQUIRED
        for column in required:
            if column not in sheet.headers:
                message = _("缺少必需的列「%(column)s」。") % {"column": column}
                errors.append(RowError(sheet.name or sheet.kind, 1, column, message))
    return errors


# Values --------------------------------------------------------------------------------------


def _label_map(choices: type[UnitKind] | type[Role]) -> dict[str, str]:
    """Chinese label, current-language label or stored value → stored value."""
    mapping = {str(value): str(value) for value in choices.values}
    mapping.update({str(label): value for value, label in choices.choices})
    with translation.override("zh-hans"):
        mapping.update({str(label): value for value, label in choices.choices})
    return mapping


def _labels(choices: type[UnitKind] | type[Role]) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in choices.labels)


def _flag(value: str) -> bool | None:
    lowered = value.strip().lower()
    if not lowered or lowered in YES:
        return True
    if lowered in NO:
        return False
    return None


# Importing -----------------------------------------------------------------------------------


class _Importer:
    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.result = ImportResult()
        self.failed_units: set[str] = set()
        self.seen_people: set[str] = set()
        self.kinds = _label_map(UnitKind)
        self.roles = _label_map(Role)

    def error(self, row: Row, column: str, message: str) -> None:
        self.result.errors.append(RowError(row.sheet, row.number, column, message))

    def refused(self, row: Row, error: Exception, columns: dict[str, str], default: str) -> None:
        """Report an action's ValidationError or PermissionDenied against the right column."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.error(row, columns.get(name, default), message)
        elif isinstance(error, ValidationError):
            for message in error.messages:
                self.error(row, default, message)
        else:
            self.error(row, default, str(error) or _("您没有权限执行此操作。"))

    def import_row(self, row: Row) -> None:
        raise NotImplementedError

    def required(self, row: Row, column: str) -> str:
        value = row.get(column)
        if not value:
            self.error(row, column, _("%(column)s不能为空。") % {"column": column})
        return value

    def unit_by_code(self, row: Row, column: str, code: str) -> Unit | None:
        unit = Unit.objects.filter(code=code).first()
        if unit is None and code not in self.failed_units:
            self.error(row, column, _("单位编码 %(code)s 不存在。") % {"code": code})
        return unit


class _UnitImporter(_Importer):
    def order(self, sheets: list[Sheet]) -> list[Row]:
        """Unit rows with every in-file parent before its children; duplicates and cycles
        reported. Files are rarely sorted by level, so a parent may appear after its child."""
        by_code: dict[str, Row] = {}
        for sheet in sheets:
            for row in sheet.rows:
                self.index(row, by_code)
        ordered: list[Row] = []
        placed: set[str] = set()
        for code in by_code:
            chain = self.chain(code, by_code, placed)
            ordered.extend(by_code[c] for c in reversed(chain))
            placed.update(chain)
        return ordered

    def index(self, row: Row, by_code: dict[str, Row]) -> None:
        code = self.required(row, CODE)
        if not code:
            return
        if code in by_code:
            first = by_code[code].number
            message = _("单位编码 %(code)s 与第%(row)d行重复。") % {"code": code, "row": first}
            self.error(row, CODE, message)
            return
        by_code[code] = row

    def chain(self, code: str, by_code: dict[str, Row], placed: set[str]) -> list[str]:
        """`code` and its not yet placed in-file ancestors, nearest first."""
        chain: list[str] = []
        current = code
        while current in by_code and current not in placed and current not in chain:
            chain.append(current)
            current = by_code[current].get(PARENT)
        if current in chain:
            cycle = chain[chain.index(current) :]
            path = " → ".join([*cycle, current])
            for member in cycle:
                message = _("上级单位形成循环:%(path)s。") % {"path": path}
                self.error(by_code[member], PARENT, message)
                self.failed_units.add(member)
        return chain

    def fields(self, row: Row) -> dict[str, Any] | None:
        before = len(self.result.errors)
        fields: dict[str, Any] = {"name": self.required(row, NAME)}
        if row.has(SHORT):
            fields["short_name"] = row.get(SHORT)
        kind_label = self.required(row, KIND)
        fields["kind"] = self.kinds.get(kind_label, "")
        if kind_label and not fields["kind"]:
            message = _("单位类型须为以下之一:%(names)s。") % {"names": _labels(UnitKind)}
            self.error(row, KIND, message)
        if row.has(ACTIVE):
            fields["active"] = _flag(row.get(ACTIVE))
            if fields["active"] is None:
                self.error(row, ACTIVE, _("启用须填「是」或「否」。"))
        return fields if len(self.result.errors) == before else None

    def parent(self, row: Row) -> tuple[bool, Unit | None]:
        """(found, parent): a blank parent is a root unit."""
        code = row.get(PARENT)
        if not code:
            return True, None
        parent = self.unit_by_code(row, PARENT, code)
        return parent is not None, parent

    def import_row(self, row: Row) -> None:
        code = row.get(CODE)
        if code in self.failed_units:
            return
        fields = self.fields(row)
        found, parent = self.parent(row)
        if fields is None or not found:
            self.failed_units.add(code)
            return
        try:
            self.save(code, parent, fields)
        except (ValidationError, PermissionDenied) as error:
            self.refused(row, error, UNIT_FIELD_COLUMNS, CODE)
            self.failed_units.add(code)

    def save(self, code: str, parent: Unit | None, fields: dict[str, Any]) -> None:
        counts = self.result.units
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            actions.create_unit(actor=self.actor, code=code, parent=parent, **fields)
            counts.created += 1
            return
        before = _unit_state(unit)
        actions.update_unit(unit, actor=self.actor, parent=parent, **fields)
        if _unit_state(unit) == before:
            counts.unchanged += 1
        else:
            counts.updated += 1


def _unit_state(unit: Unit) -> tuple[Any, ...]:
    return (unit.name, unit.short_name, unit.kind, unit.active, unit.parent_id)


class _PersonImporter(_Importer):
    def role_values(self, row: Row) -> list[str]:
        labels = [part for part in ROLE_SEPARATORS.split(self.required(row, ROLES)) if part]
        values = []
        for label in labels:
            if label in self.roles:
                values.append(self.roles[label])
            else:
                names = _labels(Role)
                message = _("角色「%(role)s」不存在,须为以下之一:%(names)s。") % {
                    "role": label,
                    "names": names,
                }
                self.error(row, ROLES, message)
        return values

    def username(self, row: Row) -> str:
        username = self.required(row, USERNAME)
        if username.lower() in self.seen_people:
            self.error(row, USERNAME, _("账号 %(name)s 在文件中重复。") % {"name": username})
        self.seen_people.add(username.lower())
        return username

    def units(self, row: Row) -> tuple[Unit | None, Unit | None]:
        code = self.required(row, UNIT_CODE)
        unit = self.unit_by_code(row, UNIT_CODE, code) if code else None
        scope_code = row.get(SCOPE)
        scope = self.unit_by_code(row, SCOPE, scope_code) if scope_code else unit
        return unit, scope

    def import_row(self, row: Row) -> None:
        before = len(self.result.errors)
        username = self.username(row)
        self.required(row, FULL_NAME)
        unit, scope = self.units(row)
        roles = self.role_values(row)
        if len(self.result.errors) != before or unit is None or scope is None:
            return
        try:
            self.save(row, username, unit, scope, roles)
        except (ValidationError, PermissionDenied) as error:
            self.refused(row, error, PERSON_FIELD_COLUMNS, USERNAME)

    def save(self, row: Row, username: str, unit: Unit, scope: Unit, roles: list[str]) -> None:
        changes = {"full_name": row.get(FULL_NAME)}
        changes.update(
            {f: row.get(c) for f, c in (("phone", PHONE), ("title", TITLE)) if row.has(c)}
        )
        user = User.objects.filter(username__iexact=username).first()
        counts = self.result.people
        if user is None:
            # 初始密码 is only for new accounts: re-importing must not reset anyone's password.
            user = actions.create_user(
                actor=self.actor,
                username=username,
                full_name=changes["full_name"],
                phone=changes.get("phone", ""),
                title=changes.get("title", ""),
                password=row.get(PASSWORD) or None,
            )
            self.grant(user, unit, scope, roles)
            counts.created += 1
            return
        before = _person_state(user)
        actions.update_user(user, actor=self.actor, **changes)
        self.grant(user, unit, scope, roles)
        if _person_state(user) == before:
            counts.unchanged += 1
        else:
            counts.updated += 1

    def grant(self, user: User, unit: Unit, scope: Unit, roles: list[str]) -> None:
        for role in roles:
            actions.grant_role(user, unit, role, actor=self.actor, scope=scope)


def _person_state(user: User) -> tuple[Any, ...]:
    memberships = Membership.objects.filter(user=user).values_list(
        "unit", "role", "scope", "active"
    )
    return (user.full_name, user.phone, user.title, frozenset(memberships))


def import_org(
    data: bytes,
    *,
    actor: User | None,
    filename: str = "",
    callback: ProgressCallback | None = None,
    bar: bool = False,
) -> ImportResult:
    """Import the file's units then people; on any error nothing is kept and all are returned."""
    require(actor, "unit", "manage")
    require(actor, "user", "manage")
    sheets, errors = read_sheets(data)
    if errors:
        return ImportResult(errors=errors)
    units, people = _UnitImporter(actor), _PersonImporter(actor)
    unit_rows = units.order([s for s in sheets if s.kind == UNIT_SHEET])
    person_rows = [row for s in sheets if s.kind == PERSON_SHEET for row in s.rows]
    work: list[tuple[_Importer, Row]] = [(units, r) for r in unit_rows]
    work += [(people, r) for r in person_rows]
    # People refer to units that failed in this file: say nothing more about them.
    people.failed_units = units.failed_units
    try:
        with transaction.atomic():
            for importer, row in track(
                work, total=len(work), label=_("导入"), callback=callback, bar=bar
            ):
                importer.import_row(row)
            result = _merge(units.result, people.result)
            if not result.ok:
                raise _Rollback
            if result.changed:  # a re-import that changes nothing leaves no trace
                _record(actor, filename, result)
    except _Rollback:
        pass
    # Stable sort: within a row, errors stay in the order the columns were checked.
    result.errors.sort(key=lambda e: (e.sheet != UNIT_SHEET, e.sheet, e.row))
    return result


def _merge(units: ImportResult, people: ImportResult) -> ImportResult:
    return ImportResult(
        units=units.units, people=people.people, errors=units.errors + people.errors
    )


def _record(actor: User | None, filename: str, result: ImportResult) -> None:
    record(
        EventType.ORG_IMPORTED,
        actor=actor,
        details={
            "file": filename[:200],
            "units": result.units.as_dict(),
            "people": result.people.as_dict(),
        },
    )


# Template ------------------------------------------------------------------------------------


def _notes() -> list[tuple[str, str, str, str]]:
    kinds, roles = _labels(UnitKind), _labels(Role)
    must, may = _("必填"), _("选填")
    return [
        (UNIT_SHEET, CODE, must, _("字母、数字或 _ . -,全市唯一,例如 T-FGW")),
        (UNIT_SHEET, NAME, must, _("例如 市发展和改革委员会")),
        (UNIT_SHEET, SHORT, may, _("例如 市发改委")),
        (UNIT_SHEET, KIND, must, kinds),
        (
            UNIT_SHEET,
            PARENT,
            may,
            _("上级单位的编码,可为本文件中或系统中已有的单位;留空为顶级单位"),
        ),
        (UNIT_SHEET, ACTIVE, may, _("是 或 否,默认为 是")),
        (PERSON_SHEET, USERNAME, must, _("登录账号,字母、数字或 _ . @ + -")),
        (PERSON_SHEET, FULL_NAME, must, _("例如 张三")),
        (PERSON_SHEET, PHONE, may, _("11 位手机号或带区号的固定电话")),
        (PERSON_SHEET, TITLE, may, _("例如 科长")),
        (PERSON_SHEET, UNIT_CODE, must, _("所在单位的编码")),
        (PERSON_SHEET, ROLES, must, _("以下之一或多个,用 、 分隔:") + roles),
        (PERSON_SHEET, SCOPE, may, _("该角色管辖的单位编码,留空即所在单位")),
        (PERSON_SHEET, PASSWORD, may, _("仅用于新建账号;留空则须由管理员另行设置密码")),
    ]


def build_template() -> bytes:
    """An empty workbook with both sheets' headers and a 说明 sheet explaining each column."""
    workbook = Workbook()
    units = workbook.active
    assert units is not None  # a new Workbook always has one sheet  # noqa: S101
    units.title = UNIT_SHEET
    people = workbook.create_sheet(PERSON_SHEET)
    notes = workbook.create_sheet(_("说明"))
    for sheet, headers in ((units, UNIT_HEADERS), (people, PERSON_HEADERS)):
        sheet.append(list(headers))
        for index in range(1, len(headers) + 1):
            sheet.cell(row=1, column=index).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = 16
    notes.append([_("表"), _("列名"), _("是否必填"), _("说明")])
    for line in _notes():
        notes.append(list(line))
    notes.column_dimensions["B"].width = 16
    notes.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
