"""Each item's reach on PostgreSQL (items/reach.py): kept right by its triggers whichever way an
item or its units change, and `restrict` over it equal to the rule it stands for, person by
person (a Python oracle of items/access.py's docstring)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import override_settings
from django.utils import timezone

from duban.items import actions, reach
from duban.items.access import scope_of
from duban.items.models import Confidentiality, Item, ItemUnit, UnitRole
from duban.items.tests.base import ItemTestCase
from duban.org import actions as org_actions
from duban.org.models import Unit, User


def ancestors(unit: Unit) -> set[int]:
    unit.refresh_from_db()
    return {int(segment) for segment in unit.path.strip("/").split("/")}


def reach_of(item: Item) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reach FROM items_item WHERE id = %s", [item.pk])
        (reach,) = cursor.fetchone()
    return list(reach)


class ReachTest(ItemTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("the reach column is PostgreSQL's")

    def expected(self, owner: Unit, *handling: Unit) -> list[int]:
        ways = {-unit for unit in ancestors(owner)}
        for unit in handling:
            ways |= ancestors(unit)
        return sorted(ways)

    def test_registering_assigning_and_declining_keep_it(self) -> None:
        item = self.draft()
        self.assertEqual(reach_of(item), self.expected(self.supervision))
        item = self.assigned()
        self.assertEqual(reach_of(item), self.expected(self.supervision, self.lead, self.co))
        actions.decline(item, actor=self.co_liaison, reason="不属于本单位职责", unit=self.co)
        self.assertEqual(reach_of(item), self.expected(self.supervision, self.lead))

    def test_rows_written_directly_keep_it_too(self) -> None:
        item = self.draft()
        row = ItemUnit.objects.create(
            item=item, unit=self.town, role=UnitRole.CO, assigned_at=timezone.now()
        )
        self.assertEqual(reach_of(item), self.expected(self.supervision, self.town))
        row.delete()
        self.assertEqual(reach_of(item), self.expected(self.supervision))
        Item.objects.filter(pk=item.pk).update(owner_unit=self.district)
        self.assertEqual(reach_of(item), self.expected(self.district))

    def test_a_moved_unit_takes_its_items_along(self) -> None:
        item = self.assigned()
        # 市住建局 moves under 东湖区: the district's people now reach what it handles.
        org_actions.move_unit(self.co, self.district, actor=None)
        self.assertIn(self.district.pk, reach_of(item))
        self.assertEqual(reach_of(item), self.expected(self.supervision, self.lead, self.co))
        district = self.refreshed(self.district_office)
        self.assertIn(item, Item.objects.restrict(district))

    def test_a_subquery_tests_its_own_rows(self) -> None:
        """In a subquery of items the reach is the subquery's row's, not the outer query's
        (which made restrict_personal of a clerk of 23,000 items run for minutes)."""
        item = self.assigned()
        inner = Item.objects.filter(reach.reach_q([self.supervision.path], [])).values("pk")
        outer = Item.objects.filter(pk__in=inner)
        sql = str(outer.query)
        self.assertIn('U0."reach" &&', sql)
        self.assertEqual(list(outer), [item])


class RestrictOracleTest(ItemTestCase):
    """restrict() against the rule itself on a mix of items, for every persona, whether the
    scopes are taken as narrow (unit by unit) or as wide (the reach index on PostgreSQL, the
    items read once elsewhere)."""

    def test_restrict_is_the_rule_for_everyone(self) -> None:
        self.make_items()
        for narrow in (60, 0):
            with override_settings(DUBAN_NARROW_SCOPE_UNITS=narrow):
                self.check_everyone(narrow)

    def make_items(self) -> None:
        start = dt.date(2025, 9, 30)
        made = [
            self.assigned(),
            self.assigned(confidentiality=Confidentiality.SECRET),
            self.draft(title="只登记未交办"),
            self.draft(title="涉密草稿", confidentiality=Confidentiality.SECRET),
        ]
        district_item = actions.create_item(
            actor=self.district_office, owner_unit=self.district, title="区里的事", source="other"
        )
        actions.assign(
            district_item,
            actor=self.district_office,
            lead_unit=self.town,
            co_units=[],
            start=start,
            time_limit=dt.date(2025, 12, 31),
        )
        named = made[1]
        named.named_people.add(self.lead_liaison, self.sibling_liaison)
        declined = self.assigned(title="协办退回")
        actions.decline(declined, actor=self.co_liaison, reason="不属于本单位职责", unit=self.co)

    def check_everyone(self, narrow: int) -> None:
        people = User.objects.filter(is_active=True)
        self.assertGreater(people.count(), 8)
        for person in people:
            with self.subTest(person=person.username, narrow=narrow):
                person = self.refreshed(person)
                got = set(Item.objects.restrict(person).values_list("pk", flat=True))
                self.assertEqual(got, self.oracle(person))
                rowwise = Item.objects.restrict_rows(person).values_list("pk", flat=True)
                self.assertEqual(set(rowwise), got)
                # The two parts a dashboard and a 台账 total add up (ledgers/counts.py).
                shared = set(Item.objects.restrict_shared(person).values_list("pk", flat=True))
                own = set(Item.objects.restrict_personal(person).values_list("pk", flat=True))
                self.assertEqual((shared | own, shared & own), (got, set()))

    def oracle(self, person: User) -> set[int]:
        scope = scope_of(person)
        if scope is None:
            return set()
        seen = set()
        for item in Item.objects.prefetch_related("units__unit", "named_people"):
            personal = item.created_by_id == person.pk or person in item.named_people.all()
            if personal or (
                item.confidentiality != Confidentiality.SECRET and self.reaches(scope, item)
            ):
                seen.add(item.pk)
        return seen

    @staticmethod
    def reaches(scope: Any, item: Item) -> bool:
        if scope.everything:
            return True
        owner = item.owner_unit.path
        if any(owner.startswith(root) for root in scope.office_roots):
            return True
        handling = [row.unit.path for row in item.units.all() if row.declined_at is None]
        return any(p.startswith(root) for p in handling for root in scope.handling_roots)
