"""The 台账's and the wall chart's unit selects with a long offer (org/picker.py): short lists,
the search's address, and filters by units that were not listed.

The threshold is lowered to 7 (the persona city's top layer) instead of making thousands of units.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.ledgers.tests.base import LedgerTestCase
from duban.org import picker

SHORT = 7


def select(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert found, f"no {name} select"
    return found[0]


class LedgerUnitPickerTests(LedgerTestCase):
    def page(self, user: str = "office", url: str = "items:list", **params: Any) -> str:
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            response = self.client_for(getattr(self, user)).get(reverse(url), params)
        self.assertEqual(response.status_code, 200)
        self.response = response
        return response.content.decode()

    def test_long_offer_lists_the_top_layer_with_the_search(self) -> None:
        html = self.page()
        for name in ("lead_unit", "co_unit"):
            chosen = select(html, name)
            self.assertIn('data-units-url="/org/units/pick/?offer=unit.view"', chosen)
            self.assertIn(f'<option value="{self.district.pk}">', chosen)
            self.assertNotIn(f'value="{self.town.pk}"', chosen)
            self.assertNotIn(f'value="{self.lead_section.pk}"', chosen)

    def test_filter_by_a_deep_unit_that_was_not_listed(self) -> None:
        self.make("青石镇的事", lead=self.town)
        self.make("发改委的事")
        html = self.page(lead_unit=self.town.pk)
        self.assertEqual([i.title for i in self.response.context["page"]], ["青石镇的事"])
        lead = select(html, "lead_unit")
        self.assertIn(f'<option value="{self.town.pk}" selected>', lead)
        # The other select lists it too (the rows are shared), but does not choose it.
        self.assertIn(f'<option value="{self.town.pk}">', select(html, "co_unit"))

    def test_unit_outside_the_offer_is_refused_and_not_named(self) -> None:
        self.make("发改委的事")
        html = self.page("district_office", lead_unit=self.lead_section.pk)
        self.assertIn("请从列表中选择主办单位。", html)
        self.assertNotIn("综合科", select(html, "lead_unit"))

    def test_long_offer_costs_no_more_queries_whatever_is_chosen(self) -> None:
        def count(threshold: int, **params: Any) -> int:
            client = self.as_("office")
            patched = mock.patch.object(picker, "PICK_THRESHOLD", threshold)
            with patched, CaptureQueriesContext(connection) as queries:
                client.get(reverse("items:list"), params)
            return len(queries)

        # One statement lists the rows either way (org/picker.py SHOWN_SQL), the chosen units
        # among them; validating each chosen unit is a query of its own, long offer or short.
        self.assertEqual(count(SHORT), count(300))
        chosen = {"lead_unit": self.town.pk, "co_unit": self.lead_section.pk}
        self.assertEqual(count(SHORT, **chosen), count(300, **chosen))

    def test_wall_chart_select_is_short_too(self) -> None:
        self.make("青石镇的事", lead=self.town)
        html = self.page(url="ledgers:wallchart", lead_unit=self.town.pk)
        lead = select(html, "lead_unit")
        self.assertIn("offer=unit.view", lead)
        self.assertIn(f'<option value="{self.town.pk}" selected>', lead)
        self.assertNotIn(f'value="{self.lead_section.pk}"', lead)
        self.assertIn("青石镇的事", html)
