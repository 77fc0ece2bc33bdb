"""Accountability proposals (seed 004 第二十条) and the decisions people take on them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from duban.assessment import actions
from duban.assessment.models import Measure, Proposal, ProposalState
from duban.assessment.proposals import propose, yearly_counts
from duban.assessment.tests.base import AssessmentTestCase, D
from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items.actions import Conflict
from duban.notify.models import Notification

LATE_DAY = D(2025, 10, 20)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


class ProposalTestCase(AssessmentTestCase):
    def late(self, n: int, today: dt.date = LATE_DAY) -> list[Proposal]:
        """n items five working days late, and the 通报批评 proposed for each."""
        for i in range(n):
            self.due(D(2025, 9, 1), f"逾期事项 {i}")
        propose(today)
        return list(Proposal.objects.filter(measure=Measure.CRITICISM).order_by("pk"))

    def accept(self, proposal: Proposal, day: dt.date) -> Proposal:
        head = self.refreshed(self.office_head)
        return actions.decide(
            proposal, actor=head, decision="accept", reason="情况属实", now=at(day)
        )

    def by_measure(self, measure: str) -> list[Proposal]:
        return list(Proposal.objects.filter(measure=measure).order_by("pk"))


class ProposeTest(ProposalTestCase):
    def test_late_item_gets_criticism_once(self) -> None:
        self.due(D(2025, 10, 14))  # 4 working days late on 10-20: not yet
        self.assertEqual(propose(D(2025, 10, 20)), 0)
        self.assertEqual(propose(D(2025, 10, 21)), 1)  # the 5th working day
        self.assertEqual(propose(D(2025, 10, 22)), 0)
        proposal = Proposal.objects.get()
        self.assertEqual(
            (proposal.unit, proposal.measure, proposal.state, proposal.year),
            (self.lead, Measure.CRITICISM, ProposalState.PROPOSED, 2025),
        )
        self.assertIn("第二十条(一)", proposal.basis)
        self.assertEqual(Event.objects.filter(type=EventType.PROPOSALS_GENERATED).count(), 1)

    def test_deciders_over_the_unit_are_told_once_per_run(self) -> None:
        self.late(2)
        told = set(
            Notification.objects.filter(kind="accountability_proposed").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(told, {self.office_head.username, self.leader.username})
        propose(LATE_DAY)  # nothing new: nobody is told again
        self.assertEqual(Notification.objects.filter(kind="accountability_proposed").count(), 2)

    def test_completed_late_this_year_gets_criticism(self) -> None:
        item = self.due(D(2025, 12, 31))
        type(item).objects.filter(pk=item.pk).update(
            state="completed", completed_late=True, completed_at=at(D(2025, 10, 1))
        )
        self.assertEqual(propose(D(2025, 10, 20)), 1)
        self.assertEqual(propose(D(2026, 1, 5)), 0)  # last year's lateness is not proposed anew

    def test_nothing_sanctioned_automatically(self) -> None:
        self.late(3)
        propose(D(2025, 10, 21))
        self.assertFalse(Proposal.objects.exclude(state=ProposalState.PROPOSED).exists())
        self.assertEqual(yearly_counts(Proposal.objects.all()), [])


class YearlyLadderTest(ProposalTestCase):
    def test_counts_are_exact_across_the_year_boundary(self) -> None:
        first, second, third = self.late(3)
        self.accept(first, D(2025, 12, 31))
        self.accept(second, D(2026, 1, 2))
        counts = {
            (r["year"], r["decided_measure"]): r["n"] for r in yearly_counts(Proposal.objects.all())
        }
        self.assertEqual(counts, {(2025, "criticism"): 1, (2026, "criticism"): 1})
        propose(D(2026, 1, 5))
        self.assertEqual(self.by_measure(Measure.ADMONITION), [])  # once in each year
        self.accept(third, D(2026, 1, 6))
        propose(D(2026, 1, 7))
        admonition = self.by_measure(Measure.ADMONITION)
        self.assertEqual([(p.unit, p.year, p.item) for p in admonition], [(self.lead, 2026, None)])
        self.assertIn("年度内被通报批评2次", admonition[0].basis)
        self.assertEqual(self.by_measure(Measure.DISCIPLINE), [])

    def test_three_times_proposes_discipline_with_referral(self) -> None:
        for proposal in self.late(3):
            self.accept(proposal, D(2025, 10, 22))
        propose(D(2025, 10, 23))
        discipline = Proposal.objects.get(measure=Measure.DISCIPLINE)
        self.assertTrue(discipline.rule.refer_to_discipline)
        self.assertIn("移交纪检监察机关", discipline.basis)
        propose(D(2025, 10, 24))
        self.assertEqual(self.by_measure(Measure.DISCIPLINE), [discipline])
        self.assertEqual(len(self.by_measure(Measure.ADMONITION)), 1)  # unimproved ones wait

    def test_no_improvement_after_criticism(self) -> None:
        (criticism,) = self.late(1)
        self.accept(criticism, D(2025, 10, 21))  # Tuesday; 10 working days end on 11-04
        propose(D(2025, 11, 3))
        self.assertEqual(self.by_measure(Measure.ADMONITION), [])
        propose(D(2025, 11, 4))
        (admonition,) = self.by_measure(Measure.ADMONITION)
        self.assertEqual(admonition.item_id, criticism.item_id)
        self.assertIn("整改", admonition.basis)


class DecideTest(ProposalTestCase):
    def setUp(self) -> None:
        (self.proposal,) = self.late(1)

    def test_accept_records_notifies_auditor_and_audits(self) -> None:
        decided = self.accept(self.proposal, D(2025, 10, 22))
        self.assertEqual(
            (decided.state, decided.decided_measure, decided.decided_by, decided.reason),
            (ProposalState.ACCEPTED, Measure.CRITICISM, self.office_head, "情况属实"),
        )
        notice = Notification.objects.get(kind="accountability_decided")
        self.assertEqual(notice.recipient, self.auditor)
        self.assertIn("通报批评", notice.title)
        event = Event.objects.get(type=EventType.PROPOSAL_ACCEPTED)
        self.assertEqual((event.actor, event.unit), (self.office_head, self.lead))

    def test_change_to_another_measure(self) -> None:
        decided = actions.decide(
            self.proposal,
            actor=self.refreshed(self.leader),
            decision="change",
            measure=Measure.ADMONITION,
            reason="情节较重",
        )
        self.assertEqual((decided.state, decided.decided_measure), ("changed", "admonition"))
        self.assertTrue(Event.objects.filter(type=EventType.PROPOSAL_CHANGED).exists())

    def test_change_needs_a_different_measure(self) -> None:
        for measure in ("", Measure.CRITICISM):
            with self.subTest(measure=measure), self.assertRaises(ValidationError) as caught:
                actions.decide(
                    self.proposal,
                    actor=self.refreshed(self.leader),
                    decision="change",
                    measure=measure,
                    reason="x",
                )
            self.assertIn("measure", caught.exception.message_dict)

    def test_reject_takes_no_measure_and_tells_nobody(self) -> None:
        decided = actions.decide(
            self.proposal,
            actor=self.refreshed(self.office_head),
            decision="reject",
            reason="已延期",
        )
        self.assertEqual((decided.state, decided.decided_measure), ("rejected", ""))
        self.assertFalse(Notification.objects.filter(kind="accountability_decided").exists())
        self.assertEqual(yearly_counts(Proposal.objects.all()), [])

    def test_reason_required(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            actions.decide(
                self.proposal, actor=self.refreshed(self.office_head), decision="accept", reason=" "
            )
        self.assertEqual(caught.exception.message_dict["reason"], ["理由不能为空。"])
        self.assertEqual(Proposal.objects.get().state, ProposalState.PROPOSED)

    def test_stale_version_and_decided_twice_conflict(self) -> None:
        head = self.refreshed(self.office_head)
        with self.assertRaises(Conflict):
            actions.decide(self.proposal, actor=head, decision="accept", reason="x", version=99)
        self.accept(self.proposal, D(2025, 10, 22))
        stale = Proposal.objects.get()
        with self.assertRaises(Conflict):
            actions.decide(stale, actor=head, decision="reject", reason="x", version=1)
        self.assertEqual(Proposal.objects.get().state, ProposalState.ACCEPTED)

    def test_office_staff_and_units_may_not_decide(self) -> None:
        for person in (self.office, self.lead_liaison, self.auditor, self.sibling_liaison):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                actions.decide(
                    self.proposal, actor=self.refreshed(person), decision="accept", reason="x"
                )
