"""Reports: cadence and lateness, co-units' input, the final report's sign-off, outcome codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, reporting, states
from duban.items.models import (
    Item,
    ItemSource,
    ItemState,
    ProgressReport,
    ReportCadence,
    ReportKind,
    ReportState,
)
from duban.items.tests.base import ItemTestCase

D = dt.date


@contextmanager
def today(day: dt.date) -> Iterator[None]:
    with mock.patch("duban.items.reporting._today", return_value=day):
        yield


class ReportingTestCase(ItemTestCase):
    def started(self, **fields: object) -> Item:
        item = self.assigned(**fields)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return item

    def report(self, item: Item, content: str = "已完成现场摸排") -> ProgressReport:
        return reporting.report_progress(
            item, actor=self.refreshed(self.lead_liaison), content=content
        )

    def signed_off(self, item: Item) -> ProgressReport:
        liaison = self.refreshed(self.lead_liaison)
        reporting.draft_final(item, actor=liaison, content="改造全部完成")
        reporting.submit_for_signoff(item, actor=liaison)
        return reporting.sign_off(item, actor=self.refreshed(self.lead_leader))


class ProgressTest(ReportingTestCase):
    def test_lead_liaison_reports(self) -> None:
        item = self.started()
        report = self.report(item)
        self.assertEqual(
            (report.kind, report.state, report.unit), ("progress", "submitted", self.lead)
        )
        self.assertFalse(report.late)
        event = Event.objects.filter(type=EventType.ITEM_PROGRESS_REPORTED).latest("seq")
        self.assertEqual(event.details["report"], report.pk)

    def test_refused_for_others_and_states(self) -> None:
        item = self.started()
        for person in (self.co_liaison, self.sibling_liaison, self.lead_leader, self.office):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                reporting.report_progress(item, actor=self.refreshed(person), content="进展")
        with self.assertRaisesMessage(states.IllegalTransition, "「已交办」,不能执行「报送进展」"):
            reporting.report_progress(
                self.assigned(title="另一事项"),
                actor=self.refreshed(self.lead_liaison),
                content="x",
            )

    def test_content_required(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.report(self.started(), content="  ")
        self.assertEqual(caught.exception.message_dict["content"], ["进展情况不能为空。"])

    def test_weekly_cadence_on_time_then_late(self) -> None:
        # seed 004 第十七条: long or complex items report weekly.
        item = self.started()
        with today(D(2025, 10, 9)):
            reporting.set_cadence(
                item, actor=self.office, cadence=ReportCadence.WEEKLY, first_due=D(2025, 10, 13)
            )
        with today(D(2025, 10, 13)):
            on_time = self.report(item)
        self.assertEqual((on_time.period_due, on_time.late), (D(2025, 10, 13), False))
        self.assertEqual(self.fresh(item).next_report_due, D(2025, 10, 20))
        with today(D(2025, 10, 22)):
            late = self.report(self.fresh(item))
        self.assertEqual((late.period_due, late.late), (D(2025, 10, 20), True))
        # The missed week is not demanded again: the next period lies after today.
        self.assertEqual(self.fresh(item).next_report_due, D(2025, 10, 27))

    def test_cadence_office_only_and_not_in_past(self) -> None:
        item = self.started()
        with self.assertRaises(PermissionDenied):
            reporting.set_cadence(item, actor=self.refreshed(self.lead_liaison), cadence="weekly")
        with today(D(2025, 10, 9)), self.assertRaises(ValidationError) as caught:
            reporting.set_cadence(
                item, actor=self.office, cadence="weekly", first_due=D(2025, 10, 8)
            )
        self.assertIn("first_due", caught.exception.message_dict)

    def test_work_report_quarterly(self) -> None:
        # seed 004 第十六条(二): 政府工作报告 within 15 days of each quarter's end.
        item = self.started(source=ItemSource.WORK_REPORT, time_limit=D(2025, 12, 31))
        self.assertEqual(reporting.cadence_of(item), ReportCadence.QUARTERLY)
        with today(D(2025, 10, 10)):
            self.report(item)
        self.assertEqual(self.fresh(item).next_report_due, D(2026, 1, 15))

    def test_stale_version_conflicts(self) -> None:
        item = self.started()
        stale = self.fresh(item)
        self.report(item)
        with self.assertRaises(actions.Conflict):
            self.report(stale)


class CoInputTest(ReportingTestCase):
    def test_co_unit_feeds_the_lead(self) -> None:
        # seed 004 第十二条: 协办单位积极配合, the lead unit's report combines the input.
        item = self.started()
        actions.acknowledge(item, actor=self.refreshed(self.co_liaison))
        note = reporting.co_input(
            item, actor=self.refreshed(self.co_liaison), content="配套资金已落实"
        )
        self.assertEqual((note.kind, note.unit), (ReportKind.CO_INPUT, self.co))
        self.assertEqual(list(reporting.co_inputs(item)), [note])
        self.report(item)
        event = Event.objects.filter(type=EventType.ITEM_PROGRESS_REPORTED).latest("seq")
        self.assertEqual(event.details["co_inputs"], [note.pk])

    def test_only_co_units(self) -> None:
        item = self.started()
        for person in (self.lead_liaison, self.sibling_liaison):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                reporting.co_input(item, actor=self.refreshed(person), content="意见")


class FinalReportTest(ReportingTestCase):
    def test_sign_off_sends_to_review(self) -> None:
        item = self.started()
        report = self.signed_off(item)
        self.assertEqual(item.state, ItemState.SUBMITTED)
        self.assertEqual(report.state, ReportState.SUBMITTED)
        self.assertEqual(report.signed_off_by, self.lead_leader)
        event = Event.objects.filter(type=EventType.ITEM_FINAL_SIGNED_OFF).latest("seq")
        self.assertEqual((event.details["from"], event.details["to"]), ("in_progress", "submitted"))

    def test_submit_final_requires_sign_off(self) -> None:
        item = self.started()
        liaison = self.refreshed(self.lead_liaison)
        with self.assertRaisesMessage(ValidationError, "请先起草办结报告并送单位领导审签"):
            actions.submit_final(item, actor=liaison)
        reporting.draft_final(item, actor=liaison, content="改造全部完成")
        reporting.submit_for_signoff(item, actor=liaison)
        with self.assertRaisesMessage(ValidationError, "尚未经单位领导审签"):
            actions.submit_final(item, actor=liaison)
        self.assertEqual(self.fresh(item).state, ItemState.IN_PROGRESS)
        # The leader signs only; the liaison sends (DESIGN lifecycle table).
        reporting.sign_off(self.fresh(item), actor=self.refreshed(self.lead_leader), send=False)
        item = self.fresh(item)
        self.assertEqual(item.state, ItemState.IN_PROGRESS)
        actions.submit_final(item, actor=liaison, text="请审核")
        self.assertEqual(item.state, ItemState.SUBMITTED)
        self.assertEqual(ProgressReport.objects.get(kind="final").state, ReportState.SUBMITTED)

    def test_sign_off_needs_a_report_awaiting(self) -> None:
        item = self.started()
        leader = self.refreshed(self.lead_leader)
        reporting.draft_final(item, actor=self.refreshed(self.lead_liaison), content="初稿")
        with self.assertRaises(ValidationError) as caught:
            reporting.sign_off(item, actor=leader)
        self.assertEqual(caught.exception.message_dict["report"], ["没有待审签的办结报告。"])

    def test_only_the_lead_units_leader_signs(self) -> None:
        item = self.started()
        liaison = self.refreshed(self.lead_liaison)
        reporting.draft_final(item, actor=liaison, content="改造全部完成")
        reporting.submit_for_signoff(item, actor=liaison)
        for person in (self.lead_liaison, self.co_liaison, self.office):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                reporting.sign_off(item, actor=self.refreshed(person))

    def test_redrafting_clears_the_signature(self) -> None:
        item = self.started()
        liaison = self.refreshed(self.lead_liaison)
        reporting.draft_final(item, actor=liaison, content="初稿")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader), send=False)
        report = reporting.draft_final(self.fresh(item), actor=liaison, content="修改稿")
        self.assertEqual((report.state, report.signed_off_at), (ReportState.DRAFT, None))
        self.assertEqual(ProgressReport.objects.filter(kind="final").count(), 1)

    def test_return_needs_a_new_signed_report(self) -> None:
        item = self.started()
        self.signed_off(item)
        actions.return_for_redo(item, actor=self.office, reason="缺少验收材料")
        self.assertEqual(ProgressReport.objects.get(kind="final").state, ReportState.RETURNED)
        with self.assertRaisesMessage(ValidationError, "请先起草办结报告"):
            actions.submit_final(item, actor=self.refreshed(self.lead_liaison))
        self.signed_off(item)
        self.assertEqual(item.state, ItemState.SUBMITTED)


class OutcomeTest(ReportingTestCase):
    def test_outcome_a(self) -> None:
        item = self.started()
        self.signed_off(item)
        actions.accept(item, actor=self.office, outcome="A")
        self.assertEqual((item.outcome, item.follow_up_date), ("A", None))

    def test_b_needs_follow_up_date(self) -> None:
        item = self.started()
        self.signed_off(item)
        with self.assertRaises(ValidationError) as caught:
            actions.accept(item, actor=self.office, outcome="B")
        self.assertIn("跟踪办理日期", caught.exception.message_dict["follow_up_date"][0])
        with self.assertRaises(ValidationError) as caught:
            actions.accept(item, actor=self.office, outcome="E")
        self.assertIn("outcome", caught.exception.message_dict)
        self.assertEqual(self.fresh(item).state, ItemState.SUBMITTED)
        with today(D(2025, 10, 20)):
            actions.accept(item, actor=self.office, outcome="C", follow_up_date=D(2026, 3, 1))
        self.assertEqual((item.outcome, item.follow_up_date), ("C", D(2026, 3, 1)))
        self.assertEqual(list(reporting.follow_ups_due(D(2026, 3, 1))), [item])
        self.assertEqual(list(reporting.follow_ups_due(D(2026, 2, 28))), [])
        event = Event.objects.filter(type=EventType.ITEM_ACCEPTED).latest("seq")
        self.assertEqual(event.details["outcome"], "C")
