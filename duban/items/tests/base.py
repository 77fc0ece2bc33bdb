"""Items on top of the personas: one draft registered by the city's supervision office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from duban.core.testing import PersonaTestCase
from duban.items import actions
from duban.items.models import Item, ItemSource

S = ItemSource
# What each source must record to be registered (items/intake.py), so draft() is what a form makes.
FACTS: dict[str, dict[str, Any]] = {
    S.LEADER_INSTRUCTION: {"source_person": "张市长", "source_text": "请抓紧研究落实。"},
    S.MEETING: {"meeting_kind": "standing", "source_date": dt.date(2025, 9, 1)},
    S.DOCUMENT: {"doc_number": "济政办发〔2016〕30号"},
    S.WORK_REPORT: {"source_text": "年内完成老旧小区改造 50 个"},
    S.NPC_SUGGESTION: {"source_number": "第0123号", "source_person": "李代表"},
    S.CPPCC_PROPOSAL: {"source_number": "第0045号", "source_person": "王委员"},
}


class ItemTestCase(PersonaTestCase):
    def draft(self, **fields: Any) -> Item:
        fields.setdefault("title", "推进老旧小区改造")
        fields.setdefault("source", ItemSource.LEADER_INSTRUCTION)
        fields = FACTS.get(fields["source"], {}) | fields
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
