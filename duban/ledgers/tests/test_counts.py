"""The 台账's total from each item's reach rows (ledgers/counts.py, items/reach_rows.py) on
PostgreSQL: the rows stay what the items say through every kind of change, and the total is the
queryset's own count for every person and every filter the rows can answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import override_settings
from django.utils import timezone

from duban.core import clock
from duban.items import actions, workbench
from duban.items.models import Confidentiality, Item, ItemState, ItemUnit, UnitRole
from duban.items.tagging import set_tags
from duban.ledgers.counts import fast_count
from duban.ledgers.filters import ledger_items
from duban.ledgers.tests.dash_fixtures import CREATED_OPEN, FAR, PAST, DashboardTestCase
from duban.org import actions as org_actions
from duban.org.models import User

EXPECTED_ROWS = """
SELECT abs(r), i.id, bit_or(CASE WHEN r < 0 THEN 1 ELSE 2 END), i.state, i.source, i.due_date,
       i.created_at, i.lead_unit_id
  FROM items_item i, unnest(i.reach) r WHERE i.confidentiality <> 'secret'
 GROUP BY abs(r), i.id
"""
KEPT_ROWS = """
SELECT unit_id, item_id, ways, state, source, due_date, created_at, lead_unit_id
  FROM items_reach_rows
"""

EXPECTED_TALLY = """
SELECT 0, state, source, due_date, count(*) FROM items_item WHERE confidentiality <> 'secret'
 GROUP BY state, source, due_date
UNION ALL
SELECT 1, state, source, NULL, count(*) FROM items_item WHERE confidentiality <> 'secret'
 GROUP BY state, source
"""
KEPT_TALLY = """
SELECT grain, state, source, due_date, sum(n) FROM items_tally
 GROUP BY grain, state, source, due_date HAVING sum(n) <> 0
