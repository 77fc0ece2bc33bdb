"""The counts of frequent keywords (ledgers/keyword_tally.py) on PostgreSQL: exact through every
change of an item, started by the whole tree's search, used for its total, and never started
while an item is being written."""

from __future__ import annotations

import datetime as dt
import re
import unittest
from typing import Any
from unittest import mock

from django.db import connection, connections, transaction
from django.db.models import Q
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.items import actions
from duban.items.lights import LIGHTS, light_q
from duban.items.models import Confidentiality, Item, ItemSource, ItemState
from duban.ledgers import keyword_tally, pages
from duban.ledgers.counts import fast_count
from duban.ledgers.filters import ledger_items, ordered
from duban.ledgers.tests.test_counts import CountsTestCase
from duban.ledgers.tests.test_pages import SORTS, PageCase
from duban.org import actions as org
from duban.org.models import Unit, User

TERM = "老旧小区"
DAYS = (dt.date(2025, 10, 1), dt.date(2025, 10, 15), dt.date(2026, 1, 1))
PAIR = "燃气"


def matching(term: str, **by: Any) -> int:
    """What the count must be: the items not 涉密 whose text holds the term (and meet `by`)."""
    items = Item.objects.exclude(confidentiality=Confidentiality.SECRET)
    return items.filter(search_text__contains=term, **by).count()


def tally_rows(grain: int = 1) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term_id, n FROM ledgers_keyword_tally WHERE grain = %s"
            " ORDER BY term_id, state, source, due_date, id",
            [grain],
        )
        return list(cursor.fetchall())


