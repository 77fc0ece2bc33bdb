"""The worker's sweeps at frozen moments (passed as `now`): lights, reminders by rule, gating.

The 2025 calendar: 国庆 and 中秋 rest 10-01..10-08; Sunday 09-28 and Saturday 10-11 are 调休
working days. The preset rules (migration 0009): 3 working days before the deadline, on the day,
every 5 working days late to the liaison and every 10 to the unit leader; reports 1 day before and
every 3 days late; extensions waiting 2 working days; follow-ups on their date.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.audit.models import SweepMark
from duban.items import actions, sweeps
from duban.items.models import (
    CHECK_AT_ONCE,
    Confidentiality,
    ExtensionRequest,
    Item,
    ItemState,
    Outcome,
    ReminderKind,
    ReminderRule,
    SentReminder,
)
from duban.items.tests.base import ItemTestCase
from duban.notify.models import Notification, Outbox, Preference
from duban.org.models import User
from duban.workdays.calendars import calendar_for

D = dt.date


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class SweepTestCase(ItemTestCase):
    def due(self, day: dt.date | None, **fields: object) -> Item:
        item = self.draft(title=f"到期 {day}", time_limit=day, **fields)
        if day is not None:
            actions.assign(item, actor=self.office, lead_unit=self.lead, start=D(2025, 9, 1))
        return self.fresh(item)

    def inbox(self, user: User, kind: str = "") -> list[Notification]:
        rows = Notification.objects.filter(recipient=user, kind__startswith="reminder_" + kind)
        return list(rows.order_by("id"))

    def sweep(self, name: str, moment: dt.datetime) -> sweeps.SweepResult:
        return sweeps.run(moment, only=[name])[0]


class CalendarFactsTest(SweepTestCase):
    def test_the_2025_calendar_the_tests_rely_on(self) -> None:
        cal = calendar_for()
        self.assertTrue(cal.is_workday(D(2025, 9, 28)))
        self.assertEqual(D(2025, 9, 28).weekday(), 6)  # a Sunday, not a Saturday
        self.assertTrue(cal.is_workday(D(2025, 10, 11)))
        self.assertEqual(D(2025, 10, 11).weekday(), 5)
        self.assertFalse(any(cal.is_workday(D(2025, 10, d)) for d in range(1, 9)))


class LightSweepTest(SweepTestCase):
    def test_lights_and_next_check_days(self) -> None:
        red = self.due(D(2025, 10, 9))
        yellow = self.due(D(2025, 10, 14))
        green = self.due(D(2025, 10, 15))
        undated = self.draft(title="未交办")
        self.assertEqual(red.next_check_at, CHECK_AT_ONCE)  # every action asks for a look
        result = self.sweep("lights", at(D(2025, 10, 10)))
        self.assertEqual(result.changed, 4)
        expected = {
            red: ("red", None),
            yellow: ("yellow", D(2025, 10, 15)),  # turns red the day after its due date
            green: ("green", D(2025, 10, 11)),  # the 调休 Saturday's cutoff reaches 10-15
            undated: ("green", None),
        }
        for item, (light, check) in expected.items():
            fresh = self.fresh(item)
            self.assertEqual((fresh.swept_light, fresh.next_check_at), (light, check), item)
        self.assertEqual(self.sweep("lights", at(D(2025, 10, 10), 15)).changed, 0)
        self.sweep("lights", at(D(2025, 10, 11)))
        self.assertEqual(self.fresh(green).swept_light, "yellow")
        self.sweep("lights", at(D(2025, 10, 16)))
        self.assertEqual(self.fresh(green).swept_light, "red")
        self.assertIsNone(self.fresh(green).next_check_at)

    def test_holiday_week_and_the_sunday_swap(self) -> None:
        item = self.due(D(2025, 10, 9))
        self.sweep("lights", at(D(2025, 9, 26)))
        fresh = self.fresh(item)
        # 3 working days from Sunday 09-28 (调休): 09-29, 09-30, then 10-09 after the holidays.
        self.assertEqual((fresh.swept_light, fresh.next_check_at), ("green", D(2025, 9, 28)))
        self.sweep("lights", at(D(2025, 9, 28)))
        self.assertEqual(self.fresh(item).swept_light, "yellow")
        self.assertEqual(self.fresh(item).next_check_at, D(2025, 10, 10))

    def test_an_action_brings_the_item_back_and_closing_clears_the_light(self) -> None:
        item = self.due(D(2025, 9, 20))
        self.sweep("lights", at(D(2025, 10, 10)))
        self.assertIsNone(self.fresh(item).next_check_at)
        actions.cancel(self.fresh(item), actor=self.refreshed(self.office_head), reason="重复")
        self.assertEqual(self.fresh(item).next_check_at, CHECK_AT_ONCE)
        self.sweep("lights", at(D(2025, 10, 10)))
        fresh = self.fresh(item)
        self.assertEqual((fresh.swept_light, fresh.next_check_at), ("", None))


class DeadlineReminderTest(SweepTestCase):
    def test_before_on_and_after_the_deadline_across_the_holidays(self) -> None:
        item = self.due(D(2025, 10, 9))
        self.assertEqual(self.sweep("deadlines", at(D(2025, 9, 26))).notified, 0)
        # Sunday 09-28 is a working day: 10-09 is now within 3 working days.
        self.assertEqual(self.sweep("deadlines", at(D(2025, 9, 28))).notified, 1)
        [notice] = self.inbox(self.lead_liaison, "before_due")
        self.assertIn("2025-10-09", notice.body)
        self.assertIn(item.title, notice.title)
        self.assertEqual(notice.url, f"/items/{item.pk}/")
        # During the holidays nothing is sent (outside working days).
        result = self.sweep("deadlines", at(D(2025, 10, 3)))
        self.assertTrue(result.skipped)
        self.sweep("deadlines", at(D(2025, 10, 9)))
        self.assertEqual(len(self.inbox(self.lead_liaison, "on_due")), 1)
        for day in (D(2025, 10, 10), D(2025, 10, 11), D(2025, 10, 14)):
            self.sweep("deadlines", at(day))
        self.assertEqual(self.inbox(self.lead_liaison, "overdue"), [])
        self.sweep("deadlines", at(D(2025, 10, 15)))  # the 5th working day late, 调休 included
        self.assertEqual(len(self.inbox(self.lead_liaison, "overdue")), 1)
        self.sweep("deadlines", at(D(2025, 10, 21)))
        self.assertEqual(len(self.inbox(self.lead_liaison, "overdue")), 1)
        self.assertEqual(self.inbox(self.lead_leader, "overdue"), [])
        self.sweep("deadlines", at(D(2025, 10, 22)))  # 10 working days late
        self.assertEqual(len(self.inbox(self.lead_liaison, "overdue")), 2)
        self.assertEqual(len(self.inbox(self.lead_leader, "overdue")), 1)
        periods = SentReminder.objects.filter(item=item, rule__kind=ReminderKind.OVERDUE_EVERY)
        self.assertEqual(sorted(periods.values_list("period", flat=True)), [1, 1, 2])

    def test_a_reminder_is_sent_once(self) -> None:
        self.due(D(2025, 10, 9))
        first = self.sweep("deadlines", at(D(2025, 10, 9)))
        again = self.sweep("deadlines", at(D(2025, 10, 9), 11))
        self.assertEqual((first.changed, first.notified), (1, 1))
        self.assertEqual((again.changed, again.notified), (0, 0))
        self.assertEqual(len(self.inbox(self.lead_liaison)), 1)

    def test_a_missed_day_is_caught_up_and_an_extension_reminds_afresh(self) -> None:
        item = self.due(D(2025, 10, 14))
        # No sweep ran on 10-09..10-13: the 3-day reminder still goes on 10-14 with the on-day one.
        self.sweep("deadlines", at(D(2025, 10, 14)))
        kinds = sorted(n.kind for n in self.inbox(self.lead_liaison))
        self.assertEqual(kinds, ["reminder_on_due"])  # the 3-day rule wants due > today
        Item.objects.filter(pk=item.pk).update(due_date=D(2025, 10, 16))
        self.sweep("deadlines", at(D(2025, 10, 14), 15))
        self.assertEqual(len(self.inbox(self.lead_liaison, "before_due")), 1)

    def test_working_hours_gate_the_sweep_and_quiet_hours_the_outbox(self) -> None:
        self.due(D(2025, 10, 9))
        user = self.refreshed(self.lead_liaison)
        User.objects.filter(pk=user.pk).update(email="liaison@example.org", phone="13800000000")
        quiet = {"quiet_start": dt.time(9), "quiet_end": dt.time(11)}
        Preference.objects.create(user=user, sms=False, **quiet)
        for moment in (at(D(2025, 10, 9), 8, 59), at(D(2025, 10, 9), 18), at(D(2025, 10, 11), 7)):
            self.assertTrue(self.sweep("deadlines", moment).skipped, moment)
        self.assertEqual(self.inbox(self.lead_liaison), [])
        with override_settings(DUBAN_NOTIFY_CHANNELS=["email", "sms", "webhook"]):
            self.assertEqual(self.sweep("deadlines", at(D(2025, 10, 9), 9)).notified, 1)
        [row] = Outbox.objects.filter(recipient=user)
        self.assertEqual(row.channel, "email")
        self.assertEqual(row.payload["to"], "liaison@example.org")
        self.assertEqual(row.next_attempt_at, at(D(2025, 10, 9), 11))  # after the quiet hours

    def test_a_secret_item_keeps_its_title_off_external_channels(self) -> None:
        self.due(D(2025, 10, 9), confidentiality=Confidentiality.SECRET)
        User.objects.filter(pk=self.lead_liaison.pk).update(email="liaison@example.org")
        with override_settings(DUBAN_NOTIFY_CHANNELS=["email"]):
            self.sweep("deadlines", at(D(2025, 10, 9)))
        [notice] = self.inbox(self.lead_liaison)
        [row] = Outbox.objects.filter(recipient=self.lead_liaison)
        self.assertIn("到期", notice.title)
        self.assertNotIn("到期", row.payload["title"] + row.payload["body"])
        self.assertEqual(row.next_attempt_at, at(D(2025, 10, 9)))

    def test_a_source_with_its_own_rules_replaces_the_default_ones(self) -> None:
        npc = self.due(D(2025, 10, 17), source="npc_suggestion")
        self.due(D(2025, 10, 17))
        ReminderRule.objects.create(
            source="npc_suggestion",
            kind=ReminderKind.BEFORE_DUE,
            days=7,
            recipients="unit_leader",
            message="{unit}:「{title}」{date}到期",
        )
        # 10-17 is the 7th working day after 10-09 (the 调休 10-11 counts)
        self.sweep("deadlines", at(D(2025, 10, 9)))
        [notice] = self.inbox(self.lead_leader)
        self.assertEqual(notice.body, f"市发改委:「{npc.title}」2025-10-17到期")
        self.assertEqual(self.inbox(self.lead_liaison), [])
        self.sweep("deadlines", at(D(2025, 10, 15)))  # 3 days: only the default-rule item
        [default] = self.inbox(self.lead_liaison, "before_due")
        self.assertNotEqual(default.target_id, str(npc.pk))

    def test_constant_statements_for_10_and_200_items(self) -> None:
        def statements(count: int) -> tuple[int, int]:
            SweepMark.objects.all().delete()  # as on a fresh database: the clones have no events
            Item.objects.all().delete()
            SentReminder.objects.all().delete()
            Notification.objects.all().delete()
            seeds = [self.due(day) for day in (D(2025, 10, 9), D(2025, 10, 22), D(2025, 10, 24))]
            clones = []
            for i in range(count - len(seeds)):
                clone = Item.objects.get(pk=seeds[i % len(seeds)].pk)
                clone.pk = None
                clones.append(clone)
            Item.objects.bulk_create(clones)
            with CaptureQueriesContext(connection) as queries:
                results = sweeps.run(at(D(2025, 10, 22)), only=["lights", "deadlines"])
            self.assertEqual(results[1].changed, count + count // 3 + 1)
            # One overdue notice per person and rule, however many items: 4 or 67 of them.
            [notice] = self.inbox(self.lead_liaison, "overdue")
            self.assertIn(f"{(count + 2) // 3} 项", notice.title)
            self.assertEqual(len(self.inbox(self.lead_leader, "overdue")), 1)
            return len(queries), sum(r.statements for r in results)

        self.assertEqual(statements(10), statements(200))


class GroupedReminderTest(SweepTestCase):
    def test_several_overdue_items_make_one_notice_per_person(self) -> None:
        plain = [self.due(D(2025, 10, 9)), self.due(D(2025, 10, 13))]
        secret = self.due(D(2025, 10, 10), confidentiality=Confidentiality.SECRET)
        User.objects.filter(pk=self.lead_liaison.pk).update(email="liaison@example.org")
        with override_settings(DUBAN_NOTIFY_CHANNELS=["email"]):
            result = self.sweep("deadlines", at(D(2025, 10, 22)))
        # A reminder per item is recorded (idempotency); the liaison hears once, of all three.
        overdue = SentReminder.objects.filter(rule__kind=ReminderKind.OVERDUE_EVERY)
        self.assertEqual(overdue.filter(rule__recipients="liaison").count(), 3)
        [notice] = self.inbox(self.lead_liaison, "overdue")
        self.assertIn("3 项", notice.title)
        self.assertIn("3 项", notice.body)
        self.assertEqual(notice.url, "/items/?due=overdue&sort=due")
        self.assertEqual((notice.target_model, notice.target_id), ("", ""))
        for item in [*plain, secret]:
            self.assertNotIn(item.title, notice.title + notice.body)
        [row] = Outbox.objects.filter(recipient=self.lead_liaison)
        self.assertIn("3 项", row.payload["body"])
        self.assertNotIn(secret.title, row.payload["title"] + row.payload["body"])
        # The unit leader's rule (every 10 working days) has one item: today's single notice.
        [single] = self.inbox(self.lead_leader, "overdue")
        self.assertIn(plain[0].title, single.title)
        self.assertEqual(single.url, f"/items/{plain[0].pk}/")
        self.assertEqual(result.notified, 2)
        # Once only: later the same day nothing is recorded or sent again.
        again = self.sweep("deadlines", at(D(2025, 10, 22), 15))
        self.assertEqual((again.changed, again.notified), (0, 0))
        self.assertEqual(len(self.inbox(self.lead_liaison, "overdue")), 1)

    def test_late_reports_are_grouped_too(self) -> None:
        for day in (D(2025, 10, 13), D(2025, 10, 14)):
            item = self.due(D(2025, 12, 31))
            actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
            Item.objects.filter(pk=item.pk).update(next_report_due=day)
        self.assertEqual(self.sweep("reports", at(D(2025, 10, 20))).notified, 1)
        [notice] = self.inbox(self.lead_liaison, "report_overdue")
        self.assertIn("2 项", notice.title)
        self.assertEqual(notice.url, "/items/?state=in_progress&sort=due")

    def test_every_kind_is_grouped_with_a_link_to_the_matching_ledger(self) -> None:
        # Thursday 10-09 2025: the 3rd working day after it is 10-13 (the 调休 10-11 counts).
        soon = [self.due(D(2025, 10, 10)), self.due(D(2025, 10, 13)), self.due(D(2025, 10, 14))]
        today = [self.due(D(2025, 10, 9)), self.due(D(2025, 10, 9))]
        self.sweep("deadlines", at(D(2025, 10, 9)))
        [before] = self.inbox(self.lead_liaison, "before_due")
        self.assertIn("2 项", before.title)
        self.assertIn("3 个工作日内", before.body)
        link = "/items/?state=open&due_from=2025-10-10&due_to=2025-10-13&sort=due"
        self.assertEqual(before.url, link)
        [on_due] = self.inbox(self.lead_liaison, "on_due")
        self.assertIn("2 项", on_due.title)
        # 10-01..10-08 rest: the working day before 10-09 is 09-30, so the day's window starts
        # 10-01 (items due in the holidays are reminded on the first working day after them).
        link = "/items/?state=open&due_from=2025-10-01&due_to=2025-10-09&sort=due"
        self.assertEqual(on_due.url, link)
        for item in [*soon, *today]:
            self.assertNotIn(item.title, before.title + before.body + on_due.title)
        self.assertEqual(SentReminder.objects.count(), 4)  # 10-14 is not yet within 3 days


class OtherReminderTest(SweepTestCase):
    def working(self, day: dt.date) -> Item:
        item = self.due(D(2025, 12, 31))
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        Item.objects.filter(pk=item.pk).update(next_report_due=day)
        return self.fresh(item)

    def test_progress_reports_due_and_late(self) -> None:
        self.working(D(2025, 10, 13))
        self.sweep("reports", at(D(2025, 10, 10)))
        self.assertEqual(self.inbox(self.lead_liaison), [])
        self.sweep("reports", at(D(2025, 10, 11)))  # the 调休 Saturday: 1 working day before
        self.assertEqual(len(self.inbox(self.lead_liaison, "report_before")), 1)
        self.sweep("reports", at(D(2025, 10, 15)))
        self.assertEqual(self.inbox(self.lead_liaison, "report_overdue"), [])
        self.sweep("reports", at(D(2025, 10, 16)))  # 3 working days late
        self.assertEqual(len(self.inbox(self.lead_liaison, "report_overdue")), 1)

    def test_extension_requests_waiting_remind_the_office_head(self) -> None:
        item = self.working(D(2025, 12, 1))
        request = ExtensionRequest.objects.create(
            item=item,
            unit=self.lead,
            reason="资金未到位",
            progress="已完成设计",
            next_steps="加快施工",
            requested_date=D(2026, 1, 31),
            due_before=D(2025, 12, 31),
            requested_by=self.lead_liaison,
        )
        ExtensionRequest.objects.filter(pk=request.pk).update(requested_at=at(D(2025, 9, 30), 16))
        self.sweep("extensions", at(D(2025, 10, 9)))  # one working day waited
        self.assertEqual(self.inbox(self.office_head), [])
        self.sweep("extensions", at(D(2025, 10, 10)))
        [notice] = self.inbox(self.office_head, "extension")
        self.assertIn("2025-09-30", notice.body)
        self.sweep("extensions", at(D(2025, 10, 13)))
        self.assertEqual(len(self.inbox(self.office_head)), 1)

    def test_follow_up_dates_come_back_to_the_office(self) -> None:
        item = self.due(D(2025, 9, 30))
        Item.objects.filter(pk=item.pk).update(
            state=ItemState.COMPLETED, outcome=Outcome.SOLVING, follow_up_date=D(2025, 10, 13)
        )
        self.sweep("follow_ups", at(D(2025, 10, 10)))
        self.assertEqual(self.inbox(self.office), [])
        self.sweep("follow_ups", at(D(2025, 10, 13)))
        self.sweep("follow_ups", at(D(2025, 10, 14)))
        self.assertEqual(len(self.inbox(self.office, "follow_up")), 1)
        self.assertEqual(self.inbox(self.office_head), [])

    def test_a_provisional_next_year_warns_administrators_once(self) -> None:
        self.assertTrue(calendar_for().is_provisional(D(2028, 1, 1), D(2028, 12, 31)))
        self.sweep("calendar", at(D(2027, 11, 1)))
        self.assertFalse(Notification.objects.filter(kind="calendar_provisional").exists())
        self.sweep("calendar", at(D(2027, 12, 10)))
        self.sweep("calendar", at(D(2027, 12, 13)))
        [warning] = Notification.objects.filter(kind="calendar_provisional")
        self.assertEqual(warning.recipient_id, self.admin.pk)
        self.assertIn("2028", warning.body)


class RegistryTest(SweepTestCase):
    def test_another_app_registers_a_sweep(self) -> None:
        seen: list[dt.datetime] = []

        @sweeps.register_sweep("escalation_test")
        def escalate(now: dt.datetime) -> sweeps.SweepResult:
            seen.append(now)
            Item.objects.filter(pk=0).update(title="x")
            return sweeps.SweepResult("escalation_test", changed=0)

        try:
            [result] = sweeps.run(at(D(2025, 10, 9)), only=["escalation_test"])
        finally:
            del sweeps.SWEEPS["escalation_test"]
        self.assertEqual((seen, result.statements), ([at(D(2025, 10, 9))], 1))

    def test_the_command_prints_counts_and_statements(self) -> None:
        self.due(D(2025, 10, 9))
        out = StringIO()
        call_command("sweep", "--now", "2025-10-09T10:00", stdout=out, stderr=StringIO())
        text = out.getvalue()
        for name in ("lights", "deadlines", "reports", "extensions", "follow_ups", "calendar"):
            self.assertIn(name, text)
        self.assertIn("SQL", text)
        self.assertEqual(len(self.inbox(self.lead_liaison, "on_due")), 1)

    def test_the_item_page_shows_what_the_worker_sent(self) -> None:
        item = self.due(D(2025, 10, 9))
        self.sweep("deadlines", at(D(2025, 9, 28)))
        self.sweep("deadlines", at(D(2025, 10, 9)))
        self.client.force_login(self.lead_liaison)
        page = self.client.get(f"/items/{item.pk}/").content.decode()
        self.assertEqual(page.count("auto-reminder"), 2)
        self.assertIn("临期提醒", page)
        self.assertIn("到期提醒", page)


class BacklogMarkTest(SweepTestCase):
    """The backlog kinds look only at what turned or changed since their mark; the outcome must
    be the reminders a sweep over the whole backlog would have recorded, day after day."""

    DAYS = [D(2025, 9, 22) + dt.timedelta(days=n) for n in range(45)]

    def reminders(self) -> set[tuple[int, int, dt.date, int]]:
        rows = SentReminder.objects.values_list("item_id", "rule_id", "anchor", "period")
        return set(rows)

    def sweep_days(
        self, *, forget: bool, late_item_on: dt.date
    ) -> set[tuple[int, int, dt.date, int]]:
        SentReminder.objects.all().delete()
        SweepMark.objects.all().delete()
        for day in self.DAYS:
            if forget:
                SweepMark.objects.all().delete()
            if day == late_item_on:
                # Registered and assigned today, already 6 working days late: an event, no turn.
                self.late = self.due(D(2025, 10, 13))
            self.sweep("deadlines", at(day))
        return self.reminders()

    def test_marked_sweeps_record_what_full_sweeps_record(self) -> None:
        for day in (D(2025, 9, 2), D(2025, 9, 15), D(2025, 9, 26), D(2025, 9, 30), D(2025, 10, 9)):
            self.due(day)
        marked = self.sweep_days(forget=False, late_item_on=D(2025, 10, 21))
        late = self.late
        self.assertTrue(SweepMark.objects.exists())
        Item.objects.filter(pk=late.pk).delete()
        full = self.sweep_days(forget=True, late_item_on=D(2025, 10, 21))
        # The late item of each pass is a new row: compare it by its own reminders.
        mine = {r[1:] for r in marked if r[0] == late.pk}
        theirs = {r[1:] for r in full if r[0] == self.late.pk}
        self.assertEqual(
            {r for r in marked if r[0] != late.pk}, {r for r in full if r[0] != self.late.pk}
        )
        self.assertEqual(mine, theirs)
        self.assertIn(1, {period for _rule, _anchor, period in mine})
        self.assertGreater(len(full), 10)

    def follow_up_days(self, *, forget: bool) -> tuple[Item, set[tuple[int, int, dt.date, int]]]:
        SentReminder.objects.all().delete()
        SweepMark.objects.all().delete()
        late = None
        for day in self.DAYS:
            if forget:
                SweepMark.objects.all().delete()
            if day == D(2025, 10, 21):
                # Registered today (an event) with a follow-up date already behind the mark.
                late = self.finished(self.due(D(2025, 10, 13)), D(2025, 10, 1))
            self.sweep("follow_ups", at(day))
        assert late is not None
        return late, self.reminders()

    def finished(self, item: Item, follow_up: dt.date) -> Item:
        Item.objects.filter(pk=item.pk).update(
            state=ItemState.COMPLETED, outcome=Outcome.SOLVING, follow_up_date=follow_up
        )
        return item

    def test_marked_follow_ups_record_what_full_sweeps_record(self) -> None:
        for day in (D(2025, 9, 2), D(2025, 9, 26), D(2025, 10, 9), D(2025, 10, 20)):
            self.finished(self.due(day), day)
        late, marked = self.follow_up_days(forget=False)
        Item.objects.filter(pk=late.pk).delete()
        again, full = self.follow_up_days(forget=True)
        self.assertEqual(
            {r for r in marked if r[0] != late.pk}, {r for r in full if r[0] != again.pk}
        )
        self.assertEqual(
            {r[1:] for r in marked if r[0] == late.pk}, {r[1:] for r in full if r[0] == again.pk}
        )
        self.assertEqual(len(full), 5)

    def test_an_edited_rule_sweeps_the_whole_backlog_again(self) -> None:
        item = self.due(D(2025, 9, 2))
        self.sweep("deadlines", at(D(2025, 10, 9)))
        rule = ReminderRule.objects.get(kind=ReminderKind.OVERDUE_EVERY, recipients="liaison")
        SentReminder.objects.filter(rule=rule).delete()
        self.sweep("deadlines", at(D(2025, 10, 9), 11))
        self.assertFalse(SentReminder.objects.filter(rule=rule).exists())  # marked: unchanged
        ReminderRule.objects.filter(pk=rule.pk).update(days=4)
        self.sweep("deadlines", at(D(2025, 10, 9), 12))
        self.assertTrue(SentReminder.objects.filter(rule=rule, item=item).exists())
