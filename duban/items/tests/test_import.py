"""Importing items from a 台账: every row checked, every error located, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items.importer import HEADERS, build_template, import_items, parse_date
from duban.items.models import Item, ItemSource, ItemState, UnitRole
from duban.items.tagging import tags_of
from duban.items.tests.base import ItemTestCase


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def xlsx(rows: list[list[Any]], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])  # a ledger's title line above the header row
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows() -> list[list[Any]]:
    limit = later(40)
    return [
        # An Excel date cell; co-units by short name and code.
        [
            1,
            "推进老旧小区改造",
            "领导批示",
            "",
            "T-FGW",
            "市住建局、T-SCJG",
            "张副市长",
            "李科长",
            dt.datetime.combine(limit, dt.time()),  # Excel cells are naive
            "已完成摸底",
        ],
        # Text date in Chinese; unit by full name.
        [
            2,
            "优化营商环境专项行动",
            "重要文件",
            "济政办发[2016]30号",
            "市发改委",
            "",
            "",
            "",
            f"{limit.year}年{limit.month}月{limit.day}日",
            "",
        ],
        # No lead unit: stays a draft with the time limit kept for assignment.
        [3, "秸秆禁烧督查", "会议议定事项", "", "", "", "", "", limit.isoformat(), ""],
    ]


class ImportItemsTests(ItemTestCase):
    def run_import(self, data: bytes) -> Any:
        return import_items(data, actor=self.office, owner_unit=self.supervision, filename="t.xlsx")

    def test_good_file_creates_and_assigns_with_one_audit_event(self) -> None:
        result = self.run_import(xlsx(good_rows(), title="2026年重点督查事项台账"))

        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.created, result.assigned), (3, 2))
        first = Item.objects.get(title="推进老旧小区改造")
        self.assertEqual(first.state, ItemState.ASSIGNED)
        self.assertEqual(first.lead_unit, self.lead)
        self.assertEqual(first.due_date, later(40))
        self.assertEqual((first.responsible_leader, first.owner_name), ("张副市长", "李科长"))
        self.assertIn("已完成摸底", first.content)
        co = first.units.filter(role=UnitRole.CO).values_list("unit__code", flat=True)
        self.assertEqual(sorted(co), ["T-SCJG", "T-ZJ"])
        second = Item.objects.get(title="优化营商环境专项行动")
        self.assertEqual(second.source, ItemSource.DOCUMENT)
        self.assertEqual(second.doc_number, "济政办发〔2016〕30号")
        third = Item.objects.get(title="秸秆禁烧督查")
        self.assertEqual((third.state, third.source), (ItemState.DRAFT, ItemSource.MEETING))
        self.assertEqual(third.time_limit, later(40))
        event = Event.objects.get(type=EventType.ITEMS_IMPORTED)
        self.assertEqual(event.details["created"], 3)

    def test_bad_file_reports_every_error_and_imports_nothing(self) -> None:
        rows = [
            *good_rows(),
            [4, "", "领导批示", "", "", "", "", "", "", ""],
            [5, "河长制落实", "小道消息", "", "T-NONE", "", "", "", "2026-13-45", ""],
            [6, "学校周边交通", "重要文件", "无文号", "", "市住建局", "", "", "", ""],
            # Valid values the action refuses: a time limit already past.
            [7, "质量强市创建", "领导批示", "", "T-FGW", "", "", "", later(-3).isoformat(), ""],
        ]
        result = self.run_import(xlsx(rows))

        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(
            found,
            {
                (5, "事项名称"),
                (6, "来源"),
                (6, "主办单位"),
                (6, "完成时限"),
                (7, "文号"),
                (7, "协办单位"),
                (8, "完成时限"),
            },
        )
        self.assertIn("第6行 [来源]", "\n".join(str(e) for e in result.errors))
        self.assertEqual((result.created, result.assigned), (0, 0))
        self.assertFalse(Item.objects.exists())
        self.assertFalse(Event.objects.filter(type=EventType.ITEMS_IMPORTED).exists())

    def test_not_a_workbook_and_missing_column(self) -> None:
        self.assertIn("xlsx", str(self.run_import(b"a,b\n1,2\n").errors[0]))
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["事项名称", "文号"])
        sheet.append(["推进老旧小区改造", ""])
        out = io.BytesIO()
        book.save(out)
        errors = self.run_import(out.getvalue()).errors
        self.assertEqual([(e.row, e.column) for e in errors], [(1, "来源")])

    def test_dates_in_every_form(self) -> None:
        day = dt.date(2026, 5, 31)
        for value in (
            day,
            dt.datetime.combine(day, dt.time()),
            "2026-05-31",
            "2026年5月31日",
            46173,
        ):
            self.assertEqual(parse_date(value), day, value)
        self.assertIsNone(parse_date("明年"))

    def test_a_sibling_liaison_may_not_import(self) -> None:
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            import_items(xlsx(good_rows()), actor=self.sibling_liaison, owner_unit=self.supervision)

    def test_template_opens_with_the_ledger_columns(self) -> None:
        book = load_workbook(io.BytesIO(build_template()))
        header = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
        self.assertEqual(header, [*HEADERS, "标签"])
        self.assertEqual(book.sheetnames[1], "说明")

    def test_a_tags_column_is_read_when_present(self) -> None:
        """Older ledgers have no 标签 column (every other test); one that has it is read, and a
        bad tag is reported at its row and column with nothing imported."""
        header = [*HEADERS, "标签"]
        rows = [
            [*row, tags] for row, tags in zip(good_rows(), ("民生实事、城市更新", ""), strict=False)
        ]
        good = self.import_with(header, rows)
        self.assertTrue(good.ok, [str(e) for e in good.errors])
        item = Item.objects.get(title="推进老旧小区改造")
        self.assertEqual(tags_of(item), ["民生实事", "城市更新"])
        Item.objects.all().delete()
        bad = self.import_with(header, [[*good_rows()[0], "长" * 21]])
        self.assertEqual([(e.row, e.column) for e in bad.errors], [(2, "标签")])
        self.assertFalse(Item.objects.exists())

    def import_with(self, header: list[str], rows: list[list[Any]]) -> Any:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return import_items(out.getvalue(), actor=self.office, owner_unit=self.supervision)

    def test_command_imports_and_writes_the_template(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "台账.xlsx"
            path.write_bytes(xlsx(good_rows()))
            template = Path(folder) / "模板.xlsx"
            out = io.StringIO()
            call_command(
                "import_items",
                str(path),
                owner_unit="T-DCS",
                template=str(template),
                stdout=out,
                stderr=io.StringIO(),
            )
            self.assertIn("共导入 3 项", out.getvalue())
            self.assertTrue(template.exists())
            bad = Path(folder) / "bad.xlsx"
            bad.write_bytes(xlsx([[1, "", "", "", "", "", "", "", "", ""]]))
            err = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import_items", str(bad), owner_unit="T-DCS", stderr=err)
            self.assertIn("第2行 [事项名称]", err.getvalue())
        self.assertEqual(Item.objects.count(), 3)


class ImportPageTests(ItemTestCase):
    def test_office_uploads_and_sees_summary_or_every_error(self) -> None:
        client = self.client_for(self.office)
        page = client.get("/items/import/")
        self.assertContains(page, "市政府督查室")
        template = client.get("/items/import/template.xlsx")
        self.assertEqual(template.status_code, 200)
        load_workbook(io.BytesIO(template.content))

        bad = SimpleUploadedFile(
            "bad.xlsx", xlsx([[1, "", "小道消息", "", "", "", "", "", "", ""]])
        )
        response = client.post(
            "/items/import/",
            {"owner_unit": self.supervision.pk, "file": bad},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "共 2 处错误")
        self.assertContains(response, "事项名称不能为空")
        self.assertFalse(Item.objects.exists())

        good = SimpleUploadedFile("good.xlsx", xlsx(good_rows()))
        response = client.post("/items/import/", {"owner_unit": self.supervision.pk, "file": good})
        self.assertContains(response, "共导入 3 项督查事项")
        self.assertEqual(Item.objects.filter(owner_unit=self.supervision).count(), 3)

    def test_a_unit_liaison_gets_404(self) -> None:
        client = self.client_for(self.sibling_liaison)
        self.assertEqual(client.get("/items/import/").status_code, 404)
        self.assertEqual(client.get("/items/import/template.xlsx").status_code, 404)