"""


def rows(sql: str) -> set[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return set(cursor.fetchall())


class CountsTestCase(DashboardTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the reach rows are PostgreSQL's")
        self.build_city()

    def unit_filters(self) -> list[dict[str, Any]]:
        return [{"lead_unit": self.lead}, {"lead_unit": self.co, "state": "open"}]

    def add_people_across_trees(self) -> None:
        secret = self.assigned(title="涉密事项", confidentiality=Confidentiality.SECRET)
        secret.named_people.add(self.lead_liaison)
        # A second tree, one of its items handled in the first: counted once by everyone.
        other = org_actions.create_unit(actor=None, code="Y", name="邻市", kind="other")
        office = org_actions.create_unit(
            actor=None, code="Y-DCS", name="邻市督查室", kind="government", parent=other
        )
        across = actions.create_item(
            actor=None,
            owner_unit=office,
            title="邻市事项",
            source="meeting",
            meeting_kind="standing",
            source_date=dt.date(2025, 9, 1),
        )
        actions.assign(
            across, actor=None, start=dt.date(2025, 9, 30), lead_unit=self.lead, co_units=[self.co]
        )
        # The whole of both trees, and a person whose scope has two roots.
        User.objects.create_superuser("root", password="x")
        both = org_actions.create_user(actor=None, username="both", full_name="两个单位")
        org_actions.grant_role(both, self.lead, "liaison", actor=None)
        org_actions.grant_role(both, self.co, "liaison", actor=None)
        # Tagged: open and closed items, the 涉密 one (left out of the whole tree's shared
        # count) and the other tree's.
        done = list(Item.objects.filter(state="completed")[:2])
        for item in (self.red, self.green, self.co_open, secret, across, *done):
            set_tags(item, actor=None, tags="民生实事")


class ReachRowsTest(CountsTestCase):
    def assert_kept(self) -> None:
        self.assertEqual(rows(KEPT_ROWS), rows(EXPECTED_ROWS))
        self.assertEqual(rows(KEPT_TALLY), rows(EXPECTED_TALLY))

    def test_the_rows_follow_every_change(self) -> None:
        self.assert_kept()
        item = self.assigned()
        self.assert_kept()
        actions.acknowledge(item, actor=self.lead_liaison, unit=self.lead)
        self.assert_kept()
        actions.decline(
            self.assigned(), actor=self.co_liaison, reason="不属于本单位职责", unit=self.co
        )
        self.assert_kept()
        Item.objects.filter(pk=item.pk).update(due_date=PAST, source="meeting")
        self.assert_kept()
        Item.objects.filter(pk=item.pk).update(confidentiality=Confidentiality.SECRET)
        self.assertFalse(rows(f"{KEPT_ROWS} WHERE item_id = {item.pk}"))
        self.assert_kept()
        Item.objects.filter(pk=item.pk).update(confidentiality=Confidentiality.INTERNAL)
        self.assert_kept()
        ItemUnit.objects.create(
            item=self.red, unit=self.town, role=UnitRole.CO, assigned_at=timezone.now()
        )
        org_actions.move_unit(self.co, self.district, actor=None)
        self.assert_kept()
        Item.objects.filter(pk=self.red.pk).delete()
        self.assert_kept()

    def test_the_lights_sweep_does_not_rewrite_them(self) -> None:
        """An update of other columns (the sweeps set a million items' stored lights) leaves the
        rows and the tally alone: the triggers fire on their own columns only."""
        before = rows("SELECT ctid::text, item_id FROM items_reach_rows")
        tallied = rows("SELECT id, n FROM items_tally")
        Item.objects.update(swept_light="red", next_check_at=dt.date(2030, 1, 1))
        self.assertEqual(rows("SELECT ctid::text, item_id FROM items_reach_rows"), before)
        self.assertEqual(rows("SELECT id, n FROM items_tally"), tallied)


FILTERS: list[dict[str, Any]] = [
    {},
    {"state": "open"},
    {"state": "closed"},
    {"state": ItemState.IN_PROGRESS},
    {"light": "red"},
    {"light": "yellow"},
    {"light": "green"},
    {"source": "meeting"},
    {"due": "overdue"},
    {"due": "on_time"},
    {"due_from": dt.date(2025, 1, 1), "due_to": dt.date(2025, 12, 31)},
    {"created_from": dt.date(2025, 1, 1), "created_to": dt.date(2025, 3, 31)},
    {"state": "open", "light": "red", "source": "other"},
    {"tag": "民生实事"},
    {"tag": "民生实事", "state": "open"},
    {"tag": "无人用的标签"},
]


class FastCountTest(CountsTestCase):
    def test_the_total_is_the_rows_count_for_everyone_and_every_filter(self) -> None:
        self.add_people_across_trees()
        for narrow in (60, 0):
            with override_settings(DUBAN_NARROW_SCOPE_UNITS=narrow):
                self.check_everyone()

    def check_everyone(self) -> None:
        filters = [*FILTERS, *self.unit_filters()]
        answered = 0
        for person in User.objects.filter(is_active=True):
            for data in filters:
                with self.subTest(person=person.username, data=data):
                    user = self.refreshed(person)
                    fast = fast_count(user, data)
                    if fast is not None:
                        answered += 1
                        self.assertEqual(fast, ledger_items(self.refreshed(person), data).count())
        self.assertGreater(answered, 0)

    def test_other_filters_are_counted_on_the_items(self) -> None:
        self.assertIsNone(fast_count(self.office, {"q": "统计"}))
        self.assertIsNone(fast_count(self.office, {"due": "provisional"}))
        self.assertIsNone(fast_count(self.office, {"outcome": "A"}))
        self.assertIsNone(fast_count(self.office, {"lead_unit": self.lead}))
        self.assertIsNotNone(fast_count(self.office, {"state": "open"}))
        self.assertIsNotNone(fast_count(self.office, {"tag": "民生实事", "light": "red"}))
        self.assertIsNone(fast_count(self.office, {"tag": "民生实事", "outcome": "A"}))


class WorkbenchRowsTest(CountsTestCase):
    """The to-do lists that a scope's reach rows answer (items/workbench.py) hold what
    the lists from the items hold: the same first five in the same order, the same count."""

    def add_waiting(self) -> None:
        """More than five to review and overdue, with ties and no due date among them."""
        for due in (PAST, PAST, None, FAR, PAST - dt.timedelta(days=1), None, FAR):
            self.make(self.lead, ItemState.SUBMITTED, CREATED_OPEN, due_date=due)
        self.make(self.co, ItemState.PENDING_APPROVAL, CREATED_OPEN, due_date=FAR)
        # 涉密, so the office's by name: merged with the rows, it goes after every due date.
        secret = self.make(
            self.lead,
            ItemState.SUBMITTED,
            CREATED_OPEN,
            due_date=None,
            confidentiality=Confidentiality.SECRET,
        )
        secret.named_people.add(self.office)
        for _ in range(6):
            self.make(self.co, ItemState.IN_PROGRESS, CREATED_OPEN, due_date=PAST)

    def test_everyone_sees_the_same_lists(self) -> None:
        self.add_people_across_trees()
        self.add_waiting()
        for narrow in (60, 0):  # 0: every scope is wide, which only a list's page takes
            with override_settings(DUBAN_NARROW_SCOPE_UNITS=narrow):
                self.check_everyone(wide=not narrow)

    def check_everyone(self, wide: bool) -> None:
        today = clock.today()
        answered = set()
        for person in User.objects.filter(is_active=True):
            for key, _, items, _ in workbench._queries(person, today):
                with self.subTest(person=person.username, list=key, wide=wide):
                    user = self.refreshed(person)
                    listed = workbench.row_list(user, key, today, wide=wide)
                    if listed is None:
                        continue
                    answered.add(key)
                    expected = list(items.order_by("due_date", "id"))
                    self.assertEqual(len(listed), len(expected))
                    for part in (slice(0, 5), slice(2, 7), slice(0, None)):
                        self.assertEqual(
                            [item.pk for item in listed[part]], [item.pk for item in expected[part]]
                        )
        self.assertEqual(answered, {"review", "approve", "overdue"})

    def test_the_workbench_takes_a_wide_scopes_lists_from_the_items(self) -> None:
        with override_settings(DUBAN_NARROW_SCOPE_UNITS=0):
            today = clock.today()
            self.assertIsNone(workbench.row_list(self.lead_liaison, "overdue", today))
            self.assertIsNotNone(workbench.row_list(self.lead_liaison, "overdue", today, wide=True))
