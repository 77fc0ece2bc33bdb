"""Items on top of the personas: one draft registered by the city's supervision office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from duban.core.testing import PersonaTestCase
from duban.items import actions
from duban.items.models import Item, ItemSource


class ItemTestCase(PersonaTestCase):
    def draft(self, **fields: Any) -> Item:
        fields.setdefault("title", "推进老旧小区改造")
        fields.setdefault("source", ItemSource.LEADER_INSTRUCTION)
        return actions.create_item(actor=self.office, owner_unit=self.supervision, **fields)

    def assigned(self, **fields: Any) -> Item:
        item = self.draft(**fields)
        return actions.assign(
            item,
            actor=self.office,
            lead_unit=self.lead,
            co_units=[self.co],
            start=dt.date(2025, 9, 30),
        )

    def fresh(self, item: Item) -> Item:
        return Item.objects.get(pk=item.pk)