def keys_folded() -> bool:
    """Whether each key has one row at most."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) = count(DISTINCT (term_id, grain, state, source, due_date))"
            " FROM ledgers_keyword_tally"
        )
        return bool(cursor.fetchone()[0])


# Answered from the counts: the first nine (for the root, once both keywords are kept).
KEYWORD_FILTERS: list[dict[str, Any]] = [
    {"q": TERM},
    {"q": PAIR},
    {"q": TERM, "state": "open"},
    {"q": TERM, "state": "closed", "source": "other"},
    {"q": PAIR, "state": ItemState.IN_PROGRESS},
    {"q": TERM, "light": "red"},
    {"q": TERM, "light": "green", "source": "other"},
    {"q": TERM, "due": "overdue"},
    {"q": PAIR, "due_from": dt.date(2025, 10, 1), "due_to": dt.date(2026, 12, 31)},
    {"q": TERM, "due": "provisional"},
    {"q": TERM, "lead_unit": 1},
    {"q": TERM, "created_from": dt.date(2025, 1, 1)},
    {"q": "无此词"},
]


def make_items(office: Unit, count: int, title: str) -> list[Item]:
    return [
        actions.create_item(actor=None, owner_unit=office, title=title, source="other")
        for _ in range(count)
    ]


def counted_on_the_items(sql: str) -> bool:
    """A count of the whole tree's matches on the items (the person's own few aside)."""
    return "COUNT(*)" in sql and "LIKE" in sql and "named_people" not in sql


def retitle(item: Item, title: str) -> None:
    Item.objects.filter(pk=item.pk).update(title=title, search_text=title)


class KeywordTallyTest(CountsTestCase):
    def assert_counted(self) -> None:
        states = set(Item.objects.values_list("state", flat=True))
        sources = set(Item.objects.values_list("source", flat=True))
        for term in (TERM, PAIR):
            self.assertEqual(keyword_tally.count(term), matching(term), term)
            for state in states:
                by_state = keyword_tally.count(term, Q(state=state))
                self.assertEqual(by_state, matching(term, state=state), (term, state))
            for source in sources:
                by_source = keyword_tally.count(term, Q(source=source))
                self.assertEqual(by_source, matching(term, source=source), (term, source))
            self.assertEqual(keyword_tally.count(term, by_day=True), matching(term))
            for light in LIGHTS:
                by_light = keyword_tally.count(term, light_q(light), by_day=True)
                held = Item.objects.filter(light_q(light)).exclude(
                    confidentiality=Confidentiality.SECRET
                )
                self.assertEqual(by_light, held.filter(search_text__contains=term).count())
            for day in DAYS:
                before = keyword_tally.count(term, Q(due_date__lt=day), by_day=True)
                self.assertEqual(before, matching(term, due_date__lt=day), (term, day))

    def test_the_count_follows_every_change(self) -> None:
        first, second, third = make_items(self.supervision, 3, f"{TERM}改造")
        self.assertIsNone(keyword_tally.count(TERM))
        self.assertTrue(keyword_tally.track(TERM))
        self.assertTrue(keyword_tally.track(PAIR))
        self.assertFalse(keyword_tally.track(TERM))  # kept already
        self.assertEqual(keyword_tally.count(TERM), 3)
        self.assertEqual(keyword_tally.count(PAIR), 0)
        make_items(self.supervision, 2, f"{TERM}{PAIR}管网更新")
        self.assert_counted()
        secret = actions.create_item(
            actor=None,
            owner_unit=self.supervision,
            title=f"{TERM}{PAIR}",
            source="other",
            confidentiality=Confidentiality.SECRET,
        )
        self.assert_counted()
        retitle(first, "背街小巷整治")
        retitle(self.red, f"{PAIR}安全排查")
        self.assert_counted()
        Item.objects.filter(pk__in=[second.pk, third.pk]).update(search_text=f"{TERM} {PAIR}")
        self.assert_counted()
        Item.objects.filter(pk=second.pk).update(confidentiality=Confidentiality.SECRET)
        self.assert_counted()
        Item.objects.filter(pk=second.pk).update(confidentiality=Confidentiality.PUBLIC)
        self.assert_counted()
        Item.objects.filter(pk=second.pk).update(state=ItemState.IN_PROGRESS)
        Item.objects.filter(pk=third.pk).update(source=ItemSource.MEETING)
        self.assert_counted()
        self.assertEqual(keyword_tally.count(TERM, Q(state=ItemState.IN_PROGRESS)), 1)
        Item.objects.filter(pk=second.pk).update(due_date=dt.date(2025, 10, 20))  # extended
        Item.objects.filter(pk=third.pk).update(due_date=None)
        self.assert_counted()
        Item.objects.filter(pk__in=[third.pk, self.red.pk, secret.pk]).delete()
        self.assert_counted()
        self.assertEqual(keyword_tally.count(TERM), 3)

    def test_the_sweeps_updates_add_nothing(self) -> None:
        make_items(self.supervision, 2, TERM)
        keyword_tally.track(TERM)
        kept = tally_rows()
        Item.objects.update(swept_light="red")
        self.assertEqual(tally_rows(), kept)

    def test_folding_keeps_every_count_and_leaves_one_row_per_keyword(self) -> None:
        items = make_items(self.supervision, 3, TERM)
        keyword_tally.track(TERM)
        keyword_tally.track(PAIR)
        make_items(self.supervision, 2, f"{TERM}{PAIR}")
        retitle(items[0], "其他")
        self.assertGreater(len(tally_rows()), 2)
        self.assertFalse(keys_folded())
        keyword_tally.compact()
        self.assert_counted()
        self.assertEqual([n for _, n in tally_rows()], [4, 2])
        self.assertTrue(keys_folded())

    def test_a_rebuild_counts_what_was_written_without_triggers(self) -> None:
        """The province generator writes its batches with the triggers off, then rebuilds."""
        (item,) = make_items(self.supervision, 1, TERM)
        keyword_tally.track(TERM)
        keyword_tally.track(PAIR)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            retitle(item, PAIR)
            cursor.execute("SET session_replication_role = DEFAULT")
        self.assertEqual(keyword_tally.count(TERM), 1)  # left behind
        keyword_tally.rebuild()
        self.assert_counted()
        self.assertEqual(keyword_tally.count(PAIR), 1)

    def test_only_keywords_compared_as_bytes_of_two_characters_or_more(self) -> None:
        make_items(self.supervision, 1, "区Wi-Fi覆盖 2026年")
        for term in ("区", "WI-FI", "Wi-Fi", "x" * (keyword_tally.TERM_MAX + 1)):
            self.assertFalse(keyword_tally.track(term), term)
            self.assertIsNone(keyword_tally.count(term), term)
        self.assertTrue(keyword_tally.track("2026"))
        self.assertEqual(keyword_tally.count("2026"), 1)

    def test_the_list_of_keywords_is_capped(self) -> None:
        with mock.patch.object(keyword_tally, "TERMS_CAP", 1):
            self.assertTrue(keyword_tally.track(TERM))
            self.assertFalse(keyword_tally.track(PAIR))
        self.assertIsNone(keyword_tally.count(PAIR))


class WholeTreeSearchTest(CountsTestCase, PageCase):
    def setUp(self) -> None:
        super().setUp()
        self.add_people_across_trees()
        retitle(self.red, f"{TERM}改造")
        retitle(self.green, f"{TERM}{PAIR}")
        secret = Item.objects.get(confidentiality=Confidentiality.SECRET)
        retitle(secret, TERM)
        self.root = User.objects.get(username="root")
        secret.named_people.add(self.root)  # the root's own: counted on the items

    def ledger(self, user: User, q: str) -> Any:
        response = self.client_for(user).get(reverse("items:list"), {"q": q})
        self.assertEqual(response.status_code, 200)
        return response.context["page"].paginator.count

    def test_a_frequent_keyword_is_counted_from_its_tally_from_the_second_search_on(self) -> None:
        expected = ledger_items(self.refreshed(self.root), {"q": TERM}).count()
        self.assertEqual(expected, 3)
        with mock.patch.object(keyword_tally, "TRACK_FROM", 3):
            self.assertEqual(self.ledger(self.root, PAIR), 1)  # too few: not kept
            self.assertIsNone(keyword_tally.count(PAIR))
            self.assertEqual(self.ledger(self.root, TERM), expected)  # counted, and now kept
        self.assertEqual(keyword_tally.count(TERM), matching(TERM))
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.ledger(self.root, f" {TERM} "), expected)
        self.assertTrue(any("ledgers_keyword_tally" in q["sql"] for q in queries))
        self.assertFalse(any(counted_on_the_items(q["sql"]) for q in queries))

    def test_the_total_is_the_items_count_for_everyone(self) -> None:
        keyword_tally.track(TERM)
        keyword_tally.track(PAIR)
        answered = 0
        for person in User.objects.filter(is_active=True):
            for data in KEYWORD_FILTERS:
                with self.subTest(person=person.username, data=data):
                    fast = fast_count(self.refreshed(person), data)
                    if fast is not None:
                        answered += 1
                        self.assertEqual(fast, ledger_items(self.refreshed(person), data).count())
        # The root's kept keywords, alone or by state, source, light or due date.
        self.assertEqual(answered, 9)

    def test_a_kept_keywords_pages_are_the_querysets(self) -> None:
        keyword_tally.track(TERM)
        for sort in (*SORTS, "title", "light"):
            for light in ("", "red"):
                data = {"q": TERM, "sort": sort, "light": light}
                with self.subTest(sort=sort, light=light):
                    user = self.refreshed(self.root)
                    rows = ordered(ledger_items(user, data), sort)
                    listed, total = pages.paged(user, data, rows)
                    assert total is not None
                    self.assert_pages(user, data, listed, total)
                    walked = isinstance(listed, pages.OrderedRows) and listed.source == "index"
                    self.assertEqual(walked, sort in ("-created", "created"))

    def test_a_narrower_scope_or_another_filter_counts_the_items(self) -> None:
        keyword_tally.track(TERM)
        self.assertIsNone(fast_count(self.refreshed(self.office), {"q": TERM}))
        self.assertIsNone(fast_count(self.refreshed(self.root), {"q": TERM, "lead_unit": 1}))
        self.assertIsNone(fast_count(self.refreshed(self.root), {"q": TERM, "due": "provisional"}))
        self.assertIsNotNone(fast_count(self.refreshed(self.root), {"q": TERM, "light": "red"}))
        self.assertIsNone(fast_count(self.refreshed(self.root), {"q": "无此词"}))
        self.assertIsNotNone(fast_count(self.refreshed(self.root), {"q": TERM}))


@unittest.skipUnless(connection.vendor == "postgresql", "两个真正并发的事务需要 PostgreSQL")
class LockTest(TransactionTestCase):
    """While another transaction writes an item, a keyword's count cannot start exactly: the
    item's trigger ran before the keyword was on the list. So `track` waits for the lock, and
    gives up when it does not come; the next search asks again."""

    serialized_rollback = True

    def tearDown(self) -> None:
        # The list is not a model Django flushes: leave it as the other tests found it.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ledgers_keyword_term")
            cursor.execute("DELETE FROM ledgers_keyword_tally")

    def test_a_write_in_progress_keeps_the_keyword_untracked(self) -> None:
        city = org.create_unit(actor=None, code="T", name="计数市", kind="other")
        office = org.create_unit(
            actor=None, code="T-DCS", name="计数市督查室", kind="government", parent=city
        )
        (item,) = make_items(office, 1, TERM)
        other = connections.create_connection("default")
        try:
            other.set_autocommit(False)
            with other.cursor() as cursor:
                cursor.execute("UPDATE items_item SET title = title WHERE id = %s", [item.pk])
                with mock.patch.object(keyword_tally, "LOCK_TIMEOUT", "50ms"):
                    self.assertFalse(keyword_tally.track(TERM))
            other.rollback()
        finally:
            other.close()
        self.assertIsNone(keyword_tally.count(TERM))
        with transaction.atomic():
            self.assertTrue(keyword_tally.track(TERM))
        self.assertEqual(keyword_tally.count(TERM), 1)
        actions.update_draft(item, actor=None, title="别的事项")
        self.assertEqual(keyword_tally.count(TERM), 0)

    def test_a_count_started_or_folded_is_summed_from_its_index_alone(self) -> None:
        """Vacuumed, so a sum by day reads no row from the table (VACUUM needs no transaction
        open, as here)."""
        city = org.create_unit(actor=None, code="V", name="清理市", kind="other")
        make_items(city, 3, TERM)
        self.assertTrue(keyword_tally.track(TERM))
        self.assertEqual(heap_fetches(), 0)
        make_items(city, 2, TERM)
        self.assertGreater(heap_fetches(), 0)
        keyword_tally.compact()
        self.assertEqual(heap_fetches(), 0)
        self.assertEqual(keyword_tally.count(TERM, by_day=True), 5)


def heap_fetches() -> int:
    """The rows a sum of the counts by day read from the table, the index being used."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)"
            " SELECT sum(n) FROM ledgers_keyword_tally WHERE grain = 0 AND term_id > 0"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    found = re.search(r"Heap Fetches: (\d+)", plan)
    assert found is not None, plan
    return int(found.group(1))
