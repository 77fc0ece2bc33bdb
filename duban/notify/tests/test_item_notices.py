"""The first producer: 交办 and 催办 notify the handling units' liaisons (items/notices.py)."""

from __future__ import annotations

from django.test import override_settings

from duban.items import actions, reminding
from duban.items.tests.base import ItemTestCase
from duban.notify.models import Notification, Outbox
from duban.org.models import User


class ItemNoticeTests(ItemTestCase):
    def kinds(self, user: User) -> list[str]:
        return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))

    def test_assign_notifies_lead_and_co_liaisons_only(self) -> None:
        item = self.assigned()
        for user in (self.lead_liaison, self.co_liaison):
            self.assertEqual(self.kinds(user), ["item_assigned"])
        for user in (self.sibling_liaison, self.lead_leader, self.office):
            self.assertEqual(self.kinds(user), [])
        note = Notification.objects.filter(recipient=self.lead_liaison).get()
        self.assertIn(item.title, note.title)
        self.assertEqual(note.url, f"/items/{item.pk}/")
        assert item.due_date is not None
        self.assertIn(item.due_date.isoformat(), note.body)

    def test_remind_notifies_the_reminded_unit(self) -> None:
        item = self.assigned()
        reminding.remind(
            item, actor=self.refreshed(self.office), message="请本周报送进展", unit=self.co
        )
        self.assertEqual(sorted(self.kinds(self.co_liaison)), ["item_assigned", "item_reminded"])
        self.assertEqual(self.kinds(self.lead_liaison), ["item_assigned"])
        note = Notification.objects.get(kind="item_reminded")
        self.assertEqual(note.body, "请本周报送进展")

    def test_refused_assign_notifies_nobody(self) -> None:
        item = self.draft()
        with self.assertRaises(Exception):  # noqa: B017  (any refusal: no unit chosen)
            actions.assign(item, actor=self.office, lead_unit=None)
        self.assertFalse(Notification.objects.exists())

    @override_settings(DUBAN_NOTIFY_CHANNELS=["email"])
    def test_secret_item_title_stays_inside(self) -> None:
        User.objects.filter(pk=self.lead_liaison.pk).update(email="l@fgw.example")
        self.assigned(confidentiality="secret", named_people=[self.lead_liaison])
        [row] = Outbox.objects.all()
        self.assertNotIn("老旧小区", str(row.payload))
