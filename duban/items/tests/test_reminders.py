"""催办 by hand (seed 004 第七条(五)): who may remind, what is written, how it is answered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, linking, reminding, reporting, states
from duban.items.models import Confidentiality, Item, ItemState, Reminder
from duban.items.tests.base import ItemTestCase
from duban.items.timeline import timeline
from duban.org.models import Unit


class ReminderTestCase(ItemTestCase):
    def started(self, **fields: object) -> Item:
        item = self.assigned(**fields)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        actions.acknowledge(item, actor=self.refreshed(self.co_liaison))
        return item

    def remind(
        self, item: Item, message: str = "请于本周五前报送进展", unit: Unit | None = None
    ) -> list[Reminder]:
        office = self.refreshed(self.office)
        return reminding.remind(item, actor=office, message=message, unit=unit)

    def reminded_events(self, item: Item) -> list[Event]:
        return list(Event.objects.for_target(item).filter(type=EventType.ITEM_REMINDED))

    def open_for(self, persona: str) -> list[tuple[int, int]]:
        user = self.refreshed(getattr(self, persona))
        return [(r.item_id, r.unit_id) for r in reminding.open_reminders(user)]


class RemindTest(ReminderTestCase):
    def test_office_reminds_the_lead_unit(self) -> None:
        item = self.started()
        version = item.version
        [reminder] = self.remind(item, unit=self.lead)
        fresh = self.fresh(item)
        self.assertEqual((fresh.state, fresh.version), (ItemState.IN_PROGRESS, version + 1))
        row = Reminder.objects.get()
        self.assertEqual(row.pk, reminder.pk)
        self.assertEqual(
            (row.item_id, row.unit_id, row.message, row.sent_by_id, row.answered_at),
            (item.pk, self.lead.pk, "请于本周五前报送进展", self.office.pk, None),
        )
        [event] = self.reminded_events(item)
        self.assertEqual(event.actor_id, self.office.pk)
        self.assertEqual(
            event.details,
            {"action": "remind", "units": [self.lead.pk], "message": "请于本周五前报送进展"},
        )

    def test_without_a_unit_reminds_every_active_handling_unit(self) -> None:
        item = self.started()
        self.remind(item, message="  加快进度  ")
        rows = Reminder.objects.order_by("unit_id")
        self.assertEqual(
            sorted((r.unit_id, r.message) for r in rows),
            sorted([(self.lead.pk, "加快进度"), (self.co.pk, "加快进度")]),
        )
        [event] = self.reminded_events(item)
        self.assertEqual(sorted(event.details["units"]), sorted([self.lead.pk, self.co.pk]))

    def test_reminding_an_assigned_item_keeps_its_state(self) -> None:
        item = self.assigned()
        self.remind(item, message="请尽快签收")
        self.assertEqual(self.fresh(item).state, ItemState.ASSIGNED)
        self.assertEqual(Reminder.objects.count(), 2)

    def test_timeline_shows_units_and_message_in_words(self) -> None:
        item = self.started()
        self.remind(item, unit=self.co)
        events = self.reminded_events(item)
        [entry] = timeline(events)
        self.assertEqual(entry.lines, ["催办单位:市住建局", "催办内容:请于本周五前报送进展"])
        self.assertEqual(events[0].type_label, "催办")
        # The audit log's generic view reads the same details without tripping on `units`.
        self.assertIn("催办内容:请于本周五前报送进展", events[0].detail_lines)


class RefusalTest(ReminderTestCase):
    def assert_nothing_written(self, item: Item, version: int) -> None:
        self.assertFalse(Reminder.objects.exists())
        self.assertEqual(self.reminded_events(item), [])
        self.assertEqual(self.fresh(item).version, version)

    def test_message_required(self) -> None:
        item = self.started()
        for blank in ("", "   "):
            with self.subTest(blank=blank), self.assertRaises(ValidationError) as caught:
                self.remind(item, message=blank)
            self.assertEqual(caught.exception.message_dict["message"], ["催办内容不能为空。"])
        with self.assertRaises(ValidationError) as caught:
            self.remind(item, message="催" * 2001)
        self.assertIn("催办内容不能超过 2000 个字符", caught.exception.message_dict["message"][0])
        self.assert_nothing_written(item, item.version)

    def test_only_the_office_may_remind(self) -> None:
        item = self.started()
        personas = ("lead_liaison", "lead_leader", "co_liaison", "sibling_liaison", "leader")
        for persona in personas:
            user = self.refreshed(getattr(self, persona))
            with (
                self.subTest(persona=persona),
                self.assertRaisesMessage(PermissionDenied, "「催办」"),
            ):
                reminding.remind(item, actor=user, message="催一下")
        self.assert_nothing_written(item, item.version)
        head = self.refreshed(self.office_head)
        self.assertEqual(len(reminding.remind(item, actor=head, message="请加快")), 2)

    def test_not_in_draft_submitted_or_completed(self) -> None:
        draft = self.draft()
        with self.assertRaisesMessage(states.IllegalTransition, "「拟办」,不能执行「催办」"):
            self.remind(draft)
        item = self.started(title="另一事项")
        liaison = self.refreshed(self.lead_liaison)
        reporting.draft_final(item, actor=liaison, content="改造全部完成")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader))
        with self.assertRaisesMessage(states.IllegalTransition, "「待审核」,不能执行「催办」"):
            self.remind(item)
        actions.accept(item, actor=self.office)
        with self.assertRaisesMessage(states.IllegalTransition, "「已办结」,不能执行「催办」"):
            self.remind(item)
        self.assertFalse(Reminder.objects.exists())

    def test_unit_must_be_an_active_handling_unit(self) -> None:
        item = self.started()
        with self.assertRaises(ValidationError) as caught:
            self.remind(item, unit=self.sibling)
        self.assertEqual(caught.exception.message_dict["unit"], ["该单位不是此事项的承办单位。"])
        self.assert_nothing_written(item, item.version)

    def test_stale_version_conflicts(self) -> None:
        item = self.started()
        stale = self.fresh(item)
        reporting.report_progress(item, actor=self.refreshed(self.lead_liaison), content="进展")
        with self.assertRaisesMessage(actions.Conflict, "已被他人修改"):
            self.remind(stale)
        self.assert_nothing_written(item, self.fresh(item).version)

    def test_secret_item_only_by_the_people_on_it(self) -> None:
        named = [self.lead_liaison, self.co_liaison]
        item = self.started(confidentiality=Confidentiality.SECRET, named_people=named)
        with self.assertRaises(PermissionDenied):
            reminding.remind(item, actor=self.refreshed(self.office_head), message="催")
        self.assertEqual(len(self.remind(item)), 2)  # office registered it


class AnsweredTest(ReminderTestCase):
    def answered(self, item: Item) -> dict[int, bool]:
        rows = Reminder.objects.filter(item=item)
        return {row.unit_id: row.answered_at is not None for row in rows}

    def test_lead_units_progress_report_answers_only_its_reminder(self) -> None:
        item = self.started()
        self.remind(item)
        reporting.report_progress(item, actor=self.refreshed(self.lead_liaison), content="进展")
        self.assertEqual(self.answered(item), {self.lead.pk: True, self.co.pk: False})

    def test_co_units_input_answers_its_reminder(self) -> None:
        item = self.started()
        self.remind(item, unit=self.co)
        reporting.co_input(item, actor=self.refreshed(self.co_liaison), content="已配合完成摸排")
        self.assertEqual(self.answered(item), {self.co.pk: True})

    def test_final_draft_and_sign_off_answer(self) -> None:
        item = self.started()
        self.remind(item, unit=self.lead)
        liaison = self.refreshed(self.lead_liaison)
        reporting.draft_final(item, actor=liaison, content="改造全部完成")
        self.assertEqual(self.answered(item), {self.lead.pk: True})
        self.remind(item, unit=self.lead, message="请尽快审签")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader), send=False)
        self.assertFalse(Reminder.objects.filter(answered_at__isnull=True).exists())

    def test_an_answered_reminder_keeps_its_first_answer(self) -> None:
        item = self.started()
        [reminder] = self.remind(item, unit=self.lead)
        liaison = self.refreshed(self.lead_liaison)
        reporting.report_progress(item, actor=liaison, content="第一次")
        first = Reminder.objects.get(pk=reminder.pk).answered_at
        reporting.report_progress(item, actor=liaison, content="第二次")
        self.assertEqual(Reminder.objects.get(pk=reminder.pk).answered_at, first)

    def test_one_report_answers_the_linked_items_reminders(self) -> None:
        first = self.started()
        second = self.started(title="落实减税降费政策")
        linking.link_items([first, second], actor=self.office)
        self.remind(self.fresh(first), unit=self.lead)
        self.remind(self.fresh(second), unit=self.lead)
        liaison = self.refreshed(self.lead_liaison)
        reporting.report_progress(self.fresh(first), actor=liaison, content="一次填报")
        self.assertFalse(Reminder.objects.filter(answered_at__isnull=True).exists())


class ReadingTest(ReminderTestCase):
    def test_open_reminders_per_persona(self) -> None:
        item = self.started()
        self.remind(item)
        lead, co = (item.pk, self.lead.pk), (item.pk, self.co.pk)
        self.assertEqual(self.open_for("lead_liaison"), [lead])
        self.assertEqual(self.open_for("lead_leader"), [lead])
        self.assertEqual(self.open_for("co_liaison"), [co])
        for persona in ("sibling_liaison", "office", "leader", "inspector", "auditor"):
            with self.subTest(persona=persona):
                self.assertEqual(self.open_for(persona), [])
        reporting.report_progress(item, actor=self.refreshed(self.lead_liaison), content="进展")
        self.assertEqual(self.open_for("lead_liaison"), [])
        self.assertEqual(self.open_for("co_liaison"), [co])

    def test_open_reminders_leave_with_the_item(self) -> None:
        item = self.started()
        self.remind(item, unit=self.co)
        actions.cancel(item, actor=self.refreshed(self.office_head), reason="重复登记")
        self.assertEqual(self.open_for("co_liaison"), [])

    def test_reminders_for_newest_first(self) -> None:
        item = self.started()
        self.remind(item, unit=self.lead, message="第一次催办")
        self.remind(item, unit=self.lead, message="第二次催办")
        other = self.started(title="另一事项")
        self.remind(other, unit=self.co)
        messages = [r.message for r in reminding.reminders_for(item)]
        self.assertEqual(messages, ["第二次催办", "第一次催办"])
