"""挂图作战 (seed 001 第二十条): rows from the 台账's parameters and scope, milestones with their
lights, grouping per unit or leader, pagination, the print sheet, and a constant query count."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.items.models import Item, ItemState
from duban.ledgers.tests.dash_fixtures import CREATED_OPEN, FAR, DashboardTestCase
from duban.ledgers.wallchart import Window

URL = "/ledgers/wallchart/"
PRINT = "/ledgers/wallchart/print/"
ROW = re.compile(r'<tr class="wall-row" data-item="(\d+)" data-light="(\w+)">')
GROUP = re.compile(r'<tr class="wall-group"><th colspan="5">([^<]+)</th></tr>')
MARK = re.compile(r'data-status="(\w+)"')


class WallChartTest(DashboardTestCase):
    def setUp(self) -> None:
        self.build_city()

    def page(self, url: str = URL, **params: str) -> str:
        response = self.client_for(self.office).get(url, params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_open_items_with_lights_and_milestones(self) -> None:
        html = self.page(state="open", lead_unit=str(self.lead.pk))
        rows = dict(ROW.findall(html))
        self.assertEqual(
            rows,
            {str(self.red.pk): "red", str(self.yellow.pk): "yellow", str(self.green.pk): "green"},
        )
        # 完成方案 (2020, not done) is red; 开工 is done; 竣工 (2099) is still green.
        self.assertEqual(sorted(MARK.findall(html)), ["done", "green", "red"])
        self.assertIn("完成方案", html)
        self.assertIn(f'<option value="{self.lead.pk}" selected>', html)
        self.assertIn('class="wall-today"', html)
        # Each row's timeline has a line at every month's start, as the axis above them has.
        axis, *timelines = re.findall(r"<svg class=\"wall-svg[^>]*>(.*?)</svg>", html, re.S)
        at = re.compile(r'<line class="wall-grid" x1="([\d.]+)%"')
        self.assertGreater(len(at.findall(axis)), 1)
        self.assertEqual(len(timelines), 3)
        for timeline in timelines:
            self.assertEqual(at.findall(timeline), at.findall(axis))

    def test_a_closed_items_unfinished_milestone_is_no_longer_late(self) -> None:
        Item.objects.filter(pk=self.red.pk).update(state=ItemState.COMPLETED)
        html = self.page(lead_unit=str(self.lead.pk))
        # 完成方案 (2020, never marked done) was red while the item was open.
        self.assertEqual(dict(ROW.findall(html))[str(self.red.pk)], "done")
        self.assertIn("closed", MARK.findall(html))
        self.assertNotIn("red", MARK.findall(html))

    def test_month_names_never_crowd_the_axis(self) -> None:
        start = dt.date(2025, 11, 1)
        for months, names in ((3, 3), (10, 10), (17, 9), (30, 10)):
            end = start + dt.timedelta(days=31 * months - 20)
            window = Window(start, end.replace(day=1) + dt.timedelta(days=27))
            self.assertEqual(len(window.months()), months)
            labels = window.labels()
            self.assertEqual(len(labels), names, months)
            self.assertEqual(labels[0], (0.0, start))

    def test_grouped_per_unit_or_leader(self) -> None:
        by_unit = GROUP.findall(self.page(state="open"))
        self.assertEqual(by_unit, ["市发改委", "市住建局", "未交办"])
        by_leader = GROUP.findall(self.page(state="open", group="leader"))
        # Names sort by the database's collation (pinyin on PostgreSQL, code points on SQLite).
        self.assertEqual(by_leader[0], "未明确责任领导")
        self.assertEqual(sorted(by_leader[1:]), ["张副市长", "李副市长"])

    def test_ledger_filters_and_scope(self) -> None:
        html = self.page(leader="李副市长", state="closed")
        self.assertEqual(len(ROW.findall(html)), 5)
        self.assertEqual(self.client_for(self.lead_liaison).get(URL).status_code, 200)
        liaison = self.client_for(self.lead_liaison).get(URL).content.decode()
        # These rows were written without handling units: nothing reaches the liaison.
        self.assertEqual(ROW.findall(liaison), [])
        self.assertEqual(self.client_for(self.inspector).get(URL).status_code, 403)
        bad = self.page(created_from="2025-99-01")
        self.assertIn('id="wall-errors"', bad)

    def test_paginated_and_capped(self) -> None:
        for i in range(5):
            self.make(self.co, "in_progress", CREATED_OPEN, due_date=FAR, title=f"增补{i}")
        first = self.page(per="20")
        self.assertEqual(len(ROW.findall(first)), 20)
        self.assertIn("共 25 件", first)
        self.assertIn("1 / 2", first)
        self.assertEqual(len(ROW.findall(self.page(per="20", page="2"))), 5)
        # 1000 is no page size the 台账 offers: the parameter is refused and the default applies.
        self.assertEqual(len(ROW.findall(self.page(per="1000"))), 25)

    def test_print_sheet(self) -> None:
        html = self.page(PRINT, state="open", paper="a4", group="leader")
        self.assertIn('class="wall-print paper-a4"', html)
        self.assertNotIn('id="main-nav"', html)
        self.assertEqual(len(ROW.findall(html)), 5)
        self.assertIn('class="wall-print paper-a3"', self.page(PRINT, paper="letter"))

    def test_a_scope_too_large_for_one_chart_asks_for_a_narrower_choice(self) -> None:
        with mock.patch("duban.ledgers.wallchart_views.WALL_LIMIT", 4):
            html = self.page()
            self.assertIn('id="wall-too-many"', html)
            self.assertRegex(html, r"当前范围内共 \d+ 件事项,一张挂图最多排 4 件")
            self.assertEqual(ROW.findall(html), [])
            self.assertNotIn('id="wall-print-a3"', html)
            self.assertIn('href="?group=unit&state=open" id="wall-open-only"', html)
            sheet = self.page(PRINT)
            self.assertIn('id="wall-too-many"', sheet)
            self.assertEqual(ROW.findall(sheet), [])
            # Narrowed to one unit's open items, the chart is drawn again.
            narrow = self.page(state="open", lead_unit=str(self.lead.pk))
            self.assertEqual(len(ROW.findall(narrow)), 3)
            self.assertNotIn('id="wall-too-many"', narrow)
            self.assertIn('id="wall-print-a3"', narrow)

    def test_constant_queries(self) -> None:
        def queries() -> int:
            client = self.client_for(self.office)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(client.get(URL, {"per": "100"}).status_code, 200)
            return len(captured)

        queries()  # the working-day calendar is read once per process, then cached
        few = queries()
        for item in Item.objects.filter(state="in_progress"):
            for i in range(30):
                item.pk = None
                item.title = f"{item.title}-{i}"
                item.save()
        self.assertEqual(Item.objects.count(), 110)
        # On PostgreSQL the total is the tally's sum and the person's own items' count
        # (ledgers/counts.py), one statement more than counting the rows.
        expected = WALL_QUERIES + (connection.vendor == "postgresql")
        self.assertEqual((few, queries()), (expected, expected))


WALL_QUERIES = 13  # with the scope's extent (items/access.py)
