"""Calendar pages: who sees them, the year view, the two-step load and the rule edit."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core import clock
from duban.core.testing import PersonaTestCase
from duban.org.models import User
from duban.workdays.calendars import clear_cache
from duban.workdays.models import CalendarVersion, CalendarYear, DayOverride, DeadlineRule

SOURCE = "国办发明电〔2026〕7号"
LINES = "春节 2027-02-06 2027-02-13\n调休上班 2027-02-14"


class CalendarPageTests(PersonaTestCase):
    def setUp(self) -> None:
        clear_cache()
        self.rule = DeadlineRule.objects.order_by("pk")[0]

    def urls(self) -> list[str]:
        return [
            reverse("workdays:year"),
            reverse("workdays:year") + "?year=2027&region=XJ",
            reverse("workdays:rules"),
            reverse("workdays:rule_edit", args=[self.rule.pk]),
        ]

    def status(self, user: User | None, url: str) -> int:
        return self.client_for(user).get(url).status_code

    def test_permission_matrix(self) -> None:
        for url in self.urls():
            with self.subTest(url=url):
                self.assertEqual(self.status(self.admin, url), 200)
                self.assertEqual(self.status(self.office_head, url), 200)
                for user in (self.lead_liaison, self.office, self.auditor):
                    self.assertEqual(self.status(user, url), 403)
                self.assertEqual(self.status(None, url), 302)
        # Loading a year changes the calendar: administrators only (access.py 「calendar」).
        load = reverse("workdays:load")
        self.assertEqual(self.status(self.admin, load), 200)
        for user in (self.office_head, self.lead_liaison):
            self.assertEqual(self.status(user, load), 403)
        self.assertEqual(self.status(None, load), 302)

    def test_nav_item_only_for_those_the_pages_admit(self) -> None:
        workbench = reverse("workbench")
        self.assertContains(self.client_for(self.office_head).get(workbench), "日历与规则")
        self.assertNotContains(self.client_for(self.lead_liaison).get(workbench), "日历与规则")

    def test_year_view_marks_holidays_swaps_and_provisional_years(self) -> None:
        client = self.client_for(self.admin)
        page = client.get(reverse("workdays:year") + "?year=2026").content.decode()
        self.assertIn('class="cal-holiday" data-date="2026-05-01" title="劳动节"', page)
        self.assertIn('class="cal-swap" data-date="2026-05-09"', page)
        self.assertNotIn('id="provisional-badge"', page)
        page = client.get(reverse("workdays:year") + "?year=2027").content.decode()
        self.assertIn('id="provisional-badge"', page)
        self.assertIn('class="cal-holiday" data-date="2027-10-01" title="国庆节"', page)

    def test_year_view_marks_today(self) -> None:
        client = self.client_for(self.admin)
        moment = dt.datetime(2026, 5, 9, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
        with clock.at(moment):
            page = client.get(reverse("workdays:year") + "?year=2026").content.decode()
        self.assertIn('class="cal-swap cal-today" data-date="2026-05-09"', page)
        self.assertEqual(page.count(' cal-today"'), 1)

    def test_load_preview_then_confirm(self) -> None:
        client = self.client_for(self.admin)
        url = reverse("workdays:load")
        data = {"year": 2027, "region": "CN", "source": SOURCE, "lines": LINES}
        shown = client.post(url, data)
        self.assertContains(shown, 'id="preview-table"')
        self.assertContains(shown, "新增上班日")
        self.assertContains(shown, "春节调休上班 2027-02-14")  # the hidden copy, canonical
        self.assertFalse(DayOverride.objects.filter(date__year=2027).exists())
        versions = CalendarVersion.objects.count()
        done = client.post(url, {**data, "confirm": "1"})
        self.assertRedirects(done, reverse("workdays:year") + "?year=2027&region=CN")
        self.assertEqual(CalendarVersion.objects.count(), versions + 1)
        self.assertEqual(CalendarYear.objects.get(region__code="CN", year=2027).source, SOURCE)
        self.assertTrue(Event.objects.filter(type=EventType.CALENDAR_YEAR_LOADED).exists())

    def test_bad_input_shows_line_and_field_and_changes_nothing(self) -> None:
        client = self.client_for(self.admin)
        data = {"year": 2027, "region": "CN", "source": SOURCE, "lines": "调休上班 2027-02-15"}
        response = client.post(reverse("workdays:load"), {**data, "confirm": "1"})
        self.assertContains(response, "第1行「调休上班日期」", status_code=400)
        self.assertFalse(DayOverride.objects.filter(date__year=2027).exists())

    def test_office_head_edits_a_rule_through_the_action(self) -> None:
        url = reverse("workdays:rule_edit", args=[self.rule.pk])
        data = {
            "name": self.rule.name,
            "kind": self.rule.kind,
            "count": self.rule.count + 1,
            "max_extension": "",
            "article": self.rule.article,
            "basis": self.rule.basis,
            "active": "on",
            "sort_order": self.rule.sort_order,
        }
        response = self.client_for(self.office_head).post(url, data)
        self.assertRedirects(response, reverse("workdays:rules"))
        self.rule.refresh_from_db()
        self.assertIsNone(self.rule.max_extension)
        self.assertTrue(Event.objects.filter(type=EventType.DEADLINE_RULE_UPDATED).exists())
        bad = self.client_for(self.office_head).post(url, {**data, "count": 0})
        self.assertEqual(bad.status_code, 400)
