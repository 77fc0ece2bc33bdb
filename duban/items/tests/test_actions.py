"""Actions: deadlines on assignment, decline, conflicts, and all-or-nothing refusals."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, reporting
from duban.items.models import ItemState, ItemUnit
from duban.items.tests.base import ItemTestCase


class AssignTest(ItemTestCase):
    def test_leader_instruction_three_working_days(self) -> None:
        # seed 004 第十六条(六); 2025 国庆中秋 1–8 October, 11 October (Saturday) is a 调休 workday.
        item = self.assigned()
        self.assertEqual(item.state, ItemState.ASSIGNED)
        self.assertEqual(item.due_date, dt.date(2025, 10, 11))
        self.assertEqual(item.deadline_rule.name if item.deadline_rule else "", "领导批示")
        self.assertEqual(item.deadline_start, dt.date(2025, 9, 30))
        self.assertFalse(item.provisional)
        self.assertIsNotNone(item.calendar_version)
        self.assertIn("领导批示", item.deadline_explanation)
        self.assertEqual(item.lead_unit, self.lead)
        roles = set(item.units.values_list("unit__code", "role"))
        self.assertEqual(roles, {("T-FGW", "lead"), ("T-ZJ", "co")})
        event = Event.objects.filter(type=EventType.ITEM_ASSIGNED).latest("seq")
        self.assertEqual((event.details["from"], event.details["to"]), ("draft", "assigned"))

    def test_explicit_time_limit_overrides(self) -> None:
        item = self.draft(time_limit=dt.date(2025, 12, 31))
        actions.assign(item, actor=self.office, lead_unit=self.lead, start=dt.date(2025, 9, 30))
        self.assertEqual(item.due_date, dt.date(2025, 12, 31))
        self.assertIsNone(item.deadline_rule)
        self.assertIn("明确完成时限", item.deadline_explanation)

    def test_lead_unit_required(self) -> None:
        item = self.draft()
        with self.assertRaises(ValidationError) as caught:
            actions.assign(item, actor=self.office, lead_unit=None)
        self.assertEqual(caught.exception.message_dict["lead_unit"], ["请选择主办单位。"])

    def test_source_without_rule_needs_time_limit(self) -> None:
        item = self.draft(source="complaint")
        with self.assertRaises(ValidationError) as caught:
            actions.assign(item, actor=self.office, lead_unit=self.lead)
        self.assertIn("time_limit", caught.exception.message_dict)


class UnitSideTest(ItemTestCase):
    def test_acknowledge_lead_and_co(self) -> None:
        item = self.assigned()
        actions.acknowledge(item, actor=self.refreshed(self.co_liaison))
        self.assertEqual(item.state, ItemState.ASSIGNED)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(item.state, ItemState.IN_PROGRESS)
        self.assertEqual(ItemUnit.objects.filter(acknowledged_at__isnull=False).count(), 2)

    def test_decline_needs_reason_and_returns_to_draft(self) -> None:
        item = self.assigned()
        liaison = self.refreshed(self.lead_liaison)
        with self.assertRaises(ValidationError) as caught:
            actions.decline(item, actor=liaison, reason="  ")
        self.assertEqual(caught.exception.message_dict["reason"], ["请填写理由。"])
        actions.decline(item, actor=liaison, reason="不属于本单位职责")
        self.assertEqual(self.fresh(item).state, ItemState.DRAFT)
        self.assertIsNone(self.fresh(item).lead_unit)
        self.assertEqual(actions.decline_count(self.lead), 1)
        self.assertEqual(actions.decline_count(self.co), 0)

    def test_co_unit_declines_only_its_part(self) -> None:
        item = self.assigned()
        actions.decline(item, actor=self.refreshed(self.co_liaison), reason="非本单位职责")
        item = self.fresh(item)
        self.assertEqual((item.state, item.lead_unit), (ItemState.ASSIGNED, self.lead))
        self.assertIsNotNone(ItemUnit.objects.get(item=item, unit=self.co).declined_at)
        self.assertEqual(actions.decline_count(self.co), 1)
        event = Event.objects.for_target(item).filter(type=EventType.ITEM_DECLINED).get()
        self.assertEqual(event.details["action"], "decline_part")
        # The lead goes on: it signs and the item is in progress without the co-unit.
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(self.fresh(item).state, ItemState.IN_PROGRESS)

    def test_a_signed_unit_may_not_decline(self) -> None:
        item = self.assigned()
        co = self.refreshed(self.co_liaison)
        actions.acknowledge(item, actor=co)
        with self.assertRaises(ValidationError) as caught:
            actions.decline(item, actor=co, reason="非本单位职责")
        self.assertIn("已签收", caught.exception.message_dict["unit"][0])
        with self.assertRaises(ValidationError):
            actions.acknowledge(item, actor=co)
        self.assertIsNone(ItemUnit.objects.get(item=item, unit=self.co).declined_at)

    def test_whole_lifecycle(self) -> None:
        item = self.assigned()
        liaison, leader = self.refreshed(self.lead_liaison), self.refreshed(self.lead_leader)
        actions.acknowledge(item, actor=liaison)
        # 审签 before the office sees it (seed 004 第十二条、第十七条): the leader signs and sends.
        reporting.draft_final(item, actor=liaison, content="已完成改造")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=leader)
        actions.return_for_redo(item, actor=self.office, reason="缺少验收材料")
        self.assertEqual((item.state, item.return_count), (ItemState.IN_PROGRESS, 1))
        reporting.draft_final(item, actor=liaison, content="补充验收材料")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=leader)
        actions.accept(item, actor=self.office)
        self.assertEqual(item.state, ItemState.COMPLETED)
        self.assertIsNotNone(item.completed_late)
        actions.archive(item, actor=self.office)
        self.assertEqual(self.fresh(item).state, ItemState.ARCHIVED)


class IntegrityTest(ItemTestCase):
    def test_stale_version_conflicts(self) -> None:
        item = self.draft()
        stale = self.fresh(item)
        actions.submit_for_approval(item, actor=self.office)
        with self.assertRaises(actions.Conflict) as caught:
            actions.update_draft(stale, actor=self.office, title="另一个标题")
        self.assertIn("已被他人修改", caught.exception.message_dict["version"][0])

    def test_stale_assign_conflicts(self) -> None:
        item = self.draft()
        stale = self.fresh(item)
        actions.update_draft(item, actor=self.office, title="改过的标题")
        with self.assertRaises(actions.Conflict):
            actions.assign(stale, actor=self.office, lead_unit=self.lead)
        self.assertEqual(self.fresh(item).state, ItemState.DRAFT)
        self.assertFalse(ItemUnit.objects.exists())

    def test_failed_action_changes_nothing(self) -> None:
        item = self.assigned()
        before = (Event.objects.count(), self.fresh(item).version)
        with self.assertRaises(ValidationError):
            actions.decline(item, actor=self.refreshed(self.lead_liaison), reason="")
        after = self.fresh(item)
        self.assertEqual((Event.objects.count(), after.version), before)
        self.assertEqual(after.state, ItemState.ASSIGNED)

    def test_send_back_with_reason(self) -> None:
        item = self.draft()
        actions.submit_for_approval(item, actor=self.office)
        actions.send_back(item, actor=self.refreshed(self.leader), reason="责任单位不准确")
        event = Event.objects.filter(type=EventType.ITEM_SENT_BACK).latest("seq")
        self.assertEqual(event.details["reason"], "责任单位不准确")
        self.assertEqual(item.state, ItemState.DRAFT)
