"""Two consumers on PostgreSQL never hold the same outbox row (SELECT ... FOR UPDATE SKIP LOCKED).

Real commits and one database connection per thread, so a TransactionTestCase. SQLite has no row
locks to skip: there the claim's IMMEDIATE transaction serialises consumers instead, which the
single-connection tests in test_delivery.py cover.
"""

from __future__ import annotations

import threading
import unittest

from django.db import connection, connections, transaction
from django.test import TransactionTestCase
from django.utils import timezone

from duban.notify import delivery
from duban.notify.models import Channel, DeliveryWindow, Outbox, OutboxState
from duban.org.models import User

ROWS = 60


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "两个消费者并发领取依赖 PostgreSQL 的行锁 (SKIP LOCKED);SQLite 以 IMMEDIATE 事务串行领取",
)
class TwoConsumersTests(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        user = User.objects.create(username="receiver", email="r@example.org")
        now = timezone.now()
        Outbox.objects.bulk_create(
            Outbox(
                recipient=user,
                channel=Channel.EMAIL,
                payload={"to": user.email},
                next_attempt_at=now,
            )
            for _ in range(ROWS)
        )
        DeliveryWindow.objects.update_or_create(pk=1, defaults={"batch_size": 7})

    def test_locked_rows_are_skipped_not_waited_for(self) -> None:
        first = list(Outbox.objects.order_by("pk").values_list("pk", flat=True)[:10])
        locked, release = threading.Event(), threading.Event()

        def hold() -> None:
            try:
                with transaction.atomic():
                    list(Outbox.objects.select_for_update().filter(pk__in=first))
                    locked.set()
                    release.wait(10)
            finally:
                connections.close_all()

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            self.assertTrue(locked.wait(10))
            claimed = delivery.claim(now=timezone.now(), window=DeliveryWindow.current())
        finally:
            release.set()
            holder.join()
        self.assertEqual(len(claimed), 7)
        self.assertFalse({row.pk for row in claimed} & set(first))

    def test_two_consumers_claim_disjoint_rows(self) -> None:
        window = DeliveryWindow.current()
        start = threading.Barrier(2)
        taken: dict[str, list[int]] = {"a": [], "b": []}

        def consume(name: str) -> None:
            try:
                start.wait(10)
                while rows := delivery.claim(now=timezone.now(), window=window, worker=name):
                    taken[name].extend(row.pk for row in rows)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=consume, args=(name,)) for name in taken]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        a, b = set(taken["a"]), set(taken["b"])
        self.assertEqual(len(taken["a"]) + len(taken["b"]), ROWS)
        self.assertFalse(a & b)
        self.assertEqual(Outbox.objects.filter(state=OutboxState.SENDING).count(), ROWS)
        self.assertEqual(Outbox.objects.filter(attempts=1).count(), ROWS)
