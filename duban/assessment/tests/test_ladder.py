"""Ladder thresholds in working days: the 国庆 week (2025-10-01..08) and the 调休 days around it
(Sunday 09-28 and Saturday 10-11 are working days)."""

from __future__ import annotations

from django.db import transaction

from duban.assessment.escalation import escalate, overdue_since
from duban.assessment.models import Escalation, LadderRule, Measure
from duban.assessment.tests.base import AssessmentTestCase, D
from duban.audit.log import record
from duban.audit.types import EventType
from duban.workdays.calendars import calendar_for


class OverdueSinceTest(AssessmentTestCase):
    def test_counts_back_over_the_holiday_week_and_the_swapped_days(self) -> None:
        cal = calendar_for()
        cases = [
            (D(2025, 10, 9), 0, D(2025, 10, 9)),  # overdue at all: due before today
            (D(2025, 10, 9), 1, D(2025, 10, 9)),  # first working day after the holiday
            (D(2025, 10, 9), 2, D(2025, 9, 30)),  # 10-01..08 do not count
            (D(2025, 10, 9), 4, D(2025, 9, 28)),  # the 调休 Sunday counts
            (D(2025, 10, 9), 5, D(2025, 9, 26)),
            (D(2025, 10, 11), 1, D(2025, 10, 11)),  # the 调休 Saturday is a working day
            (D(2025, 10, 11), 3, D(2025, 10, 9)),
            (D(2025, 10, 12), 1, D(2025, 10, 11)),  # an ordinary Sunday is not
            (D(2025, 10, 5), 1, D(2025, 9, 30)),  # inside the holiday
        ]
        for today, n, expected in cases:
            with self.subTest(today=today, n=n):
                self.assertEqual(overdue_since(cal, today, n), expected)


class JinanLadderTest(AssessmentTestCase):
    def measures(self, item_pk: int) -> list[str]:
        rows = Escalation.objects.filter(item_id=item_pk).order_by("step")
        return list(rows.values_list("measure", flat=True))

    def test_remind_when_overdue_and_supervise_after_three_working_days(self) -> None:
        item = self.due(D(2025, 9, 30))  # Tuesday before 国庆
        escalate(D(2025, 9, 30))
        self.assertEqual(self.measures(item.pk), [])  # due today is not overdue
        escalate(D(2025, 10, 3))
        self.assertEqual(self.measures(item.pk), [Measure.REMIND])
        escalate(D(2025, 10, 10))  # 10-09 and 10-10: two working days only
        self.assertEqual(self.measures(item.pk), [Measure.REMIND])
        escalate(D(2025, 10, 11))  # the 调休 Saturday is the third
        self.assertEqual(self.measures(item.pk), [Measure.REMIND, Measure.SUPERVISE])

    def test_a_rule_threshold_edited_as_data_applies(self) -> None:
        item = self.due(D(2025, 9, 30))
        LadderRule.objects.filter(preset__code="jinan", step=2).update(threshold=1)
        escalate(D(2025, 10, 8))  # still in the holiday: not one working day yet
        self.assertEqual(self.measures(item.pk), [Measure.REMIND])
        escalate(D(2025, 10, 9))
        self.assertEqual(self.measures(item.pk), [Measure.REMIND, Measure.SUPERVISE])

    def test_returned_twice_is_supervised(self) -> None:
        item = self.due(D(2025, 12, 31))
        escalate(D(2025, 10, 9))
        self.assertEqual(self.measures(item.pk), [])
        with transaction.atomic():  # as 退回重办 does: the change and its event together
            type(item).objects.filter(pk=item.pk).update(return_count=2)
            record(EventType.ITEM_RETURNED, actor=None, target=item)
        escalate(D(2025, 10, 9))
        self.assertEqual(self.measures(item.pk), [Measure.SUPERVISE])
        self.assertEqual(Escalation.objects.get(item=item).rule.trigger, "returned")

    def test_mianyang_interview_then_accountability_with_veto(self) -> None:
        self.use("mianyang")
        item = self.due(D(2025, 9, 1))
        escalate(D(2025, 10, 31))
        rows = Escalation.objects.filter(item=item).select_related("rule").order_by("step")
        self.assertEqual(
            [(e.measure, e.rule.veto) for e in rows],
            [
                (Measure.REMIND, False),
                (Measure.SUPERVISE, False),
                (Measure.INTERVIEW, False),
                (Measure.ACCOUNTABILITY, True),  # seed 002 第三十条 一票否决
            ],
        )

    def test_qijiang_letter_notice_interview_special(self) -> None:
        self.use("qijiang")
        item = self.due(D(2025, 9, 1))
        escalate(D(2025, 9, 15))  # 10 working days overdue
        self.assertEqual(
            self.measures(item.pk), [Measure.SUPERVISE, Measure.LETTER, Measure.NOTICE]
        )
