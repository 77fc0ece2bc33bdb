"""Who sees which items: jurisdiction by role, and 涉密 only for the people named on it."""

from __future__ import annotations

from duban.items.models import Item
from duban.items.tests.base import ItemTestCase
from duban.org.models import User


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
