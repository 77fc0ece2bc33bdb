"""节点任务 and 分解事项 roll up into the parent; a parent with an open child cannot be accepted."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, progress, reporting
from duban.items.models import Item, ItemState, Milestone
from duban.items.tests.test_pages import FAR, PageTestCase


class RollupTest(PageTestCase):
    def started(self) -> Item:
        item = self.assigned(time_limit=FAR)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return self.fresh(item)

    def child(self, parent: Item, title: str) -> Item:
        return actions.create_child(
            parent,
            actor=self.office,
            basis="unit",
            title=title,
            content="",
            time_limit=FAR,
            owner_name="王五",
            lead_unit=self.lead,
        )

    def to_review(self, item: Item) -> Item:
        liaison = self.refreshed(self.lead_liaison)
        if item.state == ItemState.ASSIGNED:
            actions.acknowledge(item, actor=liaison)
        reporting.draft_final(item, actor=liaison, content="已完成")
        reporting.submit_for_signoff(item, actor=liaison)
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader))
        return self.fresh(item)

    def test_parent_with_an_open_child_is_not_accepted(self) -> None:
        parent = self.started()
        child = self.child(parent, "完成一期改造")
        parent = self.to_review(self.fresh(parent))
        with self.assertRaises(ValidationError) as caught:
            actions.accept(parent, actor=self.office, outcome="A")
        self.assertIn("完成一期改造", caught.exception.message_dict["children"][0])
        self.assertEqual(self.fresh(parent).state, ItemState.SUBMITTED)
        actions.accept(self.to_review(child), actor=self.office, outcome="A")
        actions.accept(self.fresh(parent), actor=self.office, outcome="A")
        self.assertEqual(self.fresh(parent).state, ItemState.COMPLETED)

    def test_a_cancelled_child_neither_blocks_nor_counts(self) -> None:
        parent = self.started()
        child = self.child(parent, "二期")
        actions.cancel(child, actor=self.office_head, reason="并入一期")
        self.assertEqual(progress.rollup(parent).parts, 0)
        actions.accept(self.to_review(parent), actor=self.office, outcome="A")

    def test_rollup_counts_children_and_milestones(self) -> None:
        parent = self.started()
        actions.add_milestone(parent, actor=self.office, title="完成摸排", due_date=FAR)
        actions.add_milestone(self.fresh(parent), actor=self.office, title="开工", due_date=FAR)
        child = self.child(self.fresh(parent), "一期")
        step = Milestone.objects.get(title="完成摸排")
        progress.complete_milestone(
            self.fresh(parent), step, actor=self.refreshed(self.lead_liaison)
        )
        self.assertEqual(progress.rollup(parent).percent, 33)
        actions.accept(self.to_review(child), actor=self.office, outcome="A")
        found = progress.rollup(parent)
        self.assertEqual((found.done, found.parts, found.percent), (2, 3, 67))
        page = self.as_("office").get(self.url("detail", parent)).content.decode()
        self.assertIn("已完成 2/3(67%)", page)

    def test_complete_milestone_through_the_page(self) -> None:
        item = self.started()
        actions.add_milestone(
            item, actor=self.office, title="完成摸排", due_date=dt.date(2000, 1, 3)
        )
        item = self.fresh(item)
        step = Milestone.objects.get(item=item)
        url = reverse("items:milestone_done", args=[item.pk, step.pk])
        self.assertContains(self.as_("lead_liaison").get(self.url("detail", item)), url)
        self.assertNotContains(self.as_("co_liaison").get(self.url("detail", item)), url)
        # The co-unit may not; nothing changes.
        self.as_("co_liaison").post(url, {"version": item.version})
        step.refresh_from_db()
        self.assertIsNone(step.done_at)
        response = self.as_("lead_liaison").post(url, {"version": item.version})
        self.assertRedirects(response, self.url("detail", item))
        step.refresh_from_db()
        self.assertIsNotNone(step.done_at)
        event = Event.objects.for_target(item).get(type=EventType.ITEM_MILESTONE_DONE)
        self.assertTrue(event.details["late"])
        # Twice is refused, and a stale page too.
        with self.assertRaises(ValidationError):
            progress.complete_milestone(self.fresh(item), step, actor=self.office)

    def test_stale_milestone_post_changes_nothing(self) -> None:
        item = self.started()
        actions.add_milestone(item, actor=self.office, title="完成摸排", due_date=FAR)
        step = Milestone.objects.get(item=item)
        seen = self.fresh(item).version
        reporting.report_progress(
            self.fresh(item), actor=self.refreshed(self.lead_liaison), content="进展"
        )
        url = reverse("items:milestone_done", args=[item.pk, step.pk])
        self.as_("lead_liaison").post(url, {"version": seen})
        step.refresh_from_db()
        self.assertIsNone(step.done_at)
