"""红黄绿灯 at the boundaries, with source-specific thresholds, in SQL and for one item alike."""

from __future__ import annotations

import datetime as dt

from duban.items import actions, lights
from duban.items.models import Item, ItemSource, LightRule
from duban.items.tests.base import ItemTestCase

D = dt.date
# Friday 2025-10-10; Saturday 10-11 is a 调休 working day, so 3 working days end on Tuesday 10-14.
TODAY = D(2025, 10, 10)


class LightTest(ItemTestCase):
    def due(self, day: dt.date | None, source: str = ItemSource.LEADER_INSTRUCTION) -> Item:
        item = self.draft(title=f"到期 {day}", source=source, time_limit=day)
        if day is None:
            return item
        actions.assign(item, actor=self.office, lead_unit=self.lead, start=D(2025, 9, 1))
        return item

    def check(self, item: Item, expected: str) -> None:
        self.assertEqual(lights.light_of(self.fresh(item), TODAY), expected)
        annotated = lights.with_light(Item.objects.filter(pk=item.pk), TODAY).get()
        self.assertEqual(annotated.light, expected)
        for light in lights.LIGHTS:
            found = lights.filter_light(Item.objects.filter(pk=item.pk), light, TODAY).exists()
            self.assertEqual(found, light == expected, light)

    def test_boundaries_with_the_default_threshold(self) -> None:
        cases = [
            (D(2025, 10, 9), "red"),  # overdue by one day
            (TODAY, "yellow"),  # due today
            (D(2025, 10, 11), "yellow"),  # the 调休 Saturday counts as a working day
            (D(2025, 10, 14), "yellow"),  # the 3rd working day: the cutoff itself
            (D(2025, 10, 15), "green"),  # one day past the cutoff
        ]
        for day, expected in cases:
            with self.subTest(day=day):
                self.check(self.due(day), expected)

    def test_draft_without_due_date_is_green_and_closed_has_none(self) -> None:
        self.check(self.due(None), "green")
        overdue = self.due(D(2025, 9, 20))
        actions.cancel(overdue, actor=self.refreshed(self.office_head), reason="重复")
        self.check(overdue, "")

    def test_source_row_overrides_default(self) -> None:
        LightRule.objects.create(source=ItemSource.NPC_SUGGESTION, yellow_within=10)
        LightRule.objects.filter(source="").update(yellow_within=1)  # 10-11 is the cutoff
        self.check(self.due(D(2025, 10, 13)), "green")
        self.check(self.due(D(2025, 10, 13), ItemSource.NPC_SUGGESTION), "yellow")
        self.check(self.due(D(2025, 10, 23), ItemSource.NPC_SUGGESTION), "yellow")  # 10th day
        self.check(self.due(D(2025, 10, 24), ItemSource.NPC_SUGGESTION), "green")

    def test_zero_threshold_has_no_yellow(self) -> None:
        LightRule.objects.filter(source="").update(yellow_within=0)
        self.check(self.due(TODAY), "green")
        self.check(self.due(D(2025, 10, 9)), "red")

    def test_constant_queries_whatever_the_rows(self) -> None:
        for day in (D(2025, 10, 1), D(2025, 10, 12), D(2025, 12, 1)):
            self.due(day)
        lights.cutoffs(TODAY)  # warm the calendar cache
        with self.assertNumQueries(3):  # light rules, calendar version, the list itself
            rows = list(
                lights.with_light(Item.objects.all(), TODAY).values_list("light", flat=True)
            )
        self.assertEqual(sorted(rows), ["green", "red", "yellow"])

    def test_the_calendars_version_is_asked_once_whatever_the_rules(self) -> None:
        for source, within in ((ItemSource.NPC_SUGGESTION, 10), (ItemSource.MEETING, 5)):
            LightRule.objects.create(source=source, yellow_within=within)
        lights.cutoffs(TODAY)  # warm the calendar cache
        with self.assertNumQueries(2):  # light rules, calendar version
            default, by_source = lights.cutoffs(TODAY)
        self.assertEqual(default, D(2025, 10, 14))
        self.assertEqual(by_source[ItemSource.NPC_SUGGESTION], D(2025, 10, 23))
