"""延期 (seed 004 第十八条): before the deadline only, one pending, an office head decides, cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, extending, reporting, states
from duban.items.models import ExtensionRequest, ExtensionState, Item, ItemSource
from duban.items.tests.base import ItemTestCase

D = dt.date


@contextmanager
def today(day: dt.date) -> Iterator[None]:
    with mock.patch("duban.items.extending._today", return_value=day):
        yield


class ExtensionTestCase(ItemTestCase):
    def started(self, **fields: Any) -> Item:
        item = self.assigned(**fields)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return item

    def ask(self, item: Item, requested: dt.date | None, **fields: Any) -> ExtensionRequest:
        fields.setdefault("reason", "受汛期影响施工暂停")
        fields.setdefault("progress", "已完成主体工程的80%")
        fields.setdefault("next_steps", "汛期结束后加快施工")
        return extending.request_extension(
            item, actor=self.refreshed(self.lead_liaison), requested_date=requested, **fields
        )

    def head(self) -> Any:
        return self.refreshed(self.office_head)


class RequestTest(ExtensionTestCase):
    def test_liaison_asks_before_the_deadline(self) -> None:
        item = self.started()  # due 2025-10-11 (领导批示, 3 working days across 国庆)
        with today(D(2025, 10, 10)):
            request = self.ask(item, D(2025, 10, 20))
        self.assertEqual((request.state, request.due_before), ("pending", D(2025, 10, 11)))
        self.assertEqual(request.unit, self.lead)
        event = Event.objects.filter(type=EventType.ITEM_EXTENSION_REQUESTED).latest("seq")
        self.assertEqual(event.details["requested_date"], "2025-10-20")

    def test_refused_on_and_after_the_due_date(self) -> None:
        item = self.started()
        for day in (D(2025, 10, 11), D(2025, 10, 13)):
            with self.subTest(day=day), today(day), self.assertRaises(ValidationError) as caught:
                self.ask(item, D(2025, 10, 20))
            self.assertIn("之前申请", caught.exception.message_dict["due_date"][0])
        self.assertFalse(ExtensionRequest.objects.exists())

    def test_fields_required(self) -> None:
        item = self.started()
        for field, label in (
            ("reason", "延期理由"),
            ("progress", "目前进展"),
            ("next_steps", "下步措施"),
        ):
            with self.subTest(field=field), today(D(2025, 10, 9)):
                with self.assertRaises(ValidationError) as caught:
                    self.ask(item, D(2025, 10, 20), **{field: " "})
                self.assertEqual(caught.exception.message_dict[field], [f"{label}不能为空。"])

    def test_requested_date_after_due_date(self) -> None:
        item = self.started()
        for requested in (None, D(2025, 10, 11), D(2025, 10, 5)):
            with self.subTest(requested=requested), today(D(2025, 10, 9)):
                with self.assertRaises(ValidationError) as caught:
                    self.ask(item, requested)
                self.assertIn("2025-10-11", caught.exception.message_dict["requested_date"][0])

    def test_only_one_pending(self) -> None:
        item = self.started()
        with today(D(2025, 10, 9)):
            first = self.ask(item, D(2025, 10, 20))
            with self.assertRaisesMessage(ValidationError, "已有一份延期申请待审批"):
                self.ask(self.fresh(item), D(2025, 10, 25))
            extending.withdraw_extension(first, actor=self.refreshed(self.lead_liaison))
            again = self.ask(self.fresh(item), D(2025, 10, 25))
        self.assertEqual(extending.pending(item), again)

    def test_only_the_lead_liaison(self) -> None:
        item = self.started()
        for person in (self.co_liaison, self.sibling_liaison, self.lead_leader, self.office):
            with (
                self.subTest(person=person.username),
                today(D(2025, 10, 9)),
                self.assertRaises(PermissionDenied),
            ):
                extending.request_extension(
                    item,
                    actor=self.refreshed(person),
                    reason="r",
                    progress="p",
                    next_steps="n",
                    requested_date=D(2025, 10, 20),
                )


class DecideTest(ExtensionTestCase):
    def asked(self) -> ExtensionRequest:
        item = self.started()
        with today(D(2025, 10, 9)):
            return self.ask(item, D(2025, 10, 20))

    def test_approve_moves_the_deadline_and_keeps_the_original(self) -> None:
        request = self.asked()
        extending.decide_extension(request, actor=self.head(), approve=True)
        item = self.fresh(request.item)
        self.assertEqual(
            (item.due_date, item.original_due_date), (D(2025, 10, 20), D(2025, 10, 11))
        )
        self.assertEqual(item.extension_count, 1)
        self.assertIn("延至 2025-10-20", item.deadline_explanation)
        self.assertEqual(request.state, ExtensionState.APPROVED)
        event = Event.objects.filter(type=EventType.ITEM_EXTENSION_APPROVED).latest("seq")
        self.assertEqual(
            (event.details["from_due"], event.details["to_due"]), ("2025-10-11", "2025-10-20")
        )
        # A second extension keeps the first deadline as the original.
        with today(D(2025, 10, 15)):
            second = self.ask(item, D(2025, 10, 31))
        extending.decide_extension(
            second, actor=self.head(), approve=True, granted_date=D(2025, 10, 28)
        )
        item = self.fresh(item)
        self.assertEqual(
            (item.due_date, item.original_due_date), (D(2025, 10, 28), D(2025, 10, 11))
        )
        self.assertEqual(item.extension_count, 2)

    def test_reject_needs_a_note(self) -> None:
        request = self.asked()
        with self.assertRaises(ValidationError) as caught:
            extending.decide_extension(request, actor=self.head(), approve=False)
        self.assertIn("decision_note", caught.exception.message_dict)
        extending.decide_extension(request, actor=self.head(), approve=False, note="理由不充分")
        item = self.fresh(request.item)
        self.assertEqual((item.due_date, item.extension_count), (D(2025, 10, 11), 0))
        self.assertEqual(request.state, ExtensionState.REJECTED)
        with self.assertRaisesMessage(ValidationError, "已「未同意」"):
            extending.decide_extension(request, actor=self.head(), approve=True)

    def test_only_an_office_head_decides(self) -> None:
        request = self.asked()
        for person in (self.office, self.lead_liaison, self.lead_leader, self.leader):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                extending.decide_extension(request, actor=self.refreshed(person), approve=True)

    def test_granted_date_after_due_date(self) -> None:
        request = self.asked()
        with self.assertRaises(ValidationError) as caught:
            extending.decide_extension(
                request, actor=self.head(), approve=True, granted_date=D(2025, 10, 10)
            )
        self.assertIn("granted_date", caught.exception.message_dict)

    def test_withdraw_by_the_requester_only(self) -> None:
        request = self.asked()
        with self.assertRaisesMessage(ValidationError, "只有申请人本人"):
            extending.withdraw_extension(request, actor=self.head())
        extending.withdraw_extension(request, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(request.state, ExtensionState.WITHDRAWN)
        self.assertTrue(Event.objects.filter(type=EventType.ITEM_EXTENSION_WITHDRAWN).exists())


class CapTest(ExtensionTestCase):
    """第十六条(七): 人大建议 3 months, at most 6: extensions total at most 3 months."""

    def test_cap_in_months(self) -> None:
        item = self.started(source=ItemSource.NPC_SUGGESTION)
        self.assertEqual(item.due_date, D(2025, 12, 30))  # 2025-09-30 + 3 months
        self.assertEqual(extending.latest_allowed(item), D(2026, 3, 30))  # + 6 months
        with today(D(2025, 12, 1)), self.assertRaises(ValidationError) as caught:
            self.ask(item, D(2026, 3, 31))
        message = caught.exception.message_dict["requested_date"][0]
        self.assertIn("不得超过 3个月", message)
        self.assertIn("2026-03-30", message)
        with today(D(2025, 12, 1)):
            request = self.ask(item, D(2026, 2, 27))
        with self.assertRaisesMessage(ValidationError, "最迟只能延至 2026-03-30"):
            extending.decide_extension(
                request, actor=self.head(), approve=True, granted_date=D(2026, 4, 1)
            )
        extending.decide_extension(request, actor=self.head(), approve=True)
        item = self.fresh(item)
        with today(D(2026, 2, 2)):
            self.ask(item, D(2026, 3, 30))  # the cap itself is still allowed

    def test_no_cap_for_explicit_time_limit(self) -> None:
        item = self.started(time_limit=D(2025, 11, 28))
        self.assertIsNone(extending.latest_allowed(item))
        with today(D(2025, 11, 1)):
            request = self.ask(item, D(2026, 6, 30))
        extending.decide_extension(request, actor=self.head(), approve=True)
        self.assertEqual(self.fresh(item).due_date, D(2026, 6, 30))

    def test_stale_decision_conflicts(self) -> None:
        item = self.started()
        with today(D(2025, 10, 9)):
            request = self.ask(item, D(2025, 10, 20))
        stale = ExtensionRequest.objects.select_related("item").get(pk=request.pk)
        reporting.report_progress(
            self.fresh(item), actor=self.refreshed(self.lead_liaison), content="进展"
        )
        with self.assertRaises(actions.Conflict):
            extending.decide_extension(stale, actor=self.head(), approve=True)
        self.assertEqual(self.fresh(item).due_date, D(2025, 10, 11))

    def test_cancelled_item_cannot_be_decided(self) -> None:
        item = self.started()
        with today(D(2025, 10, 9)):
            request = self.ask(item, D(2025, 10, 20))
        actions.cancel(self.fresh(item), actor=self.head(), reason="重复交办")
        request = ExtensionRequest.objects.get(pk=request.pk)
        with self.assertRaisesMessage(states.IllegalTransition, "「已撤销」,不能执行「审批延期」"):
            extending.decide_extension(request, actor=self.head(), approve=True)
