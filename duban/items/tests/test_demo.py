"""The demo items: every source and state, and lights of every colour around today."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.test import TestCase
from django.utils import timezone

from duban.audit.log import verify
from duban.items.demo import HISTORY_DAYS, STATE_COUNTS, UNREAD_DAYS, build_specs, load_demo_city
from duban.items.models import (
    OPEN_STATES,
    ExtensionRequest,
    ExtensionState,
    Item,
    ItemSource,
    ItemState,
    ProgressReport,
    ReportKind,
)
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import nth_working_day


class DemoItemsTests(TestCase):
    counts: Counter[str]
    now: dt.datetime

    @classmethod
    def setUpTestData(cls) -> None:
        cls.now = timezone.now()
        load_demo_city()
        cls.counts = Counter(Item.objects.values_list("state", flat=True))

    def test_counts_by_state_and_source(self) -> None:
        self.assertEqual(dict(self.counts), STATE_COUNTS)
        by_state = {s: Item.objects.filter(state=s).count() for s in ItemState.values}
        self.assertEqual(by_state, STATE_COUNTS)
        self.assertEqual(Item.objects.count(), sum(STATE_COUNTS.values()))
        sources = set(Item.objects.values_list("source", flat=True))
        self.assertEqual(sources, set(ItemSource.values))
        per_source = Item.objects.filter(source=ItemSource.NPC_SUGGESTION).count()
        self.assertEqual(per_source, 30)

    def test_lights_around_today(self) -> None:
        today = timezone.localdate()
        third = nth_working_day(calendar_for(), today, 3)
        handled = Item.objects.filter(
            state__in=[ItemState.ASSIGNED, ItemState.IN_PROGRESS, ItemState.SUBMITTED]
        )
        self.assertGreater(handled.filter(due_date__lt=today).count(), 10)
        self.assertGreater(handled.filter(due_date__gte=today, due_date__lte=third).count(), 10)
        self.assertGreater(handled.filter(due_date__gt=third).count(), 50)
        self.assertTrue(Item.objects.filter(completed_late=True).exists())
        self.assertTrue(Item.objects.filter(completed_late=False).exists())
        self.assertTrue(Item.objects.filter(return_count=1, state=ItemState.IN_PROGRESS).exists())
        self.assertFalse(Item.objects.filter(state__in=OPEN_STATES, title="").exists())

    def test_reports_and_extensions(self) -> None:
        self.assertTrue(ProgressReport.objects.filter(kind=ReportKind.PROGRESS).exists())
        finals = ProgressReport.objects.filter(kind=ReportKind.FINAL, signed_off_by__isnull=False)
        self.assertTrue(finals.exists())
        states = set(ExtensionRequest.objects.values_list("state", flat=True))
        self.assertEqual(states, {ExtensionState.PENDING, ExtensionState.APPROVED})
        extended = Item.objects.filter(extension_count=1)
        self.assertTrue(extended.exists())
        self.assertFalse(extended.filter(original_due_date__isnull=True).exists())

    def test_audit_chain_holds(self) -> None:
        self.assertIsNone(verify())

    def test_specs_are_deterministic(self) -> None:
        today = dt.date(2026, 11, 23)
        soon = [dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 26)]
        first = [(s.title, s.state, s.due) for s in build_specs(today, soon)]
        self.assertEqual(first, [(s.title, s.state, s.due) for s in build_specs(today, soon)])

    def test_every_timeline_line_is_in_words(self) -> None:
        """No raw detail key (「co_inputs:[]」) reaches an item page: each reads as Chinese."""
        import re

        from duban.audit.models import Event
        from duban.items.timeline import timeline

        events = list(Event.objects.filter(target_model="items.item").order_by("seq"))
        raw = re.compile(r"^[A-Za-z_][A-Za-z0-9_\\-]*:")
        found = {
            line
            for entry in timeline(events)
            for line in entry.lines
            if raw.match(line) or ("→ 办理中" in line and "办理中 →" in line)
        }
        self.assertEqual(found, set())

    def test_plans_and_milestones_in_hand(self) -> None:
        """Most items in progress have a 工作方案; some have 节点任务, one of them done."""
        from duban.items.models import Milestone

        in_progress = Item.objects.filter(state=ItemState.IN_PROGRESS)
        planned = in_progress.filter(reports__kind=ReportKind.PLAN).distinct().count()
        self.assertGreater(planned, in_progress.count() // 2)
        steps = Milestone.objects.filter(item__in=in_progress)
        self.assertTrue(steps.filter(done_at__isnull=False).exists())
        self.assertTrue(steps.filter(done_at__isnull=True).exists())

    def test_a_year_of_history(self) -> None:
        """Each step happened on its day of the past year (core/clock.py): registrations over ten
        months and more, completions over half a year, and nothing after now."""

        def months(stamps: list[dt.datetime]) -> set[tuple[int, int]]:
            return {(t.year, t.month) for t in map(timezone.localtime, stamps)}

        created = list(Item.objects.values_list("created_at", flat=True))
        completed = [
            stamp
            for stamp in Item.objects.values_list("completed_at", flat=True)
            if stamp is not None
        ]
        self.assertGreaterEqual(len(months(created)), 10)
        self.assertGreaterEqual(len(months(completed)), 6)
        self.assertLessEqual(max(created + completed), timezone.now())
        oldest = timezone.localdate(self.now) - dt.timedelta(days=HISTORY_DAYS)
        self.assertGreaterEqual(timezone.localdate(min(created)), oldest)
        # A closed item was accepted after it was assigned, late exactly when past its deadline.
        for item in Item.objects.filter(completed_at__isnull=False):
            assert item.completed_at and item.assigned_at and item.due_date
            late = timezone.localdate(item.completed_at) > item.due_date
            self.assertEqual(item.completed_late, late, item.title)
            self.assertLess(item.assigned_at, item.completed_at)

    def test_the_audit_log_runs_forward_in_time(self) -> None:
        """The city is set up before its first item, and each event is no earlier than the one
        before it, so the log reads in order and its chain matches its clock."""
        from duban.audit.models import Event

        stamps = list(Event.objects.order_by("seq").values_list("created_at", flat=True))
        self.assertEqual(stamps, sorted(stamps))
        first_item = Item.objects.order_by("created_at").values_list("created_at", flat=True)[0]
        self.assertLess(stamps[0], first_item)

    def test_steps_fall_on_working_days(self) -> None:
        from duban.audit.models import Event

        cal = calendar_for()
        today = timezone.localdate()
        days = {
            timezone.localdate(at)
            for at in Event.objects.filter(target_model="items.item").values_list(
                "created_at", flat=True
            )
        }
        self.assertEqual({d for d in days if not cal.is_workday(d) and d != today}, set())

    def test_documents_of_the_year(self) -> None:
        """督查通知 at 交办, 督办单 of overdue items, a 督查通报 of each of the last three months,
        numbered per kind and year without a gap; this month's 通报 and a 专报 left as drafts."""
        from duban.documents.models import DocKind, DocState, Document

        issued = Document.objects.filter(state=DocState.ISSUED)
        for kind in (DocKind.NOTICE, DocKind.REMINDER, DocKind.BULLETIN):
            rows = issued.filter(kind=kind)
            self.assertTrue(rows.exists(), kind)
            for year in set(rows.values_list("year", flat=True)):
                serials = sorted(
                    n or 0 for n in rows.filter(year=year).values_list("serial", flat=True)
                )
                self.assertEqual(serials, list(range(1, len(serials) + 1)), (kind, year))
        self.assertEqual(issued.filter(kind=DocKind.BULLETIN).count(), 3)
        self.assertEqual(
            set(issued.filter(kind=DocKind.REMINDER).values_list("light", flat=True)), {"red"}
        )
        drafts = Document.objects.filter(state=DocState.DRAFT)
        self.assertEqual(
            sorted(drafts.values_list("kind", flat=True)), [DocKind.BULLETIN, DocKind.REPORT]
        )
        self.assertTrue(drafts.get(kind=DocKind.REPORT).items.exists())

    def test_only_recent_messages_are_unread(self) -> None:
        from duban.notify.models import Notification

        recent = self.now - dt.timedelta(days=UNREAD_DAYS)
        self.assertTrue(Notification.objects.filter(read_at__isnull=False).exists())
        self.assertTrue(Notification.objects.filter(read_at__isnull=True).exists())
        unread = Notification.objects.filter(read_at__isnull=True)
        self.assertFalse(unread.filter(created_at__lt=recent).exists())

    def test_the_weekly_sweeps_and_the_offices_decisions(self) -> None:
        """The sweeps ran every Monday of the year: 督办升级 steps and 问责建议 over several months,
        each decided by the office by the Wednesday after; accepted ones counted in the ladder."""
        from duban.assessment.models import DecisionState, Escalation, Proposal, ProposalState

        escalations = Escalation.objects.all()
        self.assertTrue(escalations.exists())
        self.assertFalse(
            escalations.filter(
                state=DecisionState.PROPOSED, proposed_at__lt=self.now - dt.timedelta(days=7)
            ).exists()
        )
        months = {
            timezone.localtime(at).month for at in escalations.values_list("proposed_at", flat=True)
        }
        self.assertGreaterEqual(len(months), 3)
        states = set(
            Proposal.objects.exclude(state=ProposalState.PROPOSED).values_list("state", flat=True)
        )
        self.assertEqual(states, {ProposalState.ACCEPTED, ProposalState.REJECTED})
        for proposed, decided in Proposal.objects.values_list("proposed_at", "decided_at"):
            self.assertTrue(decided is None or decided > proposed)

    def test_tags_and_the_offices_ledgers_by_them(self) -> None:
        """The topics carry their 标签; the office keeps 专项台账 by tag, source and deadline."""
        from duban.items.models import ItemTag
        from duban.ledgers.filters import cleaned, ledger_items, parse
        from duban.ledgers.models import SavedView
        from duban.org.models import User

        self.assertTrue(ItemTag.objects.filter(name="民生实事").exists())
        office = User.objects.get(username="ducha")
        views = {view.name: view for view in SavedView.objects.visible_to(office)}
        self.assertEqual(set(views), {"民生实事台账", "人大建议办理台账", "逾期未办结事项"})
        for view in views.values():
            form = parse(office, {"view": str(view.pk)})
            self.assertFalse(form.errors, view.name)
            self.assertTrue(ledger_items(office, cleaned(form)).exists(), view.name)
