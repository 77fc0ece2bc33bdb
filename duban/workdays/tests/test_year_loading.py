"""Loading a year's arrangement: parse, check, preview, apply as one audited version."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.workdays.calendars import calendar_for, clear_cache
from duban.workdays.deadline import Kind, deadline
from duban.workdays.models import CalendarVersion, CalendarYear, DayOverride, Region, YearState
from duban.workdays.year_loading import (
    ArrangementError,
    Change,
    apply_year,
    preview,
    read_arrangement,
)

D = dt.date.fromisoformat
SOURCE = "国办发明电〔2026〕7号"
GOOD = """
元旦 2027-01-01 2027-01-03
春节 2027-02-06 2027-02-13
调休上班 2027-02-14
劳动节 2027-05-01 2027-05-05
劳动节调休上班 2027-05-08
"""


def xlsx(rows: list[list[object]]) -> bytes:
    from io import BytesIO

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


class YearLoadingTests(PersonaTestCase):
    def setUp(self) -> None:
        clear_cache()
        self.cn = Region.objects.get(code="CN")

    def errors(self, text: str, year: int = 2027, source: str = SOURCE) -> list[str]:
        with self.assertRaises(ArrangementError) as caught:
            read_arrangement(year, source, text=text)
        return [str(error) for error in caught.exception.errors]

    def test_good_lines_preview_then_apply_one_audited_version(self) -> None:
        start = D("2027-02-05")
        before = deadline(calendar_for("CN"), start, Kind.WORKING_DAYS, 1)
        self.assertEqual((before.due, before.provisional), (D("2027-02-08"), True))

        arrangement = read_arrangement(2027, SOURCE, text=GOOD)
        self.assertIn("春节调休上班 2027-02-14", arrangement.as_text())
        shown = preview(arrangement, self.cn)
        self.assertTrue(shown.was_provisional)
        by_date = {row.date: row for row in shown.rows}
        self.assertEqual(by_date[D("2027-02-08")].change, Change.HOLIDAY_ADDED)
        self.assertEqual(by_date[D("2027-02-14")].change, Change.WORKDAY_ADDED)
        self.assertEqual(by_date[D("2027-01-01")].change, Change.UNCHANGED)  # fixed-date 元旦
        self.assertEqual(by_date[D("2027-02-06")].change, Change.UNCHANGED)  # a Saturday anyway
        versions = CalendarVersion.objects.count()

        version = apply_year(arrangement, self.cn, actor=self.admin)

        self.assertEqual(CalendarVersion.objects.count(), versions + 1)
        event = Event.objects.get(type=EventType.CALENDAR_YEAR_LOADED)
        self.assertEqual(event.details["year"], 2027)
        self.assertIn("2027-02-14", event.details["changed"])
        days = DayOverride.objects.filter(region=self.cn, date__year=2027)
        self.assertTrue(days.get(date=D("2027-05-08")).is_workday)
        self.assertEqual(days.get(date=D("2027-02-10")).source, SOURCE)
        self.assertEqual(days.get(date=D("2027-02-10")).version, version)
        year = CalendarYear.objects.get(region=self.cn, year=2027)
        self.assertEqual((year.state, year.source), (YearState.OFFICIAL, SOURCE))
        after = deadline(calendar_for("CN"), start, Kind.WORKING_DAYS, 1)
        self.assertEqual((after.due, after.provisional), (D("2027-02-14"), False))
        self.assertEqual(after.calendar_version, version.number)

    def test_reloading_an_official_year_replaces_its_days(self) -> None:
        apply_year(read_arrangement(2027, SOURCE, text=GOOD), self.cn, actor=self.admin)
        clear_cache()
        fixed = read_arrangement(2027, "国办发明电〔2026〕8号", text="元旦 2027-01-01 2027-01-03")
        rows = {row.date: row for row in preview(fixed, self.cn).rows}
        self.assertEqual(rows[D("2027-02-08")].change, Change.WORKDAY_ADDED)
        self.assertEqual(rows[D("2027-02-14")].change, Change.HOLIDAY_ADDED)
        apply_year(fixed, self.cn, actor=self.admin)
        self.assertEqual(DayOverride.objects.filter(region=self.cn, date__year=2027).count(), 3)

    def test_xlsx_and_csv_with_the_same_columns(self) -> None:
        data = xlsx(
            [
                ["名称", "开始日期", "结束日期", "调休上班日期"],
                ["春节", dt.date(2027, 2, 6), dt.date(2027, 2, 13), None],
                ["春节", None, None, "2027/02/14"],
            ]
        )
        arrangement = read_arrangement(2027, SOURCE, data=data)
        self.assertEqual(
            arrangement.as_text(), "春节 2027-02-06 2027-02-13\n春节调休上班 2027-02-14"
        )
        csv = "名称,开始日期,结束日期,调休上班日期\n劳动节,2027年5月1日,2027年5月5日,\n"
        arrangement = read_arrangement(2027, SOURCE, data=csv.encode("gb18030"))
        self.assertEqual(arrangement.as_text(), "劳动节 2027-05-01 2027-05-05")

    def test_bad_file_rows_name_row_and_column(self) -> None:
        data = xlsx(
            [
                ["名称", "开始日期", "结束日期", "调休上班日期"],
                ["春节", "2027-02-30", "2027-02-13", None],
                ["", "2027-03-01", None, None],
                ["调休上班", None, None, "2027-02-15"],
            ]
        )
        with self.assertRaises(ArrangementError) as caught:
            read_arrangement(2027, SOURCE, data=data)
        messages = [str(e) for e in caught.exception.errors]
        self.assertIn("第2行「开始日期」", messages[0])
        self.assertIn("第3行「名称」", messages[1])
        with self.assertRaises(ArrangementError) as caught:
            read_arrangement(2027, SOURCE, data=xlsx([["日期"], ["2027-01-01"]]))
        self.assertIn("第1行「列名」", str(caught.exception.errors[0]))

    def test_every_bad_line_names_its_line_and_field(self) -> None:
        cases = {
            "元旦 2026-12-31 2027-01-01": "第1行「开始日期」:2026-12-31 不在 2027 年内",
            "春节 2027-02-13 2027-02-06": "第1行「结束日期」:结束日期早于开始日期",
            "春节 2027-02-06 2027-13-01": "第1行「结束日期」:「2027-13-01」不是有效日期",
            "调休上班 2027-02-15": "第1行「调休上班日期」:2027-02-15 是星期一",
            "调休上班 2028-02-12": "第1行「调休上班日期」:2028-02-12 不在 2027 年内",
            "春节 2027-02-06 2027-02-13\n调休上班 2027-02-13": (
                "第2行「调休上班日期」:2027-02-13 已在第1行列为假日「春节」"
            ),
            "春节 2027-02-06 2027-02-13\n元宵 2027-02-12 2027-02-20": (
                "第2行「开始日期」:2027-02-12 与第1行「春节」重叠"
            ),
            "调休上班 2027-02-14\n春节 2027-02-06 2027-02-14": (
                "第2行「开始日期」:2027-02-14 已在第1行列为调休上班日"
            ),
            "春节 2027-02-06 2027-02-08 2027-02-09": "第1行「名称」",
            "调休上班": "第1行「调休上班日期」",
            "": "「放假安排」:没有任何放假安排",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertIn(expected, " ".join(self.errors(text)))
        self.assertIn("「文号」", self.errors(GOOD, source=" ")[0])
        self.assertIn("「年份」", self.errors(GOOD, year=2200)[0])

    def test_all_errors_at_once_and_nothing_changes(self) -> None:
        versions = CalendarVersion.objects.count()
        errors = self.errors("春节 2027-02-06 2027-02-05\n\n调休上班 2027-02-15\n国庆 x 2027-10-07")
        self.assertEqual([e[:3] for e in errors], ["第1行", "第3行", "第4行"])
        self.assertEqual(CalendarVersion.objects.count(), versions)
        self.assertFalse(DayOverride.objects.filter(date__year=2027).exists())

    def test_only_administrators_apply(self) -> None:
        arrangement = read_arrangement(2027, SOURCE, text=GOOD)
        for user in (self.office_head, self.lead_liaison):
            with self.assertRaises(PermissionDenied):
                apply_year(arrangement, self.cn, actor=self.refreshed(user))
        self.assertFalse(DayOverride.objects.filter(date__year=2027).exists())
        self.assertFalse(Event.objects.filter(type=EventType.CALENDAR_YEAR_LOADED).exists())
