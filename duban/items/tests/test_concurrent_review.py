"""Two office staff review the same final report at once: one verdict lands, the other is told
the item changed under it, and nothing is half done (issue 4 item 9, "concurrent review")."""

from __future__ import annotations

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, reporting
from duban.items.models import Item, ItemState, ProgressReport, ReportState
from duban.items.tests.test_pages import FAR
from duban.items.tests.test_report_pages import ReportPagesTestCase
from duban.org import actions as org
from duban.org.models import User


class StaleReviewTest(ReportPagesTestCase):
    def submitted(self) -> Item:
        item = self.started()
        liaison = self.refreshed(self.lead_liaison)
        reporting.draft_final(item, actor=liaison, content="已完成")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader))
        return self.fresh(item)

    def test_second_verdict_on_a_stale_page_is_a_conflict(self) -> None:
        item = self.submitted()
        first, second = self.fresh(item), self.fresh(item)
        actions.accept(first, actor=self.office, outcome="A")
        with self.assertRaises(actions.Conflict):
            actions.return_for_redo(second, actor=self.office_head, reason="材料不全")
        item = self.fresh(item)
        self.assertEqual((item.state, item.return_count), (ItemState.COMPLETED, 0))
        self.assertFalse(Event.objects.filter(type=EventType.ITEM_RETURNED).exists())
        final = ProgressReport.objects.get(item=item)
        self.assertEqual(final.state, ReportState.SUBMITTED)  # not marked returned

    def test_the_same_through_the_page(self) -> None:
        item = self.submitted()
        seen = item.version
        self.as_("office").post(
            self.act_url(item, "accept"), {"accept-version": seen, "accept-outcome": "A"}
        )
        response = self.as_("office_head").post(
            self.act_url(item, "return_for_redo"),
            {"return_for_redo-version": seen, "return_for_redo-reason": "材料不全"},
        )
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(self.fresh(item).state, ItemState.COMPLETED)


@unittest.skipUnless(
    connection.vendor == "postgresql", "真正并发的两个事务需要 PostgreSQL 的行锁;SQLite 串行写入"
)
class SimultaneousReviewTest(TransactionTestCase):
    """Two threads, two connections, both verdicts sent at the same moment."""

    serialized_rollback = True

    def setUp(self) -> None:
        city = org.create_unit(actor=None, code="C", name="并发市", kind="other")
        office_unit = org.create_unit(
            actor=None, code="C-DCS", name="并发市督查室", kind="government", parent=city
        )
        lead = org.create_unit(
            actor=None, code="C-FGW", name="并发市发改委", kind="department", parent=city
        )
        self.office = self.person("office", office_unit, "office", city)
        self.head = self.person("head", office_unit, "office_head", city)
        liaison = self.person("liaison", lead, "liaison", None)
        leader = self.person("leader", lead, "unit_leader", None)
        item = actions.create_item(
            actor=self.office, owner_unit=office_unit, title="并发审核", source="other"
        )
        actions.assign(item, actor=self.office, lead_unit=lead, time_limit=FAR)
        actions.acknowledge(item, actor=liaison)
        reporting.draft_final(item, actor=liaison, content="已完成")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=leader)
        self.item_id = item.pk

    def person(self, name: str, unit: object, role: str, scope: object) -> User:
        user = org.create_user(actor=None, username=name, full_name=name, password=None)
        org.grant_role(user, unit, role, actor=None, scope=scope)  # type: ignore[arg-type]
        return User.objects.get(pk=user.pk)

    def test_exactly_one_verdict_lands(self) -> None:
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def verdict(name: str) -> None:
            try:
                item = Item.objects.get(pk=self.item_id)
                barrier.wait(timeout=10)
                if name == "accept":
                    actions.accept(item, actor=self.office, outcome="A")
                else:
                    actions.return_for_redo(item, actor=self.head, reason="材料不全")
                outcomes[name] = "done"
            except actions.Conflict:
                outcomes[name] = "conflict"
            finally:
                connections.close_all()

        threads = [threading.Thread(target=verdict, args=(n,)) for n in ("accept", "return")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(sorted(outcomes.values()), ["conflict", "done"])
        item = Item.objects.get(pk=self.item_id)
        landed = "accept" if outcomes["accept"] == "done" else "return"
        expected = ItemState.COMPLETED if landed == "accept" else ItemState.IN_PROGRESS
        self.assertEqual(item.state, expected)
        verdicts = Event.objects.filter(type__in=[EventType.ITEM_ACCEPTED, EventType.ITEM_RETURNED])
        self.assertEqual(verdicts.count(), 1)
