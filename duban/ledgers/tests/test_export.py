"""XLSX export of the 台账: contents read back, filters and scope kept, queries constant, audited,
the command line, and the round trip through the importer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, reporting
from duban.items.importer import import_items
from duban.items.models import Confidentiality, Item, ItemSource
from duban.items.tests.base import ItemTestCase
from duban.ledgers.xlsx_export import HEADERS, XLSX_TYPE
from duban.org.models import User

URL = "/ledgers/export.xlsx"
# The columns the importer reads (all but 序号 and the derived 状态 and 灯).
IMPORTED = (*HEADERS[1:10], HEADERS[12])
SOFFICE = shutil.which("soffice")
# Debian splits LibreOffice: without Calc (libreoffice-calc-nogui) no spreadsheet can be read.
CALC = SOFFICE is not None and (Path(SOFFICE).resolve().parent / "libsclo.so").exists()


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def by_header(data: bytes) -> list[dict[str, Any]]:
    """Data rows as {header: value}; the header is the second line, under the title line."""
    lines = sheet_rows(data)
    assert lines[1] == HEADERS, lines[1]
    # A row's empty cells at its end are not written (an untagged item's 标签).
    width = len(HEADERS)
    return [
        dict(zip(HEADERS, (*line, *[None] * (width - len(line))), strict=True))
        for line in lines[2:]
    ]


class ExportTestCase(ItemTestCase):
    def started(self, title: str, **fields: Any) -> Item:
        item = self.draft(title=title, **fields)
        actions.assign(
            item, actor=self.office, lead_unit=self.lead, co_units=[self.co], time_limit=later(30)
        )
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return item

    def export(self, user: User, query: str = "") -> bytes:
        response = self.client_for(user).get(f"{URL}?{query}")
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]


class ContentsTests(ExportTestCase):
    def test_columns_values_and_download_headers(self) -> None:
        item = self.started(
            "推进老旧小区改造",
            responsible_leader="张副市长",
            owner_name="李科长",
            tags="民生实事、城市更新",
        )
        liaison = self.refreshed(self.lead_liaison)
        reporting.report_progress(item, actor=liaison, content="已完成摸底")
        reporting.report_progress(item, actor=liaison, content="已开工 12 个小区")
        self.draft(
            title='=HYPERLINK("http://x")\x07 秸秆禁烧',
            source=ItemSource.DOCUMENT,
            doc_number="济政办发〔2016〕30号",
            time_limit=later(40),
        )
        response = self.client_for(self.office).get(URL)

        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment; filename*=utf-8''"), disposition)
        self.assertIn(quote("督查事项台账"), disposition)
        self.assertEqual(response["X-Export-Rows"], "2")
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        lines = sheet_rows(data)
        self.assertIn("共 2 件", lines[0][0])
        rows = by_header(data)
        draft, started = rows  # newest first, as the 台账 sorts by default
        self.assertEqual(
            started,
            {
                "序号": 2,
                "事项名称": "推进老旧小区改造",
                "来源": "领导批示",
                "文号": None,
                "主办单位": "市发改委",
                "协办单位": "市住建局",
                "责任领导": "张副市长",
                "责任人": "李科长",
                "完成时限": dt.datetime.combine(later(30), dt.time()),
                "进展情况": "已开工 12 个小区",
                "状态": "办理中",
                "灯": "绿灯",
                "标签": "民生实事、城市更新",
            },
        )
        # Text stays text: no formula, no control character (the file would not open).
        self.assertEqual(draft["事项名称"], '=HYPERLINK("http://x") 秸秆禁烧')
        self.assertEqual((draft["序号"], draft["来源"], draft["状态"]), (1, "重要文件", "拟办"))
        self.assertEqual(draft["完成时限"], dt.datetime.combine(later(40), dt.time()))
        # 灯 as the 台账 page shows it (ledgers/filters.ordered): an open item without a due date
        # is green.
        self.assertEqual(draft["灯"], "绿灯")
        self.assertIsNone(draft["标签"])

    def test_filters_of_the_address_apply(self) -> None:
        self.started("推进老旧小区改造")
        self.draft(title="秸秆禁烧督查")
        self.draft(title="优化营商环境", source=ItemSource.MEETING)
        titles = lambda query: [r["事项名称"] for r in by_header(self.export(self.office, query))]  # noqa: E731
        self.assertEqual(titles("state=draft&sort=title"), ["优化营商环境", "秸秆禁烧督查"])
        self.assertEqual(titles("source=meeting"), ["优化营商环境"])
        self.assertEqual(titles(f"lead_unit={self.lead.pk}"), ["推进老旧小区改造"])
        self.assertEqual(titles("q=秸秆"), ["秸秆禁烧督查"])
        self.assertEqual(titles(f"co_unit={self.co.pk}"), ["推进老旧小区改造"])
        self.assertEqual(titles("light=red"), [])
        # A bad parameter is dropped, as on the page; the others still apply.
        self.assertEqual(titles("source=meeting&due_from=bad"), ["优化营商环境"])

    def test_scope_and_secret_items_as_in_the_ledger(self) -> None:
        self.started("推进老旧小区改造")
        self.draft(title="秸秆禁烧督查")
        secret = self.draft(
            title="涉密专项",
            confidentiality=Confidentiality.SECRET,
            named_people=[self.leader],
        )
        titles = lambda user: {r["事项名称"] for r in by_header(self.export(user))}  # noqa: E731
        self.assertEqual(titles(self.lead_liaison), {"推进老旧小区改造"})
        self.assertEqual(titles(self.sibling_liaison), set())
        self.assertEqual(titles(self.office), {"推进老旧小区改造", "秸秆禁烧督查", "涉密专项"})
        self.assertEqual(titles(self.leader), {"推进老旧小区改造", "秸秆禁烧督查", "涉密专项"})
        self.assertEqual(titles(self.office_head), {"推进老旧小区改造", "秸秆禁烧督查"})
        self.assertEqual(secret.created_by, self.office)

    def test_export_is_audited_with_filters_and_count(self) -> None:
        self.started("推进老旧小区改造")
        self.draft(title="秸秆禁烧督查")
        query = f"state=open&lead_unit={self.lead.pk}&due_from=2020-01-01&page=2&per=50&cols=state"
        self.export(self.office, query)
        event = Event.objects.get(type=EventType.ITEMS_EXPORTED)
        self.assertEqual(event.actor, self.office)
        self.assertEqual(event.details["rows"], 1)
        self.assertEqual(event.details["via"], "page")
        self.assertEqual(
            event.details["filters"],
            {"state": "open", "lead_unit": self.lead.pk, "due_from": "2020-01-01"},
        )
        self.assertTrue(event.details["file"].endswith(".xlsx"))

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        response = self.client_for(None).get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Event.objects.filter(type=EventType.ITEMS_EXPORTED).exists())


class QueryCountTests(ExportTestCase):
    def add(self, first: int, count: int) -> None:
        liaison = self.refreshed(self.lead_liaison)
        for n in range(first, first + count):
            item = self.started(f"事项{n}")
            reporting.report_progress(item, actor=liaison, content=f"进展{n}")

    def test_queries_do_not_grow_with_rows(self) -> None:
        self.add(0, 10)
        client = self.client_for(self.office)
        client.get("/")  # the session and its user are loaded once before counting
        with CaptureQueriesContext(connection) as ten:
            b"".join(client.get(URL).streaming_content)  # type: ignore[attr-defined]
        self.add(10, 40)
        with self.assertNumQueries(len(ten.captured_queries)):
            data = b"".join(client.get(URL).streaming_content)  # type: ignore[attr-defined]
        rows = by_header(data)
        self.assertEqual(len(rows), 50)
        self.assertEqual({r["进展情况"] for r in rows}, {f"进展{n}" for n in range(50)})


class CommandTests(ExportTestCase):
    def test_command_exports_with_filters_and_person(self) -> None:
        self.started("推进老旧小区改造")
        self.draft(title="秸秆禁烧督查")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "台账.xlsx"
            out, err = io.StringIO(), io.StringIO()
            call_command("export_items", str(path), stdout=out, stderr=err)
            self.assertIn("已导出 2 项", out.getvalue())
            self.assertEqual(len(by_header(path.read_bytes())), 2)

            call_command(
                "export_items",
                str(path),
                user="lead_liaison",
                lead_unit="T-FGW",
                query="state=open",
                stdout=out,
                stderr=err,
            )
            self.assertEqual(
                [r["事项名称"] for r in by_header(path.read_bytes())], ["推进老旧小区改造"]
            )
            with self.assertRaisesMessage(CommandError, "完成时限起须为 YYYY-MM-DD"):
                call_command("export_items", str(path), due_from="2026/01/01", stderr=err)
            with self.assertRaisesMessage(CommandError, "T-NONE"):
                call_command("export_items", str(path), co_unit="T-NONE", stderr=err)
            with self.assertRaisesMessage(CommandError, "nobody"):
                call_command("export_items", str(path), user="nobody", stderr=err)
        events = Event.objects.filter(type=EventType.ITEMS_EXPORTED).order_by("seq")
        self.assertEqual(
            [(e.actor, e.details["rows"]) for e in events],
            [
                (None, 2),
                (self.lead_liaison, 1),
            ],
        )
        self.assertEqual(events[1].details["via"], "cli")


class RoundTripTests(ExportTestCase):
    def originals(self) -> None:
        item = self.started(
            "推进老旧小区改造", responsible_leader="张副市长", owner_name="李科长", tags="民生实事"
        )
        actions.assign(
            self.draft(title="优化营商环境", source=ItemSource.DOCUMENT, **DOC),
            actor=self.office,
            lead_unit=self.lead,
            co_units=[self.co, self.sibling],
            time_limit=later(60),
        )
        self.draft(title="秸秆禁烧督查", source=ItemSource.MEETING, time_limit=later(20))
        reporting.report_progress(item, actor=self.refreshed(self.lead_liaison), content="已开工")

    def test_export_import_export_keeps_the_imported_columns(self) -> None:
        self.originals()
        first = self.export(self.office)
        result = import_items(first, actor=None, owner_unit=self.district, filename="导出.xlsx")
        self.assertTrue(result.ok, [str(e) for e in result.errors])
        self.assertEqual((result.created, result.assigned), (3, 2))

        second = self.export(self.district_office)
        imported = lambda data: sorted([r[h] for h in IMPORTED] for r in by_header(data))  # noqa: E731
        self.assertEqual(imported(second), imported(first))
        self.assertIn(["市住建局、市市场监管局"], [[r[4]] for r in imported(second)])
        self.assertIn("民生实事", [r[-1] for r in imported(second)])

    def test_a_bad_row_in_an_exported_file_imports_nothing(self) -> None:
        self.originals()
        book = load_workbook(io.BytesIO(self.export(self.office)))
        sheet = book.worksheets[0]
        sheet.cell(row=4, column=3).value = "小道消息"  # 来源 of the second item
        buffer = io.BytesIO()
        book.save(buffer)
        result = import_items(buffer.getvalue(), actor=None, owner_unit=self.district)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(4, "来源")])
        self.assertFalse(Item.objects.filter(owner_unit=self.district).exists())

    def test_libreoffice_reads_the_file(self) -> None:
        if not CALC:
            self.skipTest("LibreOffice Calc (soffice) is not installed")
        self.originals()
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "export.xlsx"
            source.write_bytes(self.export(self.office))
            profile = Path(folder) / "profile"
            subprocess.run(  # noqa: S603 (fixed arguments)
                [
                    str(SOFFICE),
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            text = (Path(folder) / "export.csv").read_text(encoding="utf-8")
        lines = list(csv.reader(io.StringIO(text)))
        self.assertEqual(tuple(lines[1]), HEADERS)
        self.assertIn("推进老旧小区改造", {line[1] for line in lines[2:]})
        self.assertIn("市住建局、市市场监管局", {line[5] for line in lines[2:]})
        self.assertIn(later(60).isoformat(), {line[8] for line in lines[2:]})


DOC = {"doc_number": "济政办发〔2016〕30号"}
