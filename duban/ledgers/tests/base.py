"""Ledger fixtures on top of the personas: items made by the actions, then placed in time.

The closing facts (outcome, late, extensions, returns, completion time) are set on the rows
directly: the ledger only reads them, and walking each item through its whole lifecycle would
test the items app again, not the filters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from duban.items import actions
from duban.items.models import Item
from duban.items.tests.base import ItemTestCase
from duban.org.models import Unit

FAR = dt.date(2099, 12, 31)


class LedgerTestCase(ItemTestCase):
    def make(
        self,
        title: str,
        *,
        lead: Unit | None = None,
        co: list[Unit] | None = None,
        due: dt.date | None = FAR,
        draft: dict[str, Any] | None = None,
        assign: bool = True,
        **facts: Any,
    ) -> Item:
        """An item registered by the city office, assigned to `lead` (default 市发改委)."""
        item = self.draft(title=title, **(draft or {}))
        if assign:
            item = actions.assign(
                item,
                actor=None,
                lead_unit=lead or self.lead,
                co_units=co if co is not None else [],
                time_limit=due,
            )
        if facts:
            Item.objects.filter(pk=item.pk).update(**facts)
        return Item.objects.get(pk=item.pk)

    def ledger(self, user: str = "office", **params: Any) -> Any:
        client = self.client_for(getattr(self, user))
        return client.get(reverse("items:list"), params)

    def titles(self, user: str = "office", **params: Any) -> list[str]:
        response = self.ledger(user, **params)
        self.assertEqual(response.status_code, 200)
        return sorted(item.title for item in response.context["page"])

    def as_(self, user: str) -> Client:
        return self.client_for(getattr(self, user))
