"""The 台账 page's rows found the cheaper ways (ledgers/pages.py) are the queryset's own: the same
ids in the same order, and the same total, for every person, filter, sort and page."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from duban.items.access import scope_extent, scope_of
from duban.ledgers import pages
from duban.ledgers.filters import ledger_items, ordered
from duban.ledgers.tests.dash_fixtures import DashboardTestCase
from duban.ledgers.tests.test_counts import FILTERS, CountsTestCase
from duban.org.models import User

SORTS = ("-created", "created", "due", "-due")
PER = 3


def expected(user: Any, data: dict[str, Any], page: slice) -> list[int]:
    rows = ordered(ledger_items(user, data), data.get("sort"))
    return list(rows.values_list("pk", flat=True)[page])


class PageCase(DashboardTestCase):
    def assert_pages(self, user: Any, data: dict[str, Any], listed: Any, total: int) -> None:
        self.assertEqual(total, ledger_items(user, data).count())
        self.assertEqual(len(listed), total)
        for start in range(0, total + PER, PER):  # every page, and one past the end
            page = slice(start, start + PER)
            self.assertEqual([row.pk for row in listed[page]], expected(user, data, page))


class ReachRowPagesTest(CountsTestCase, PageCase):
    def test_the_pages_are_the_querysets_for_everyone(self) -> None:
        self.add_people_across_trees()
        with override_settings(DUBAN_NARROW_SCOPE_UNITS=0):  # every scope wide
            answered = self.check_everyone()
        self.assertGreater(answered, 20)

    def check_everyone(self) -> int:
        answered = 0
        for person in User.objects.filter(is_active=True):
            for filters in [*FILTERS, *self.unit_filters()]:
                for sort in SORTS:
                    data = {**filters, "sort": sort}
                    with self.subTest(person=person.username, data=data):
                        answered += self.check_one(self.refreshed(person), data)
        return answered

    def check_one(self, user: Any, data: dict[str, Any]) -> int:
        listed = pages.by_reach_rows(user, data, ordered(ledger_items(user, data), data["sort"]))
        if listed is None:
            return 0
        self.assert_pages(user, data, listed, len(listed))
        return 1

    def test_a_narrow_scope_takes_the_rows_for_any_filter_they_carry(self) -> None:
        self.add_people_across_trees()
        user = self.refreshed(self.lead_liaison)  # one unit: narrow
        for data in ({"state": "open"}, {"sort": "due"}, {"light": "green", "sort": "-due"}):
            with self.subTest(data=data):
                rows = ordered(ledger_items(user, data), data.get("sort"))
                listed, total = pages.paged(user, data, rows)
                assert isinstance(listed, pages.OrderedRows)
                self.assertEqual(listed.source, "reach rows")
                self.assertEqual(total, ledger_items(user, data).count())

    def test_the_total_and_the_shown_page_come_in_one_statement(self) -> None:
        """The rows' count and the rows down to the page shown are read together; a page past
        them is read again, in the same order."""
        for n in range(8):
            self.assigned(title=f"分页事项{n}")
        user = self.refreshed(self.lead_liaison)
        for page in (1, 2):
            data = {"sort": "-created", "per": 2, "page": page}
            with self.subTest(page=page):
                rows = ordered(ledger_items(user, data), "-created")
                with CaptureQueriesContext(connection) as queries:
                    listed = pages.by_reach_rows(user, data, rows)
                    assert listed is not None
                    listed[(page - 1) * 2 : page * 2]
                read = [q for q in queries if "items_reach_rows" in q["sql"]]
                self.assertEqual(len(read), 1)
                self.assertGreater(len(listed), 6)
                self.assert_pages(user, data, listed, len(listed))

    def test_a_wide_scope_takes_the_rows_for_overdue_items_newest_first_or_tags(
        self,
    ) -> None:
        self.add_people_across_trees()
        cases = [
            ({"light": "red"}, True),
            ({"due": "overdue", "sort": "-created"}, True),
            ({"light": "red", "sort": "due"}, False),
            ({"state": "open"}, False),
            ({"tag": "民生实事", "sort": "due"}, True),
            ({"tag": "民生实事", "state": "open", "sort": "-due"}, True),
            ({"tag": "民生实事"}, True),
            ({"tag": "民生实事", "sort": "created"}, True),
            ({"tag": "民生实事", "sort": "title"}, False),
        ]
        with override_settings(DUBAN_NARROW_SCOPE_UNITS=0):
            user = self.refreshed(self.office)
            for data, by_rows in cases:
                with self.subTest(data=data):
                    rows = ordered(ledger_items(user, data), data.get("sort"))
                    listed, total = pages.paged(user, data, rows)
                    self.assertEqual(isinstance(listed, pages.OrderedRows), by_rows)
                    self.assertEqual(total, ledger_items(user, data).count())

    def test_the_whole_trees_pages_walk_the_registration_index(self) -> None:
        self.add_people_across_trees()
        user = self.refreshed(User.objects.get(username="root"))
        walked = 0
        for filters in [*FILTERS, *self.unit_filters()]:
            for sort in SORTS:
                data = {**filters, "sort": sort}
                with self.subTest(data=data):
                    listed, total = pages.paged(user, data, ordered(ledger_items(user, data), sort))
                    if isinstance(listed, pages.OrderedRows):
                        self.assertEqual(listed.source, "index")
                        assert total is not None
                        self.assert_pages(user, data, listed, total)
                        walked += 1
        self.assertGreater(walked, 10)

    def test_over_the_cap_the_queryset_pages(self) -> None:
        self.add_people_across_trees()
        with override_settings(DUBAN_NARROW_SCOPE_UNITS=0):
            user = self.refreshed(self.office)  # the city, no longer the whole tree: one root
            data = {"sort": "due"}
            rows = ordered(ledger_items(user, data), "due")
            self.assertTrue(pages.by_reach_rows(user, data, rows))
            self.assertIsNone(pages.by_reach_rows(user, data, rows, cap=0))

    def test_sorts_the_rows_do_not_carry_page_the_queryset(self) -> None:
        with override_settings(DUBAN_NARROW_SCOPE_UNITS=0):
            user = self.refreshed(self.lead_liaison)
            for data in ({"sort": "title"}, {"sort": "due", "outcome": "A"}):
                with self.subTest(data=data):
                    rows = ordered(ledger_items(user, data), data["sort"])
                    self.assertIsNone(pages.by_reach_rows(user, data, rows))


class FoundOncePagesTest(PageCase):
    """Both databases: the ids found once need no reach rows."""

    def setUp(self) -> None:
        self.build_city()
        # Registered through the actions, which write the text a search reads.
        for title in ("燃气管道改造", "老旧小区燃气检查", "燃气安全专项督查", "消防通道整治"):
            self.assigned(title=title)

    def test_a_keywords_pages_are_the_querysets(self) -> None:
        User.objects.create_superuser("root", password="x")
        checked = 0
        for person in User.objects.filter(is_active=True):
            for sort in (*SORTS, "title", "light", "lead_unit"):
                data = {"q": "燃气", "sort": sort}
                with self.subTest(person=person.username, sort=sort):
                    user = self.refreshed(person)
                    listed, total = pages.paged(user, data, ordered(ledger_items(user, data), sort))
                    scope = scope_of(user, "view")
                    if scope is None or scope_extent(user, scope)[0]:
                        # Nothing to find, or the whole tree, which keeps its two queries.
                        self.assertNotIsInstance(listed, pages.OrderedRows)
                        continue
                    self.assertIsInstance(listed, pages.OrderedRows)
                    assert total is not None
                    self.assert_pages(user, data, listed, total)
                    checked += total > 0
        self.assertGreater(checked, 0)

    def test_a_narrow_scopes_pages_are_the_querysets(self) -> None:
        checked = 0
        for person in User.objects.filter(is_active=True):
            user = self.refreshed(person)
            scope = scope_of(user, "view")
            if scope is None or any(scope_extent(user, scope)):
                continue  # nothing to see, the whole tree, or wide
            for filters in ({}, {"state": "open"}, {"light": "red"}, {"source": "meeting"}):
                for sort in (*SORTS, "title", "light", "lead_unit"):
                    data = {**filters, "sort": sort}
                    with self.subTest(person=person.username, data=data):
                        rows = ordered(ledger_items(user, data), sort)
                        listed, total = pages.paged(user, data, rows)
                        self.assertIsInstance(listed, pages.OrderedRows)
                        assert total is not None
                        self.assert_pages(user, data, listed, total)
                        checked += total > 0
        self.assertGreater(checked, 10)
