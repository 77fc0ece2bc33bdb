"""The 台账 page: sort, pagination with the total, column choice, the print view, and a constant
number of queries whatever the page size or the filters (shared/DESIGN.md: pinned by tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.items.models import Item, ItemState
from duban.ledgers import actions, keyword_tally
from duban.ledgers.columns import COLUMNS
from duban.ledgers.tests.base import FAR, LedgerTestCase

# Every parameter at once (a co-unit, dates, flags, keyword): still the same statements.
ALL_FILTERS = {
    "q": "事项",
    "state": "open",
    "source": "leader_instruction",
    "light": "green",
    "leader": "王副市长",
    "due": "on_time",
    "due_from": "2026-01-01",
    "due_to": "2099-12-31",
    "created_from": "2020-01-01",
    "created_to": "2099-12-31",
    "completed_from": "2020-01-01",
    "completed_to": "2099-12-31",
    "outcome": "A",
    "late": "0",
    "extended": "1",
    "returned": "1",
    "sort": "light",
}


class LedgerPageTest(LedgerTestCase):
    def several(self, count: int) -> None:
        for n in range(count):
            self.make(
                f"事项{n:03d}",
                co=[self.co],
                due=FAR - dt.timedelta(days=n),
                draft={"doc_number": f"济政办发〔2026〕{n}号", "responsible_leader": "王副市长"},
            )

    def count(self, **params: Any) -> int:
        client = self.as_("office")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("items:list"), params)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_queries_do_not_grow_with_page_size_or_filters(self) -> None:
        self.several(60)
        base = self.count(per=20)
        self.assertEqual(self.count(per=50), base)
        self.assertEqual(self.count(per=100), base)
        client = self.as_("office")
        with self.assertNumQueries(base):
            client.get(reverse("items:list"), {"per": 100, "page": 1})
        # session, user, scopes, light rules, calendar version, count, own units, unread
        # notices, saved-view list, the two unit lists, rows, co-units; on PostgreSQL the whole
        # tree's total is the tally's sum and the person's own items' count (ledgers/counts.py),
        # and the page's ids come first from the registration-time index (ledgers/pages.py)
        split = 2 if connection.vendor == "postgresql" else 0
        self.assertEqual(base, 13 + split)
        # The two unit choices validated and the light filter's rule read add 3; no row matches
        # every filter at once, so the co-unit prefetch does not run; with a keyword among them
        # the total is counted on the items, in one statement.
        every = ALL_FILTERS | {"lead_unit": self.lead.pk, "co_unit": self.co.pk, "per": 100}
        self.assertEqual(self.count(**every), base - split + 3 - 1)
        # Without the co-unit column there is no prefetch.
        self.assertEqual(self.count(cols=["doc_number"]), base - 1)

    def test_a_kept_keyword_is_counted_in_two_small_queries(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the kept keywords' counts are PostgreSQL's")
        self.several(30)
        base = self.count(per=20)
        self.assertTrue(keyword_tally.track("事项01"))
        # The keyword's id and its counts' sum, where the tally's sum was one.
        self.assertEqual(self.count(per=20, q="事项01"), base + 1)
        response = self.as_("office").get(reverse("items:list"), {"q": "事项01"})
        self.assertEqual(response.context["page"].paginator.count, 10)

    def test_saved_view_adds_the_view_lookup(self) -> None:
        self.several(3)
        view = actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name="批示件",
            params={"source": "leader_instruction"},
        )
        base = self.count()
        self.assertEqual(self.count(view=view.pk), base + 1)  # the view (its creator may edit it)

    def test_pagination_shows_the_total(self) -> None:
        self.several(25)
        response = self.ledger(per=20, page=2, sort="due")
        page = response.context["page"]
        self.assertEqual((page.number, len(page.object_list), page.paginator.count), (2, 5, 25))
        self.assertContains(response, "共 25 件")
        self.assertContains(response, "2 / 2")
        first = self.ledger(per=20, sort="due")
        self.assertContains(first, "page=2")
        self.assertContains(first, "per=20")

    def test_sorts(self) -> None:
        today = timezone.localdate()
        late = self.make("逾期", due_date=today - dt.timedelta(days=2))
        near = self.make("临近", due=today + dt.timedelta(days=1))
        far = self.make("远期", due=FAR)
        closed = self.make("办结", state=ItemState.COMPLETED, completed_at=timezone.now())
        ids = lambda **p: [i.pk for i in self.ledger(**p).context["page"]]  # noqa: E731
        # Equal due dates: the older first (the tie-break is id, the item_due index's order).
        self.assertEqual(ids(sort="due"), [late.pk, near.pk, far.pk, closed.pk])
        self.assertEqual(ids(sort="light"), [late.pk, near.pk, far.pk, closed.pk])
        self.assertEqual(ids(sort="-created"), [closed.pk, far.pk, near.pk, late.pk])
        self.assertEqual(ids(sort="created"), [late.pk, near.pk, far.pk, closed.pk])
        self.assertEqual(ids(sort="-completed")[0], closed.pk)
        town = self.make("区里", lead=self.town)
        self.assertEqual(
            ids(sort="lead_unit")[-1], town.pk
        )  # 东湖区 comes after 市发改委 in the tree

    def test_column_headers_sort_and_reverse(self) -> None:
        self.several(2)
        response = self.ledger(source="leader_instruction", page=1)
        self.assertContains(response, 'href="?source=leader_instruction&amp;sort=due"')
        self.assertContains(response, 'href="?source=leader_instruction&amp;sort=light"')
        response = self.ledger(source="leader_instruction", sort="due")
        self.assertContains(response, 'href="?source=leader_instruction&amp;sort=-due"')
        self.assertContains(response, '<th data-col="doc_number">文号</th>')  # not sortable
        printed = self.as_("office").get(reverse("ledgers:print"), {"sort": "due"})
        self.assertNotContains(printed, "table-sort-link")

    def test_column_choice(self) -> None:
        self.several(2)
        response = self.ledger(cols=["doc_number", "outcome"])
        self.assertEqual(response.context["columns"], ["seq", "title", "doc_number", "outcome"])
        self.assertContains(response, '<th data-col="doc_number">')
        self.assertNotContains(response, '<th data-col="lead_unit">')
        self.assertContains(response, "济政办发〔2026〕1号")
        bad = self.ledger(cols=["doc_number", "password"])
        self.assertEqual(bad.context["form"].errors["cols"], ["显示列中没有「password」。"])
        self.assertIn("lead_unit", bad.context["columns"])  # the default set

    def test_print_view(self) -> None:
        self.several(3)
        self.make("会议事项", draft={"source": "meeting"})
        params: dict[str, Any] = {"source": "leader_instruction", "lead_unit": self.lead.pk}
        response = self.as_("office").get(
            reverse("ledgers:print"), params | {"cols": ["doc_number"]}
        )
        self.assertContains(response, 'id="print-summary"')
        self.assertContains(response, "来源「领导批示」")
        self.assertContains(response, "主办单位「市发改委」")
        self.assertContains(
            response, "打印时间:" + timezone.localdate().strftime("%Y年").lstrip("0")
        )
        self.assertContains(response, "共 3 件")
        self.assertContains(response, '<th data-col="doc_number">')
        self.assertNotContains(response, "会议事项")
        # The site chrome is marked for the screen only.
        self.assertContains(response, '<header class="navbar navbar-expand-md d-print-none">')
        self.assertNotContains(response, 'id="item-filters"')
        self.assertEqual(Item.objects.count(), 4)

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        response = self.client_for(None).get(reverse("items:list"))
        self.assertEqual(response.status_code, 302)
        response = self.client_for(None).get(reverse("ledgers:print"))
        self.assertEqual(response.status_code, 302)


class LedgerCellsTest(LedgerTestCase):
    """What each column shows (ledgers/templatetags/ledger_tags.py builds the cells)."""

    def row(self, item: Item, **params: Any) -> str:
        every = [key for key, column in COLUMNS.items() if column.optional]
        html = self.ledger(cols=every, **params).content.decode()
        start = html.index(f'href="/items/{item.pk}/"')
        return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]

    def test_every_column_of_a_late_secret_item(self) -> None:
        item = self.make(
            "燃气管道改造",
            co=[self.co, self.sibling],
            draft={"confidentiality": "secret", "responsible_leader": "王副市长"},
            due_date=dt.date(2025, 10, 9),
            provisional=False,
        )
        row = self.row(item)
        self.assertIn("<td>1</td>", row)  # 序号
        self.assertIn('燃气管道改造</a> <span class="badge bg-red-lt">涉密</span>', row)
        self.assertIn("<td>市住建局、市市场监管局</td>", row)
        self.assertIn('<span class="text-red">2025-10-09</span>', row)
        self.assertIn('data-light="red"', row)
        self.assertIn('<span class="badge bg-azure-lt">已交办</span>', row)
        self.assertIn("<td>王副市长</td>", row)
        self.assertIn('<td class="text-nowrap">—</td>', row)  # no 文号, not completed
        self.assertIn("<td>0</td>", row)  # extensions, returns

    def test_a_closed_item_has_no_light_and_its_completion_day(self) -> None:
        item = self.make(
            "已办结事项",
            state=ItemState.COMPLETED,
            outcome="A",
            completed_at=dt.datetime(2025, 10, 10, 15, 30, tzinfo=dt.UTC),
        )
        row = self.row(item, state="closed")
        self.assertNotIn("data-light", row)
        self.assertIn('<td class="text-nowrap">2025-10-10</td>', row)  # 23:30 in Beijing
        self.assertNotIn("text-red", row)
