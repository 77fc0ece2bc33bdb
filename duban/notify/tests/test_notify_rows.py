"""notify_rows: the set-based notify of the sweeps — inbox and outbox by INSERT ... SELECT."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import BooleanField, CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.test import override_settings

from duban.core.testing import PersonaTestCase
from duban.notify import actions
from duban.notify.models import Notification, Outbox, Preference
from duban.notify.tests.base import ALL_CHANNELS, at
from duban.org.models import User


def rows(users: Any, key: str, private: bool = False) -> Any:
    return users.annotate(
        n_recipient=F("pk"),
        n_kind=Value("test"),
        n_title=Value("标题"),
        n_body=Value("内容"),
        n_target_model=Value(""),
        n_target_id=Value(""),
        n_url=Value("/inbox/"),
        n_key=Concat(Value(f"{key}:"), Cast("pk", output_field=CharField())),
        n_private=Value(private, output_field=BooleanField()),
    )


@override_settings(DUBAN_NOTIFY_CHANNELS=ALL_CHANNELS)
class NotifyRowsTest(PersonaTestCase):
    def setUp(self) -> None:
        User.objects.filter(pk__in=[self.office.pk, self.office_head.pk]).update(
            email="a@example.org", phone="13800000000"
        )
        Preference.objects.create(user=self.office_head, digest=True)
        User.objects.filter(pk=self.leader.pk).update(is_active=False)

    def send(self, key: str, moment: Any, private: bool = False) -> int:
        people = User.objects.filter(pk__in=[self.office.pk, self.office_head.pk, self.leader.pk])
        with transaction.atomic():
            return actions.notify_rows(rows(people, key, private), now=moment)

    def test_inbox_for_the_active_outbox_by_preference_once_per_key(self) -> None:
        self.assertEqual(self.send("k1", at(2025, 10, 9, 20)), 2)  # the inactive leader: none
        self.assertEqual(self.send("k1", at(2025, 10, 9, 21)), 0)
        self.assertEqual(Notification.objects.filter(kind="test").count(), 2)
        outbox = Outbox.objects.all()
        # The digest reader gets no single message; the office gets e-mail and SMS, next morning.
        self.assertEqual(sorted(o.channel for o in outbox), ["email", "sms"])
        self.assertEqual({o.recipient_id for o in outbox}, {self.office.pk})
        self.assertEqual({o.next_attempt_at for o in outbox}, {at(2025, 10, 10, 9)})
        self.assertEqual(outbox[0].payload["title"], "标题")

    def test_private_rows_keep_the_text_inside(self) -> None:
        self.send("k2", at(2025, 10, 9, 10), private=True)
        payload = Outbox.objects.filter(channel="email").get().payload
        self.assertNotIn("标题", payload["title"])
        self.assertEqual(payload["to"], "a@example.org")
