"""Who sees which items: jurisdiction by role, and 涉密 only for the people named on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings

from duban.items import actions
from duban.items.models import Item, ItemSource
from duban.items.tests.base import FACTS, ItemTestCase
from duban.org.models import Role, User


class RestrictTest(ItemTestCase):
    def visible(self, user: User) -> set[int]:
        return set(Item.objects.restrict(self.refreshed(user)).values_list("pk", flat=True))

    def test_assigned_item_by_persona(self) -> None:
        item = self.assigned()
        seeing = [
            self.office,
            self.office_head,
            self.leader,
            self.admin,
            self.auditor,
            self.lead_liaison,
            self.lead_leader,
            self.co_liaison,
        ]
        for user in seeing:
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(user), {item.pk})
        for user in [self.sibling_liaison, self.district_office, self.inspector]:
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(user), set())

    def test_draft_only_for_the_office_side(self) -> None:
        item = self.draft()
        self.assertEqual(self.visible(self.office), {item.pk})
        self.assertEqual(self.visible(self.lead_liaison), set())

    def test_secret_only_for_named_people(self) -> None:
        item = self.assigned(confidentiality="secret", named_people=[self.lead_liaison])
        self.assertEqual(self.visible(self.office), {item.pk})  # the creator
        self.assertEqual(self.visible(self.lead_liaison), {item.pk})
        for user in [self.office_head, self.leader, self.co_liaison, self.lead_leader]:
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(user), set())

    def test_a_superuser_sees_every_item_but_secret_ones_not_named_to_them(self) -> None:
        root = User.objects.create_superuser("root", password="Duban@2026")
        draft, assigned = self.draft(), self.assigned()
        self.assigned(confidentiality="secret", named_people=[self.lead_liaison])
        self.assertEqual(self.visible(root), {draft.pk, assigned.pk})

    def test_anonymous_sees_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assigned()
        self.assertFalse(Item.objects.restrict(AnonymousUser()).exists())


class WholeTreeTest(ItemTestCase):
    """A scope over every top-level unit needs no unit test per item (items/access.py
    `_whole_tree`); with a second tree beside it, the per-unit conditions apply again."""

    def visible(self, user: User) -> set[int]:
        return set(Item.objects.restrict(self.refreshed(user)).values_list("pk", flat=True))

    def setUp(self) -> None:
        super().setUp()
        other = self.unit("N", "邻市", "other", None)
        self.other_office = self.unit("N-DCS", "邻市督查室", "government", other)
        self.clerk = self.person("n_office", self.other_office, Role.OFFICE, other)

    def other_city_item(self, **assign: Any) -> Item:
        clerk, office_unit = self.clerk, self.other_office
        item = actions.create_item(
            actor=clerk,
            owner_unit=office_unit,
            title="邻市事项",
            **FACTS[ItemSource.MEETING],
            source=ItemSource.MEETING,
        )
        if assign:
            # Assigned across the border by the system: a clerk may only pick units in scope.
            item = actions.assign(item, actor=None, start=dt.date(2025, 9, 30), **assign)
        return item

    def test_the_whole_tree_sees_a_district_draft(self) -> None:
        mine = actions.create_item(
            actor=self.district_office,
            owner_unit=self.district,
            title="区级事项",
            source=ItemSource.MEETING,
            **FACTS[ItemSource.MEETING],
        )
        self.assertEqual(self.visible(self.office), {mine.pk})
        self.assertEqual(self.visible(self.lead_liaison), set())

    def test_a_second_tree_is_seen_only_where_a_unit_in_scope_handles_it(self) -> None:
        alone = self.other_city_item()
        handled = self.other_city_item(lead_unit=self.lead, co_units=[])
        self.assertEqual(self.visible(self.office), {handled.pk})
        self.assertEqual(self.visible(self.lead_liaison), {handled.pk})
        self.assertNotIn(alone.pk, self.visible(self.admin))


@override_settings(DUBAN_NARROW_SCOPE_UNITS=0)
class WideScopeRestrictTest(RestrictTest):
    """The same answers when the scope counts as wide (on PostgreSQL, through the reach index):
    the plan changes, never the rows."""


@override_settings(DUBAN_NARROW_SCOPE_UNITS=0)
class WideScopeWholeTreeTest(WholeTreeTest):
    pass
