"""escalate(): each step proposed once, a constant number of statements, the office told once."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.assessment.escalation import escalate
from duban.assessment.models import Escalation, Preset
from duban.assessment.tests.base import AssessmentTestCase, D
from duban.audit.models import Event, SweepMark
from duban.audit.types import EventType
from duban.items import actions as item_actions
from duban.items import sweeps
from duban.notify.models import Notification
from duban.workdays.calendars import calendar_for

TODAY = D(2025, 10, 20)


class EscalateTest(AssessmentTestCase):
    def test_idempotent_by_the_unique_item_rule(self) -> None:
        item = self.due(D(2025, 9, 30))
        self.assertEqual(escalate(TODAY), 2)  # 催办 and 督办
        self.assertEqual(escalate(TODAY), 0)
        self.assertEqual(escalate(D(2025, 10, 21)), 0)
        self.assertEqual(Escalation.objects.filter(item=item).count(), 2)
        first = Escalation.objects.filter(item=item).first()
        assert first is not None
        with self.assertRaises(IntegrityError), transaction.atomic():
            Escalation.objects.create(
                item=item,
                unit=self.lead,
                rule=first.rule,
                step=first.step,
                measure=first.measure,
                proposed_at=timezone.now(),
                batch="again",
            )

    def test_rows_carry_the_unit_step_and_measure(self) -> None:
        item = self.due(D(2025, 9, 30))
        escalate(TODAY)
        row = Escalation.objects.get(item=item, step=1)
        self.assertEqual(
            (row.unit, row.measure, row.state, row.rule.applier),
            (self.lead, "remind", "proposed", "office"),
        )

    def test_only_items_the_unit_holds(self) -> None:
        held = self.due(D(2025, 9, 30))
        cancelled = self.due(D(2025, 9, 30), "撤销的")
        item_actions.cancel(cancelled, actor=self.refreshed(self.office_head), reason="重复")
        self.draft(title="拟办", time_limit=D(2025, 9, 30))
        escalate(TODAY)
        self.assertEqual(set(Escalation.objects.values_list("item_id", flat=True)), {held.pk})

    def test_no_active_preset_proposes_nothing(self) -> None:
        self.due(D(2025, 9, 30))
        Preset.objects.update(active=False)
        self.assertEqual(escalate(TODAY), 0)

    def test_office_told_once_per_run_and_one_audit_event(self) -> None:
        for day in (D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 16)):  # 10-16: 2 working days
            self.due(day)
        escalate(TODAY)
        notices = Notification.objects.filter(kind="escalation_proposed")
        self.assertEqual(notices.filter(recipient=self.office).count(), 1)
        self.assertEqual(notices.filter(recipient=self.office_head).count(), 1)
        self.assertFalse(notices.filter(recipient=self.lead_liaison).exists())
        notice = notices.get(recipient=self.office)
        self.assertIn("催办 3 项", notice.title)
        self.assertIn("督办(督办通知) 2 项", notice.title)
        event = Event.objects.get(type=EventType.ESCALATIONS_PROPOSED)
        self.assertEqual(event.details["count"], 5)
        escalate(TODAY)
        self.assertEqual(notices.filter(recipient=self.office).count(), 1)
        self.assertEqual(Event.objects.filter(type=EventType.ESCALATIONS_PROPOSED).count(), 1)

    def statements(self, n: int) -> int:
        Escalation.objects.all().delete()
        SweepMark.objects.all().delete()  # as on a fresh database: the copies have no events
        calendar_for()  # the calendar arrays are built once per version, not per run
        with CaptureQueriesContext(connection) as queries:
            inserted = escalate(TODAY)
        self.assertEqual(inserted, 2 * n)
        return len(queries)

    def test_constant_statements_for_10_and_100_items(self) -> None:
        item = self.due(D(2025, 9, 30))
        self.copies(item, 9)
        ten = self.statements(10)
        self.copies(item, 90)
        self.assertEqual(self.statements(100), ten)


class CommandTest(AssessmentTestCase):
    def test_duban_escalate_runs_both_sweeps_for_a_day(self) -> None:
        self.due(D(2025, 9, 1))
        out = io.StringIO()
        call_command("escalate", "--today", "2025-10-20", stdout=out)
        self.assertIn("2025-10-20:新增督办升级建议 2 条,问责建议 1 条。", out.getvalue())
        with self.assertRaises(CommandError):
            call_command("escalate", "--today", "20-10-2025", stdout=io.StringIO())


class RegistryTest(AssessmentTestCase):
    def test_both_sweeps_run_from_the_items_registry(self) -> None:
        self.due(D(2025, 9, 1))
        now = dt.datetime(2025, 10, 20, 10, tzinfo=timezone.get_current_timezone())
        results = {r.name: r for r in sweeps.run(now, only=["escalation", "accountability"])}
        self.assertEqual(results["escalation"].changed, 2)
        self.assertEqual(results["accountability"].changed, 1)
        again = sweeps.run(now, only=["escalation", "accountability"])
        self.assertEqual([r.changed for r in again], [0, 0])
