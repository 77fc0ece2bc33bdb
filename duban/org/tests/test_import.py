"""Importing units and people: every row checked, every error located, all or nothing."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.org.importer import (
    PERSON_HEADERS,
    UNIT_HEADERS,
    ImportResult,
    import_org,
)
from duban.org.models import Membership, Role, Unit, User

UNIT_ROWS: list[list[Any]] = [
    ["T-JY", "市教育局", "教育局", "部门", "T", "是"],
    # A child before its parent: files are rarely sorted by level.
    ["T-JY-2", "二科", "", "部门", "T-JY-1", ""],
    ["T-JY-1", "一科", "", "部门", "T-JY", "是"],
    ["T-FGW", "市发展和改革委员会", "", "部门", "T", "是"],
]
PERSON_ROWS: list[list[Any]] = [
    [
        "jy_liaison",
        "王五",
        13800138000,
        "科长",
        "T-JY",
        "联络员、单位责任领导",
        "",
        "Duban-Import-2024x",
    ],
    ["jy_office", "赵六", "", "", "T-JY-1", "督查工作人员", "T-JY", ""],
    ["lead_liaison", "张三", "13900139000", "", "T-FGW", "联络员", "", ""],
]


def xlsx(units: list[list[Any]] | None, people: list[list[Any]] | None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, headers, rows in (("单位", UNIT_HEADERS, units), ("人员", PERSON_HEADERS, people)):
        if rows is not None:
            sheet = workbook.create_sheet(title)
            sheet.append(list(headers))
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(headers: tuple[str, ...], rows: list[list[Any]]) -> str:
    lines = [",".join(headers)] + [",".join(str(cell) for cell in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


BAD_UNITS: list[list[Any]] = [
    ["X1", "好单位", "", "部门", "T", ""],  # row 2: fine
    ["X2", "坏类型", "", "局", "T", ""],  # row 3
    ["X3", "无上级", "", "部门", "NOPE", ""],  # row 4
    ["X1", "重复", "", "部门", "T", ""],  # row 5
    ["C1", "循环一", "", "部门", "C2", ""],  # row 6
    ["C2", "循环二", "", "部门", "C1", ""],  # row 7
    ["X4", "", "", "部门", "T", ""],  # row 8
    ["X5", "停用值", "", "部门", "T", "也许"],  # row 9
]
BAD_PEOPLE: list[list[Any]] = [
    ["p1", "甲", "12345", "", "X1", "联络员", "", ""],  # row 2
    ["p2", "乙", "", "", "X1", "联络员、局长", "", ""],  # row 3
    ["p3", "丙", "", "", "NOPE", "联络员", "", ""],  # row 4
    ["p4", "丁", "", "", "X1", "联络员", "", "123"],  # row 5
    ["p5", "", "", "", "X1", "联络员", "", ""],  # row 6
    ["p1", "重复", "", "", "X1", "联络员", "", ""],  # row 7
]
BAD_LOCATIONS = {
    ("单位", 3, "单位类型"),
    ("单位", 4, "上级单位编码"),
    ("单位", 5, "单位编码"),
    ("单位", 6, "上级单位编码"),
    ("单位", 7, "上级单位编码"),
    ("单位", 8, "单位名称"),
    ("单位", 9, "启用"),
    ("人员", 2, "手机号码"),
    ("人员", 3, "角色"),
    ("人员", 4, "单位编码"),
    ("人员", 5, "初始密码"),
    ("人员", 6, "姓名"),
    ("人员", 7, "账号"),
}


class ImportTestCase(PersonaTestCase):
    def counts(self) -> tuple[int, int, int, int]:
        return (
            Unit.objects.count(),
            User.objects.count(),
            Membership.objects.count(),
            Event.objects.count(),
        )

    def run_import(self, data: bytes, actor: User | None = None) -> ImportResult:
        return import_org(data, actor=actor or self.refreshed(self.admin), filename="test")


class GoodFileTests(ImportTestCase):
    def test_xlsx_creates_units_with_parents_and_people_with_roles(self) -> None:
        result = self.run_import(xlsx(UNIT_ROWS, PERSON_ROWS))
        self.assertEqual(result.errors, [])
        self.assertEqual((result.units.created, result.units.updated), (3, 1))
        self.assertEqual((result.people.created, result.people.updated), (2, 1))
        education = Unit.objects.get(code="T-JY")
        self.assertEqual(education.parent, self.city)
        self.assertEqual(education.short_name, "教育局")
        second = Unit.objects.get(code="T-JY-2")
        self.assertEqual(second.parent, Unit.objects.get(code="T-JY-1"))
        self.assertTrue(second.path.startswith(education.path))
        self.assertEqual(Unit.objects.get(code="T-FGW").name, "市发展和改革委员会")

        liaison = User.objects.get(username="jy_liaison")
        self.assertEqual(
            (liaison.full_name, liaison.phone, liaison.title), ("王五", "13800138000", "科长")
        )
        self.assertTrue(liaison.check_password("Duban-Import-2024x"))
        roles = set(liaison.memberships.values_list("role", "unit__code", "scope__code"))
        self.assertEqual(
            roles, {(Role.LIAISON, "T-JY", "T-JY"), (Role.UNIT_LEADER, "T-JY", "T-JY")}
        )
        office = User.objects.get(username="jy_office")
        self.assertFalse(office.has_usable_password())
        self.assertEqual(
            set(office.memberships.values_list("role", "unit__code", "scope__code")),
            {(Role.OFFICE, "T-JY-1", "T-JY")},
        )
        self.assertEqual(User.objects.get(username="lead_liaison").full_name, "张三")

    def test_import_writes_audit_events(self) -> None:
        self.run_import(xlsx(UNIT_ROWS, PERSON_ROWS))
        imported = Event.objects.get(type=EventType.ORG_IMPORTED)
        self.assertEqual(imported.actor_id, self.admin.pk)
        self.assertEqual(imported.details["units"], {"created": 3, "updated": 1, "unchanged": 0})
        self.assertEqual(Event.objects.filter(type=EventType.UNIT_CREATED).count(), 13)
        self.assertTrue(
            Event.objects.filter(type=EventType.ROLE_GRANTED, actor=self.admin).exists()
        )

    def test_reimport_changes_nothing(self) -> None:
        data = xlsx(UNIT_ROWS, PERSON_ROWS)
        self.run_import(data)
        before = self.counts()
        result = self.run_import(data)
        self.assertEqual(result.errors, [])
        self.assertEqual(result.units.unchanged, 4)
        self.assertEqual(result.people.unchanged, 3)
        self.assertEqual(self.counts(), before)

    def test_progress_is_reported_per_row(self) -> None:
        seen: list[tuple[int, int]] = []
        import_org(
            xlsx(UNIT_ROWS, PERSON_ROWS),
            actor=None,
            callback=lambda done, total: seen.append((done, total)),
        )
        self.assertEqual(seen[-1], (7, 7))
        self.assertEqual(len(seen), 7)

    def test_csv_with_utf8_bom(self) -> None:
        text = csv_text(UNIT_HEADERS, UNIT_ROWS)
        result = self.run_import(text.encode("utf-8-sig"))
        self.assertEqual(result.errors, [])
        self.assertEqual(result.units.created, 3)
        self.assertEqual(Unit.objects.get(code="T-JY-1").parent.code, "T-JY")  # type: ignore[union-attr]

    def test_csv_in_gb18030(self) -> None:
        self.run_import(csv_text(UNIT_HEADERS, UNIT_ROWS).encode("gb18030"))
        result = self.run_import(csv_text(PERSON_HEADERS, PERSON_ROWS).encode("gb18030"))
        self.assertEqual(result.errors, [])
        self.assertEqual(User.objects.get(username="jy_office").full_name, "赵六")


class BadFileTests(ImportTestCase):
    def test_every_bad_row_is_reported_and_nothing_is_imported(self) -> None:
        before = self.counts()
        result = self.run_import(xlsx(BAD_UNITS, BAD_PEOPLE))
        self.assertFalse(result.ok)
        located = {(e.sheet, e.row, e.column) for e in result.errors}
        self.assertEqual(located, BAD_LOCATIONS)
        self.assertEqual(self.counts(), before)
        self.assertFalse(Unit.objects.filter(code="X1").exists())

    def test_messages_are_chinese(self) -> None:
        result = self.run_import(xlsx(BAD_UNITS, None))
        messages = {(e.row, e.column): e.message for e in result.errors}
        self.assertIn("NOPE", messages[(4, "上级单位编码")])
        self.assertIn("循环", messages[(6, "上级单位编码")])
        self.assertIn("单位类型须为", messages[(3, "单位类型")])

    def test_moving_a_unit_under_its_own_child_is_refused(self) -> None:
        rows = [["T-FGW", "市发改委", "", "部门", "T-FGW-1", "是"]]
        result = self.run_import(xlsx(rows, None))
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "上级单位编码")])
        self.assertEqual(Unit.objects.get(code="T-FGW").parent, self.city)

    def test_missing_header(self) -> None:
        data = "单位编码,单位名称\r\nT-X,某单位\r\n".encode()
        result = self.run_import(data)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(1, "单位类型")])

    def test_unrecognised_file(self) -> None:
        result = self.run_import("甲,乙\r\n1,2\r\n".encode())
        self.assertFalse(result.ok)
        self.assertIn("表头", result.errors[0].message)

    def test_damaged_xlsx(self) -> None:
        result = self.run_import(b"PK\x03\x04 not really a workbook")
        self.assertEqual(result.errors[0].row, 0)


class CommandTests(ImportTestCase):
    def write(self, directory: str, data: bytes) -> str:
        path = Path(directory) / "org.xlsx"
        path.write_bytes(data)
        return str(path)

    def test_good_file_prints_summary(self) -> None:
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as directory:
            path = self.write(directory, xlsx(UNIT_ROWS, PERSON_ROWS))
            call_command("import_org", path, stdout=out, stderr=err)
        self.assertIn("导入完成", out.getvalue())
        self.assertIn("新增 3 个", out.getvalue())
        self.assertIsNone(Event.objects.get(type=EventType.ORG_IMPORTED).actor_id)

    def test_bad_file_lists_errors_and_fails(self) -> None:
        before = self.counts()
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as directory:
            path = self.write(directory, xlsx(BAD_UNITS, BAD_PEOPLE))
            with self.assertRaises(CommandError) as raised:
                call_command("import_org", path, stdout=out, stderr=err)
        self.assertIn("未导入任何数据", str(raised.exception))
        self.assertIn("第3行 [单位类型]", err.getvalue())
        self.assertIn("第2行 [手机号码]", err.getvalue())
        self.assertEqual(self.counts(), before)

    def test_template_option_writes_workbook(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "template.xlsx"
            call_command("import_org", "--template", str(path), stdout=io.StringIO())
            workbook = load_workbook(path)
        self.assertEqual(workbook.sheetnames[:2], ["单位", "人员"])


class PageTests(ImportTestCase):
    url = reverse("org:import")

    def upload(self, user: User, data: bytes, name: str = "org.xlsx") -> Any:
        file = SimpleUploadedFile(name, data)
        return self.client_for(user).post(self.url, {"file": file}, HTTP_HX_REQUEST="true")

    def test_admin_sees_form_and_template_link(self) -> None:
        response = self.client_for(self.admin).get(self.url)
        self.assertContains(response, reverse("org:import_template"))
        self.assertContains(response, 'hx-encoding="multipart/form-data"')
        self.assertContains(response, "progress-bar")

    def test_good_upload_shows_summary(self) -> None:
        response = self.upload(self.admin, xlsx(UNIT_ROWS, PERSON_ROWS))
        self.assertContains(response, 'id="import-summary"')
        self.assertContains(response, "新增 3 个")
        self.assertTrue(Unit.objects.filter(code="T-JY").exists())

    def test_bad_upload_shows_error_table(self) -> None:
        before = self.counts()
        response = self.upload(self.admin, xlsx(BAD_UNITS, BAD_PEOPLE))
        self.assertContains(response, 'id="import-errors"')
        self.assertContains(response, "单位类型")
        self.assertContains(response, "<tr>", count=len(BAD_LOCATIONS) + 1)
        self.assertEqual(self.counts(), before)

    def test_plain_post_renders_full_page(self) -> None:
        file = SimpleUploadedFile("org.xlsx", xlsx(UNIT_ROWS, None))
        response = self.client_for(self.admin).post(self.url, {"file": file})
        self.assertContains(response, 'id="import-summary"')
        self.assertContains(response, 'id="import-form"')

    def test_non_admins_get_404(self) -> None:
        for user in (self.sibling_liaison, self.office):
            with self.subTest(user=user.username):
                client = self.client_for(user)
                self.assertEqual(client.get(self.url).status_code, 404)
                self.assertEqual(self.upload(user, xlsx(UNIT_ROWS, None)).status_code, 404)
                template = client.get(reverse("org:import_template"))
                self.assertEqual(template.status_code, 404)
        self.assertFalse(Unit.objects.filter(code="T-JY").exists())

    def test_template_download_has_headers(self) -> None:
        response = self.client_for(self.admin).get(reverse("org:import_template"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertEqual([c.value for c in workbook["单位"][1]], list(UNIT_HEADERS))
        self.assertEqual([c.value for c in workbook["人员"][1]], list(PERSON_HEADERS))
        self.assertIn("说明", workbook.sheetnames)
