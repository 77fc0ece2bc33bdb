"""统计分析 and 领导驾驶舱: numbers against the hand-counted fixture, every link opening exactly the
rows it counted, the minimum sample as data, scope, the period form, and a pinned query count."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items.models import Item, ItemSource, ItemState
from duban.ledgers.dashboard_rules import DashboardRule
from duban.ledgers.dashboards import Period, build
from duban.ledgers.filters import cleaned, ledger_items, parse
from duban.ledgers.tests.dash_fixtures import CREATED_OPEN, FAR, YEAR, D, DashboardTestCase
from duban.org.models import User

URL = "/ledgers/dashboard/"
COCKPIT = "/ledgers/cockpit/"
DRILL = re.compile(r'<a class="drill[^"]*"[^>]*href="([^"]+)" data-count="(\d+)"')
# The page's statements, the same with 20 items or 110 (the count is what is pinned, not time).
# Session, user, roles, the rule row, the scope's extent (items/access.py, once per person), the
# light rules, the calendar version, every count and the units' names in one statement
# (dashboard_sql.py), the overdue list and the unread notices; and the scope's snapshot, which a
# scope this cheap has none of (figure_cache.py). Was 17: one statement per figure.
QUERIES = 11


def drills(html: str) -> list[tuple[str, int]]:
    return [(unescape(href), int(count)) for href, count in DRILL.findall(html)]


def ledger_count(user: User, href: str) -> int:
    parts = urlsplit(href)
    assert parts.path == "/items/", href
    form = parse(user, QueryDict(parts.query))
    assert not form.errors, (href, form.errors)
    return ledger_items(user, cleaned(form)).count()


class DashboardNumbersTest(DashboardTestCase):
    def setUp(self) -> None:
        self.build_city()
        self.board = build(self.office, Period(D(2025, 1, 1), D(2025, 12, 31)))

    def counts(self, bars: list[Any]) -> dict[str, int]:
        return {bar.key: bar.cell.count for bar in bars}

    def test_states_and_lights(self) -> None:
        board = self.board
        self.assertEqual(board.total.count, 18)
        states = self.counts(board.states)
        self.assertEqual(
            states,
            {
                "draft": 1,
                "pending_approval": 0,
                "assigned": 1,
                "in_progress": 3,
                "submitted": 0,
                "completed": 11,
                "archived": 1,
                "cancelled": 1,
            },
        )
        self.assertEqual(self.counts(board.lights), {"red": 1, "yellow": 1, "green": 3})
        self.assertEqual(board.overdue.count, 1)
        self.assertEqual([item.pk for item in board.overdue_items], [self.red.pk])

    def test_on_time_rates_with_minimum_sample(self) -> None:
        board = self.board
        self.assertEqual((board.completed.count, board.completed_on_time.count), (13, 11))
        self.assertEqual(board.on_time_percent, 84.6)
        rows = [
            (r.label, r.total.count, r.on_time.count, r.percent, r.ranked) for r in board.by_unit
        ]
        self.assertEqual(
            rows,
            [
                ("市住建局", 5, 5, 100.0, True),
                ("市发改委", 6, 5, 83.3, True),
                ("市市场监管局", 2, 1, 50.0, False),
            ],
        )
        sources = [(r.key, r.total.count, r.ranked) for r in board.by_source]
        self.assertEqual(
            sources, [("meeting", 5, True), ("leader_instruction", 6, True), ("document", 2, False)]
        )
        leaders = [(r.label, r.percent, r.ranked) for r in board.by_leader]
        self.assertEqual(
            leaders,
            [("李副市长", 100.0, True), ("张副市长", 83.3, True), ("王副市长", 50.0, False)],
        )

    def test_minimum_sample_is_a_row(self) -> None:
        DashboardRule.objects.update(min_sample=6)
        board = build(self.office, Period(D(2025, 1, 1), D(2025, 12, 31)))
        ranked = [(r.label, r.ranked) for r in board.by_unit]
        self.assertEqual(ranked, [("市发改委", True), ("市住建局", False), ("市市场监管局", False)])

    def test_returns_extensions_and_load(self) -> None:
        rows = [
            (r.name, r.returned.count, r.returns, r.extended.count, r.extensions, r.requests)
            for r in self.board.returns
        ]
        self.assertEqual(rows, [("市发改委", 2, 3, 1, 1, 0), ("市住建局", 0, 0, 1, 2, 3)])
        load = [
            (u.name, u.open_items.count, u.periodic, u.per_month, u.reported, u.heavy)
            for u in self.board.load
        ]
        # 发改委: two weekly (2 × 52/12) and one monthly = 9.7 a month, over the preset's 8.
        self.assertEqual(
            load, [("市发改委", 3, 3, 9.7, 2, True), ("市住建局", 1, 1, 0.3, 0, False)]
        )

    def test_work_report_items_report_quarterly_by_default(self) -> None:
        """An open 政府工作报告 item with no cadence of its own reports quarterly
        (items/reporting.cadence_of), so it weighs on its unit's load; another source does not."""
        for source in (ItemSource.WORK_REPORT, ItemSource.OTHER):
            self.make(
                self.sibling, ItemState.IN_PROGRESS, CREATED_OPEN, due_date=FAR, source=source
            )
        board = build(self.office, Period(D(2025, 1, 1), D(2025, 12, 31)))
        load = {u.name: (u.open_items.count, u.periodic, u.per_month) for u in board.load}
        self.assertEqual(load[self.sibling.name], (2, 1, 0.3))

    def test_monthly_trend(self) -> None:
        trend = {m.month: (m.created.count, m.completed.count) for m in self.board.trend}
        self.assertEqual(len(trend), 12)
        self.assertEqual(min(trend), D(2025, 1, 1))
        self.assertEqual(trend[D(2025, 1, 1)], (12, 0))
        self.assertEqual(trend[D(2025, 2, 1)], (0, 1))
        self.assertEqual(trend[D(2025, 3, 1)], (6, 0))
        self.assertEqual(trend[D(2025, 6, 1)], (0, 12))
        self.assertEqual(sum(c for c, _ in trend.values()), 18)

    def test_scope_is_what_the_person_may_view(self) -> None:
        self.make(self.district, "in_progress", CREATED_OPEN, owner_unit=self.district)
        mine = build(self.district_office, Period(D(2025, 1, 1), D(2025, 12, 31)))
        self.assertEqual(mine.total.count, 1)
        self.assertEqual(
            {bar.key: bar.cell.count for bar in mine.states if bar.cell.count}, {"in_progress": 1}
        )
        self.assertEqual(mine.by_unit, [])
        everything = build(self.office, Period(D(2025, 1, 1), D(2025, 12, 31)))
        self.assertEqual(everything.total.count, 19)


