"""bench/province.py at a tiny size: the rows the benchmarks read exist and the audit chain holds.

PostgreSQL only: the generator is PostgreSQL SQL (generate_series, sha256, recursive folds).
"""

from __future__ import annotations

import unittest

from django.db import connection
from django.db.models import Count, Q
from django.test import TestCase
from django.utils import timezone

from duban.audit.log import verify
from duban.audit.models import Event
from duban.items.models import OPEN_STATES, Item, ItemTag, ItemUnit, ProgressReport
from duban.items.sweeps import sweep_lights
from duban.ledgers.tests.test_counts import (
    EXPECTED_ROWS,
    EXPECTED_TALLY,
    KEPT_ROWS,
    KEPT_TALLY,
    rows,
)
from duban.org.models import Membership, Unit

ITEMS = 200


@unittest.skipUnless(connection.vendor == "postgresql", "生成器使用 PostgreSQL 专有的 SQL")
class ProvinceGeneratorTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from bench import province

        province.create_org()
        province.generate(ITEMS)
        sweep_lights(timezone.now())

    def test_organisation(self) -> None:
        self.assertGreater(Unit.objects.count(), 3000)
        root = Unit.objects.get(code="P")
        self.assertEqual(Unit.objects.subtree_of(root).count(), Unit.objects.count())
        head = Membership.objects.get(user__username="p_c01_dcs_head")
        self.assertEqual((head.role, head.scope.code), ("office_head", "P-C01"))
        self.assertTrue(Membership.objects.filter(unit__code="P-C01-FGW", role="liaison").exists())

    def test_items_and_their_rows(self) -> None:
        self.assertEqual(Item.objects.count(), ITEMS)
        for item in Item.objects.all():
            self.assertIn(item.title, item.search_text)
            self.assertTrue(item.owner_unit.code.endswith("-DCS"))
            if item.lead_unit_id is not None:
                lead = ItemUnit.objects.get(item=item, role="lead", declined_at__isnull=True)
                self.assertEqual(lead.unit_id, item.lead_unit_id)
        states = set(Item.objects.values_list("state", flat=True))
        self.assertTrue(states & set(OPEN_STATES) and states & {"completed", "archived"})
        self.assertFalse(Item.objects.filter(next_check_at__lt=timezone.localdate()).exists())
        lights = Item.objects.open().aggregate(unset=Count("pk", filter=Q(swept_light="")))
        self.assertEqual(lights["unset"], 0)
        self.assertTrue(ProgressReport.objects.exists())

    def test_items_carry_tags_by_id(self) -> None:
        from bench.province import TAGS

        for name, every in TAGS:
            tagged = set(ItemTag.objects.filter(name=name).values_list("item_id", flat=True))
            ids = set(Item.objects.values_list("pk", flat=True))
            self.assertEqual(tagged, {pk for pk in ids if pk % every == 0}, name)

    def test_each_item_has_its_reach(self) -> None:
        """Generated with the triggers off, the items get their reach in one statement per batch,
        the same as the triggers' function gives item by item (items/reach.py)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE reach = duban_item_reach(id, owner_unit_id)),"
                " count(*) FILTER (WHERE cardinality(reach) > 1) FROM items_item"
            )
            self.assertEqual(cursor.fetchone(), (ITEMS, ITEMS))
        self.assertEqual(rows(KEPT_ROWS), rows(EXPECTED_ROWS))
        self.assertEqual(rows(KEPT_TALLY), rows(EXPECTED_TALLY))

    def test_events_form_a_chain_the_verifier_accepts(self) -> None:
        created = Event.objects.filter(type=400, target_model="items.item").count()
        self.assertEqual(created, ITEMS)
        self.assertIsNone(verify())

    def test_topping_up_continues_the_chain(self) -> None:
        from bench import province

        province.generate(ITEMS + 30)
        self.assertEqual(Item.objects.count(), ITEMS + 30)
        self.assertIsNone(verify())
        self.assertEqual(rows(KEPT_TALLY), rows(EXPECTED_TALLY))
