"""The item tally (items/tally.py) on PostgreSQL: deltas that fold without changing a sum, and
changes that never wait for one another on it."""

from __future__ import annotations

import datetime as dt
import unittest

from django.db import connection, connections, transaction
from django.db.models import Q
from django.test import TestCase, TransactionTestCase

from duban.items import actions, tally
from duban.items.models import Item, ItemState, Tally
from duban.org import actions as org

DUE = dt.date(2026, 6, 30)


Key = tuple[int, str, str, dt.date | None]


def rows() -> list[tuple[int, str, str, dt.date | None, int]]:
    ordered = Tally.objects.order_by("grain", "state", "source", "due_date", "n")
    return list(ordered.values_list("grain", "state", "source", "due_date", "n"))


def sums() -> dict[Key, int]:
    result: dict[Key, int] = {}
    for grain, state, source, due, n in rows():
        key = (grain, state, source, due)
        result[key] = result.get(key, 0) + n
    return {key: n for key, n in result.items() if n}


def make_items(count: int) -> list[Item]:
    city = org.create_unit(actor=None, code="T", name="计数市", kind="other")
    office = org.create_unit(
        actor=None, code="T-DCS", name="计数市督查室", kind="government", parent=city
    )
    return [
        actions.create_item(actor=None, owner_unit=office, title=f"事项{n}", source="other")
        for n in range(count)
    ]


@unittest.skipUnless(connection.vendor == "postgresql", "事项计数表是 PostgreSQL 的触发器维护的")
class CompactTest(TestCase):
    def test_folding_keeps_every_sum_and_leaves_one_row_per_key(self) -> None:
        items = make_items(3)
        for item in items:
            Item.objects.filter(pk=item.pk).update(due_date=DUE)
        Item.objects.filter(pk=items[0].pk).update(state=ItemState.IN_PROGRESS)
        before = sums()
        self.assertGreater(len(rows()), len(before))  # deltas, several per key

        tally.compact()

        self.assertEqual(sums(), before)
        kept = rows()
        self.assertEqual(len(kept), len(before))
        self.assertTrue(all(n > 0 for *_, n in kept))  # keys that came to nothing are gone
        self.assertEqual(tally.count(Q(due_date=DUE), by_day=True), 3)
        for by_day in (True, False):
            self.assertEqual(tally.count(Q(state=ItemState.IN_PROGRESS), by_day=by_day), 1)
            self.assertEqual(tally.count(Q(), by_day=by_day), 3)

    def test_folding_again_changes_nothing(self) -> None:
        make_items(2)
        tally.compact()
        kept = sorted(Tally.objects.values_list("id", "n"))
        tally.compact()
        self.assertEqual(sorted(Tally.objects.values_list("id", "n")), kept)


@unittest.skipUnless(connection.vendor == "postgresql", "两个真正并发的事务需要 PostgreSQL")
class NoWaitTest(TransactionTestCase):
    """Two transactions change items of the same state, source and due date at once: with a
    shared counter row the second would wait for the first to commit (here: fail on the lock
    timeout); with deltas neither waits, and the sums come out right."""

    serialized_rollback = True

    def test_two_changes_of_one_key_do_not_wait_for_each_other(self) -> None:
        first, second = make_items(2)
        other = connections.create_connection("default")
        try:
            with transaction.atomic():
                Item.objects.filter(pk=first.pk).update(state=ItemState.IN_PROGRESS)
                with other.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '5s'")
                    cursor.execute(
                        "UPDATE items_item SET state = %s WHERE id = %s",
                        [ItemState.IN_PROGRESS, second.pk],
                    )
                    # The other connection commits while this transaction still holds its change.
                    self.assertTrue(other.get_autocommit())
                tally.compact()  # the open transaction's own deltas are folded with the rest
        finally:
            other.close()
        for by_day in (True, False):
            self.assertEqual(tally.count(Q(state=ItemState.IN_PROGRESS), by_day=by_day), 2)
            self.assertEqual(tally.count(Q(), by_day=by_day), 2)
        tally.compact()
        self.assertEqual(tally.count(Q(state=ItemState.IN_PROGRESS), by_day=True), 2)
        self.assertEqual(len(rows()), 2)  # one row at each grain