class DashboardPageTest(DashboardTestCase):
    def setUp(self) -> None:
        self.build_city()

    def test_every_number_opens_the_rows_it_counts(self) -> None:
        for url in (URL, COCKPIT):
            response = self.client_for(self.office).get(url, YEAR)
            self.assertEqual(response.status_code, 200)
            links = drills(response.content.decode())
            self.assertGreater(len(links), 60 if url == URL else 15)
            for href, count in links:
                self.assertEqual(ledger_count(self.office, href), count, href)

    def test_charts_carry_the_same_links(self) -> None:
        response = self.client_for(self.office).get(URL, YEAR)
        charts = {chart["id"]: chart for chart in response.context["charts"]}
        states = charts["chart-states"]["series"][0]
        for value, href in zip(states["values"], states["urls"], strict=True):
            self.assertEqual(ledger_count(self.office, href), value)
        trend = charts["chart-trend"]["series"]
        for series in trend:
            for value, href in zip(series["values"], series["urls"], strict=True):
                self.assertEqual(ledger_count(self.office, href), value)
        self.assertContains(response, 'id="dash-charts" type="application/json"')
        self.assertContains(response, "vendor/echarts-6.1.0/echarts.min.js")
        self.assertNotContains(response, "<script>")

    def test_insufficient_sample_listed_not_ranked(self) -> None:
        response = self.client_for(self.office).get(URL, YEAR)
        html = response.content.decode()
        unranked = re.findall(r'class="text-secondary unranked"><td>([^<]+)</td><td>([^<]+)<', html)
        self.assertIn(("样本不足", "市市场监管局"), unranked)

    def test_who_sees_the_pages(self) -> None:
        for user in (self.office, self.office_head, self.leader, self.auditor, self.admin):
            self.assertEqual(self.client_for(user).get(URL).status_code, 200, user)
            self.assertEqual(self.client_for(user).get(COCKPIT).status_code, 200, user)
        for user in (self.lead_liaison, self.lead_leader, self.inspector):
            self.assertEqual(self.client_for(user).get(URL).status_code, 403, user)
        self.assertEqual(self.client_for(None).get(URL).status_code, 302)
        nav = self.client_for(self.office).get("/").content.decode()
        self.assertIn('href="/ledgers/dashboard/"', nav)
        self.assertIn('href="/ledgers/wallchart/"', nav)
        liaison_nav = self.client_for(self.lead_liaison).get("/").content.decode()
        self.assertNotIn('href="/ledgers/dashboard/"', liaison_nav)
        self.assertIn('href="/ledgers/wallchart/"', liaison_nav)
        inspector_nav = self.client_for(self.inspector).get("/").content.decode()
        self.assertNotIn('href="/ledgers/wallchart/"', inspector_nav)

    def test_bad_period_is_named_and_changes_nothing(self) -> None:
        response = self.client_for(self.office).get(
            URL, {"start": "2025-12-31", "end": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "截止日期:截止日期不能早于起始日期。")
        response = self.client_for(self.office).get(URL, {"start": "2025-13-01"})
        self.assertContains(response, "起始日期:")

    def test_year_and_all(self) -> None:
        response = self.client_for(self.office).get(URL, {"year": "all"})
        self.assertEqual(response.context["board"].total.count, 20)
        self.assertEqual(response.context["board"].completed.count, 14)

    def test_constant_queries(self) -> None:
        def queries() -> int:
            client = self.client_for(self.office)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(client.get(URL, YEAR).status_code, 200)
            return len(captured)

        queries()  # the working-day calendar is read once per process, then cached
        few = queries()
        rows = []
        for i in range(5):
            for item in Item.objects.all():
                item.pk = None
                item.title = f"{item.title}-{i}"
                rows.append(item)
        Item.objects.bulk_create(rows)
        Item.objects.filter(created_at__gte=CREATED_OPEN.replace(year=2026)).update(
            created_at=CREATED_OPEN
        )
        self.assertEqual(Item.objects.count(), 120)
        self.assertEqual((few, queries()), (QUERIES, QUERIES))

    def test_items_are_read_once(self) -> None:
        """Every count reads the scoped items in one statement (at a million items each read
        costs a second); the overdue list's first rows are the only other read."""
        client = self.client_for(self.office)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(client.get(URL, YEAR).status_code, 200)
        reads = [q["sql"] for q in captured if '"items_item"' in q["sql"]]
        self.assertEqual(len(reads), 2, reads)
        counts, overdue = sorted(reads, key=lambda sql: not sql.startswith("WITH"))
        self.assertTrue(counts.startswith("WITH s "), counts)
        self.assertIn("LIMIT", overdue)
        self.assertNotIn("GROUP BY", overdue)


class DashboardRuleEditTest(DashboardTestCase):
    """The rule row is edited in 规则设置 like the other rules: audited, validated, field named."""

    def setUp(self) -> None:
        self.rule = DashboardRule.objects.get()
        self.url = f"/rules/dashboard/{self.rule.pk}/edit/"

    def data(self, **changes: Any) -> dict[str, Any]:
        fields = ("min_sample", "overdue_top", "report_load_warn", "note")
        return {**{f: getattr(self.rule, f) for f in fields}, **changes}

    def test_edit_is_audited_and_used(self) -> None:
        self.assertEqual(self.client_for(self.office).get(self.url).status_code, 403)
        response = self.client_for(self.office_head).post(self.url, self.data(min_sample=7))
        self.assertRedirects(response, "/rules/dashboard/")
        event = Event.objects.get(type=EventType.DASHBOARD_RULE_UPDATED)
        self.assertEqual(event.details, {"min_sample": [5, 7]})
        self.build_city()
        board = build(self.office, Period(D(2025, 1, 1), D(2025, 12, 31)))
        self.assertEqual([r.ranked for r in board.by_unit], [False, False, False])

    def test_zero_is_refused_naming_the_field(self) -> None:
        response = self.client_for(self.admin).post(self.url, self.data(min_sample=0))
        self.assertContains(response, "排名最少办结件数须为 1 至 250", status_code=400)
        self.assertEqual(DashboardRule.objects.get().min_sample, 5)
        self.assertFalse(Event.objects.filter(type=EventType.DASHBOARD_RULE_UPDATED).exists())
