"""Loading a provisional year recounts the 暂定 deadlines in it, audited, and tells the units."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions
from duban.items.models import Item
from duban.items.recalc import recalculate_provisional
from duban.items.recalc_panel import rows_for
from duban.items.tests.base import ItemTestCase
from duban.workdays.calendars import clear_cache
from duban.workdays.models import CalendarYear, Region, YearState
from duban.workdays.rules import rule_by_name
from duban.workdays.year_loading import apply_year, read_arrangement

D = dt.date.fromisoformat
SOURCE = "国办发明电〔2026〕7号"
# 春节 2027 is not in the provisional calendar (weekends and fixed-date holidays only).
ARRANGEMENT = """
元旦 2027-01-01 2027-01-03
春节 2027-02-06 2027-02-13
调休上班 2027-02-14
"""


class RecalculateTests(ItemTestCase):
    def setUp(self) -> None:
        clear_cache()
        self.cn = Region.objects.get(code="CN")

    def assign_from(self, title: str, start: dt.date, time_limit: dt.date | None = None) -> Item:
        item = self.draft(title=title)
        return actions.assign(
            item,
            actor=self.office,
            lead_unit=self.lead,
            rule=None if time_limit else rule_by_name("领导批示"),
            time_limit=time_limit,
            start=start,
        )

    def load_2027(self) -> None:
        apply_year(read_arrangement(2027, SOURCE, text=ARRANGEMENT), self.cn, actor=self.admin)

    def test_rule_deadline_is_recounted_and_explicit_one_only_loses_the_flag(self) -> None:
        counted = self.assign_from("落实批示", D("2027-02-05"))
        fixed = self.assign_from("限期办结", D("2026-11-23"), time_limit=D("2027-02-10"))
        later = self.assign_from("明年三月的批示", D("2028-03-01"))
        self.assertEqual((counted.due_date, counted.provisional), (D("2027-02-10"), True))
        self.assertTrue(fixed.provisional)
        before_later = (later.due_date, later.version)

        self.load_2027()

        counted, fixed, later = (self.fresh(i) for i in (counted, fixed, later))
        # 春节 is now a holiday and 2027-02-14 a 调休 working day: 14th, 15th, 16th.
        self.assertEqual((counted.due_date, counted.provisional), (D("2027-02-16"), False))
        self.assertIn("春节假期", counted.deadline_explanation)
        self.assertEqual((fixed.due_date, fixed.provisional), (D("2027-02-10"), False))
        self.assertEqual((later.due_date, later.version), before_later)
        events = Event.objects.filter(type=EventType.ITEM_DEADLINE_RECALCULATED)
        by_item = {int(e.target_id): e.details for e in events}
        self.assertEqual(set(by_item), {counted.pk, fixed.pk})
        self.assertEqual(
            (by_item[counted.pk]["old_due"], by_item[counted.pk]["new_due"]),
            ("2027-02-10", "2027-02-16"),
        )
        self.assertEqual(events.get(target_id=str(counted.pk)).actor, self.admin)

    def test_closed_items_and_regional_loads_are_left_alone(self) -> None:
        cancelled = self.assign_from("已撤销的批示", D("2027-02-05"))
        actions.cancel(cancelled, actor=self.office_head, reason="并入专项行动")
        self.load_2027()
        self.assertEqual(self.fresh(cancelled).due_date, D("2027-02-10"))
        self.assertTrue(self.fresh(cancelled).provisional)
        self.assertEqual(recalculate_provisional(2027, "XJ", self.admin), [])
        self.assertFalse(Event.objects.filter(type=EventType.ITEM_DEADLINE_RECALCULATED).exists())

    def test_a_failed_recalculation_leaves_the_year_provisional(self) -> None:
        item = self.assign_from("落实批示", D("2027-02-05"))
        with (
            mock.patch(
                "duban.items.recalc.recalculate_provisional", side_effect=RuntimeError("boom")
            ),
            self.assertRaises(RuntimeError),
        ):
            self.load_2027()
        year = CalendarYear.objects.filter(region=self.cn, year=2027).first()
        self.assertTrue(year is None or year.state != YearState.OFFICIAL)
        self.assertEqual(self.fresh(item).due_date, D("2027-02-10"))

    def test_only_managers_may_recalculate(self) -> None:
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            recalculate_provisional(2027, self.cn, self.lead_liaison)

    def test_units_see_the_change_on_their_workbench(self) -> None:
        item = self.assign_from("落实批示", D("2027-02-05"))
        self.load_2027()

        rows = rows_for(self.refreshed(self.lead_liaison))
        self.assertEqual([(r.item.pk, r.old_due, r.new_due) for r in rows], [
            (item.pk, "2027-02-10", "2027-02-16")
        ])  # fmt: skip
        self.assertEqual(rows_for(self.refreshed(self.sibling_liaison)), [])
        page = self.client_for(self.lead_liaison).get("/")
        self.assertContains(page, "暂定时限已重新计算")
        self.assertContains(page, "2027-02-16")
        self.assertNotContains(self.client_for(self.sibling_liaison).get("/"), "暂定时限已重新计算")
