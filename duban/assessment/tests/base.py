"""Items with chosen due dates on top of the personas, and the preset's rules by measure."""

from __future__ import annotations

import datetime as dt

from duban.assessment.models import AccountabilityRule, LadderRule, Preset
from duban.items import actions
from duban.items.models import Item
from duban.items.tests.base import ItemTestCase

D = dt.date


class AssessmentTestCase(ItemTestCase):
    def due(self, day: dt.date, title: str = "") -> Item:
        """An item the lead unit holds (已交办), due on `day`."""
        item = self.draft(title=title or f"到期 {day}", time_limit=day)
        actions.assign(item, actor=self.office, lead_unit=self.lead, start=D(2025, 8, 1))
        return self.fresh(item)

    def copies(self, item: Item, n: int) -> None:
        """n more items like `item` (fixtures for counting queries; no action involved)."""
        rows = []
        for i in range(n):
            copy = self.fresh(item)
            copy.pk = None
            copy.title = f"{item.title} {i}"
            rows.append(copy)
        Item.objects.bulk_create(rows)

    def ladder(self, code: str = "jinan") -> list[LadderRule]:
        return list(LadderRule.objects.filter(preset__code=code).order_by("step"))

    def rules(self, code: str = "jinan") -> list[AccountabilityRule]:
        return list(AccountabilityRule.objects.filter(preset__code=code).order_by("step"))

    def use(self, code: str) -> None:
        Preset.objects.update(active=False)
        Preset.objects.filter(code=code).update(active=True)
