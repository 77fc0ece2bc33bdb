"""Linked items (一次填报、多方复用): the office links; one report answers the whole group."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, linking, reporting
from duban.items.models import Item, ItemSource, LinkGroup, ReportCadence
from duban.items.tests.base import ItemTestCase


class LinkingTestCase(ItemTestCase):
    def started(self, title: str, **fields: Any) -> Item:
        item = self.assigned(title=title, **fields)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return item

    def three(self) -> list[Item]:
        return [
            self.started("批示:推进老旧小区改造"),
            self.started(
                "常务会议:老旧小区改造", source=ItemSource.MEETING, time_limit=dt.date(2025, 12, 31)
            ),
            self.started(
                "工作报告:改造老旧小区300个",
                source=ItemSource.WORK_REPORT,
                time_limit=dt.date(2025, 12, 31),
            ),
        ]


class LinkTest(LinkingTestCase):
    def test_office_links(self) -> None:
        items = self.three()
        group = linking.link_items(items, actor=self.office)
        for item in items:
            self.assertEqual(self.fresh(item).link_group, group)
        self.assertEqual(set(linking.linked_items(items[0])), set(items[1:]))
        self.assertEqual(Event.objects.filter(type=EventType.ITEMS_LINKED).count(), 3)

    def test_refused_for_units_and_other_jurisdictions(self) -> None:
        items = self.three()
        for person in (self.lead_liaison, self.lead_leader, self.district_office):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                linking.link_items(items, actor=self.refreshed(person))
        self.assertFalse(LinkGroup.objects.exists())

    def test_needs_two_open_items(self) -> None:
        first, second, _third = self.three()
        with self.assertRaisesMessage(ValidationError, "至少选择两个事项"):
            linking.link_items([first, first], actor=self.office)
        actions.cancel(second, actor=self.refreshed(self.office_head), reason="重复登记")
        with self.assertRaisesMessage(ValidationError, "已办结或撤销"):
            linking.link_items([first, self.fresh(second)], actor=self.office)

    def test_groups_merge(self) -> None:
        a, b, c = self.three()
        d = self.started("专题会议:老旧小区改造")
        linking.link_items([a, b], actor=self.office)
        linking.link_items([self.fresh(c), self.fresh(d)], actor=self.office)
        group = linking.link_items([self.fresh(b), self.fresh(c)], actor=self.office)
        self.assertEqual(LinkGroup.objects.count(), 1)
        self.assertEqual(set(group.items.all()), {a, b, c, d})

    def test_unlink_dissolves_a_pair(self) -> None:
        a, b, c = self.three()
        linking.link_items([a, b, c], actor=self.office)
        linking.unlink_item(self.fresh(a), actor=self.office)
        self.assertIsNone(self.fresh(a).link_group)
        self.assertIsNotNone(self.fresh(b).link_group)
        linking.unlink_item(self.fresh(b), actor=self.office)
        self.assertIsNone(self.fresh(c).link_group)
        self.assertFalse(LinkGroup.objects.exists())
        with self.assertRaisesMessage(ValidationError, "没有关联"):
            linking.unlink_item(self.fresh(c), actor=self.office)
        with self.assertRaises(PermissionDenied):
            linking.unlink_item(self.fresh(c), actor=self.refreshed(self.lead_liaison))


class ReuseTest(LinkingTestCase):
    def test_one_report_answers_the_group(self) -> None:
        a, b, c = self.three()
        reporting.set_cadence(b, actor=self.office, cadence=ReportCadence.WEEKLY)
        before = self.fresh(b).next_report_due
        assert before is not None
        linking.link_items([a, self.fresh(b), c], actor=self.office)
        report = reporting.report_progress(
            self.fresh(a), actor=self.refreshed(self.lead_liaison), content="已完成80户改造"
        )
        for item in (a, b, c):
            self.assertEqual(list(reporting.reports_for(self.fresh(item))), [report])
        # b's own cadence moves on to its next period, as if it had been answered directly.
        self.assertEqual(
            self.fresh(b).next_report_due, reporting.next_due("weekly", before, before)
        )
        linked = Event.objects.filter(type=EventType.ITEM_PROGRESS_REPORTED, target_id=str(b.pk))
        self.assertEqual(linked.get().details, {"report": report.pk, "via": a.pk})
        main = Event.objects.filter(type=EventType.ITEM_PROGRESS_REPORTED, target_id=str(a.pk))
        self.assertEqual(sorted(main.get().details["linked"]), sorted([b.pk, c.pk]))

    def test_not_for_items_another_unit_leads(self) -> None:
        a = self.started("批示:推进老旧小区改造")
        other = self.draft(title="住建局牵头的改造")
        actions.assign(other, actor=self.office, lead_unit=self.co, start=dt.date(2025, 9, 30))
        actions.acknowledge(other, actor=self.refreshed(self.co_liaison))
        linking.link_items([a, self.fresh(other)], actor=self.office)
        reporting.report_progress(
            self.fresh(a), actor=self.refreshed(self.lead_liaison), content="进展"
        )
        main = Event.objects.filter(type=EventType.ITEM_PROGRESS_REPORTED, target_id=str(a.pk))
        self.assertEqual(main.get().details["linked"], [])
        # Still one group: the report is visible from the other item too (filled once).
        self.assertEqual(reporting.reports_for(self.fresh(other)).count(), 1)

    def test_unlinked_item_sees_only_its_own(self) -> None:
        a, b, _c = self.three()
        reporting.report_progress(a, actor=self.refreshed(self.lead_liaison), content="进展")
        self.assertEqual(reporting.reports_for(self.fresh(b)).count(), 0)
