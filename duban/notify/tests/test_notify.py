"""notify(): inbox and outbox rows in the caller's transaction, per enabled channel, once a key."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test import override_settings

from duban.notify import actions
from duban.notify.models import Notification, Outbox, OutboxState, Preference
from duban.notify.tests.base import NotifyTestCase, at
from duban.org.models import Role


class NotifyTests(NotifyTestCase):
    def test_writes_inbox_and_outbox_per_enabled_channel(self) -> None:
        Preference.objects.create(
            user=self.lead_liaison, webhook=True, webhook_url="http://127.0.0.1:9/hook"
        )
        count = self.send([self.lead_liaison, self.co_liaison], target=self.lead, url="/items/1/")
        self.assertEqual(count, 2)
        [note] = self.inbox(self.lead_liaison)
        self.assertEqual((note.title, note.url, note.read_at), ("请签收事项", "/items/1/", None))
        self.assertEqual((note.target_model, note.target_id), ("org.unit", str(self.lead.pk)))
        # co_liaison has no e-mail, phone or robot: the inbox only.
        self.assertEqual(len(self.inbox(self.co_liaison)), 1)
        rows = self.outbox()
        self.assertEqual({r.channel for r in rows}, {"email", "sms", "webhook"})
        self.assertTrue(all(r.recipient_id == self.lead_liaison.pk for r in rows))
        self.assertTrue(all(r.state == OutboxState.PENDING for r in rows))
        email = next(r for r in rows if r.channel == "email")
        self.assertEqual(email.payload["to"], "liaison@fgw.example")
        self.assertEqual(email.next_attempt_at, at(2025, 9, 30, 10, 0))

    def test_rolled_back_with_the_caller(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():
            actions.notify([self.lead_liaison], kind="t", title="x", body="")
            raise RuntimeError("the event failed")
        self.assertFalse(Notification.objects.exists())
        self.assertFalse(Outbox.objects.exists())

    def test_delivers_nothing_itself(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            self.send([self.lead_liaison])
        # Only a nudge to the worker waits for the commit; every row is still pending.
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(Outbox.objects.exclude(state=OutboxState.PENDING).count(), 0)

    def test_same_dedupe_key_notifies_once(self) -> None:
        self.assertEqual(self.send([self.lead_liaison], dedupe_key="remind:1:r1:2025-09-30"), 1)
        self.assertEqual(self.send([self.lead_liaison], dedupe_key="remind:1:r1:2025-09-30"), 0)
        self.assertEqual(len(self.inbox(self.lead_liaison)), 1)
        self.assertEqual(Outbox.objects.count(), 2)  # email and SMS, once each
        self.assertEqual(self.send([self.lead_liaison], dedupe_key="remind:1:r1:2025-10-09"), 1)

    def test_duplicate_and_inactive_recipients(self) -> None:
        self.co_liaison.is_active = False
        self.co_liaison.save()
        self.assertEqual(self.send([self.lead_liaison, self.lead_liaison, self.co_liaison]), 1)

    def test_notify_units_reaches_active_role_holders(self) -> None:
        with transaction.atomic():
            count = actions.notify_units(
                [self.lead, self.co], [Role.LIAISON], kind="t", title="交办", body=""
            )
        self.assertEqual(count, 2)
        people = set(Notification.objects.values_list("recipient_id", flat=True))
        self.assertEqual(people, {self.lead_liaison.pk, self.co_liaison.pk})

    def test_private_keeps_the_text_off_external_channels(self) -> None:
        self.send([self.lead_liaison], title="涉密事项标题", body="涉密内容", private=True)
        self.assertEqual(self.inbox(self.lead_liaison)[0].title, "涉密事项标题")
        for row in self.outbox():
            self.assertNotIn("涉密事项标题", str(row.payload))
            self.assertNotIn("涉密内容", str(row.payload))

    def test_channels_off_by_preference_or_system(self) -> None:
        Preference.objects.create(user=self.lead_liaison, sms=False)
        self.send([self.lead_liaison])
        self.assertEqual([r.channel for r in self.outbox()], ["email"])
        with override_settings(DUBAN_NOTIFY_CHANNELS=[]):
            self.send([self.lead_liaison])
        self.assertEqual(len(self.inbox(self.lead_liaison)), 2)
        self.assertEqual(Outbox.objects.count(), 1)

    def test_digest_people_get_the_inbox_now_and_one_message_a_day(self) -> None:
        from duban.notify.digest import queue_digests

        Preference.objects.create(user=self.lead_liaison, digest=True, sms=False)
        self.send([self.lead_liaison], title="其一", now=at(2025, 9, 29, 15, 0))
        self.send([self.lead_liaison], title="其二", now=at(2025, 9, 30, 8, 0))
        self.assertFalse(Outbox.objects.exists())
        self.assertEqual(queue_digests(at(2025, 9, 30, 8, 50)), 0)  # before 09:00
        self.assertEqual(queue_digests(at(2025, 9, 30, 9, 0)), 1)
        self.assertEqual(queue_digests(at(2025, 9, 30, 9, 10)), 0)  # once a day
        [row] = self.outbox()
        self.assertIn("2 条未读", row.payload["title"])
        self.assertIn("其一", row.payload["body"])
        self.assertEqual(row.dedupe_key, f"digest:2025-09-30:{self.lead_liaison.pk}:email")

    def test_a_digest_lists_no_secret_title(self) -> None:
        from duban.notify.digest import queue_digests

        Preference.objects.create(user=self.lead_liaison, digest=True, sms=False)
        self.send([self.lead_liaison], title="涉密事项标题", private=True, now=at(2025, 9, 29, 15))
        self.send([self.lead_liaison], title="公开事项标题", now=at(2025, 9, 29, 16, 0))
        self.assertEqual(queue_digests(at(2025, 9, 30, 9, 0)), 1)
        [row] = self.outbox()
        self.assertIn("2 条未读", row.payload["title"])
        self.assertIn("公开事项标题", row.payload["body"])
        self.assertIn("涉密消息", row.payload["body"])
        self.assertNotIn("涉密事项标题", str(row.payload))

    def test_preferences_are_checked_and_audited(self) -> None:
        from django.core.exceptions import ValidationError

        from duban.audit.models import Event
        from duban.audit.types import EventType

        with self.assertRaises(ValidationError) as caught:
            actions.set_preferences(self.lead_liaison, actor=self.lead_liaison, webhook=True)
        self.assertIn("webhook_url", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            actions.set_preferences(
                self.lead_liaison, actor=self.lead_liaison, quiet_start=dt.time(22)
            )
        actions.set_preferences(
            self.lead_liaison,
            actor=self.lead_liaison,
            quiet_start=dt.time(12),
            quiet_end=dt.time(14),
        )
        self.assertEqual(Preference.objects.get(user=self.lead_liaison).quiet_end, dt.time(14))
        event = Event.objects.get(type=EventType.NOTIFY_PREFERENCES_SET)
        self.assertEqual(event.details["changed"], ["quiet_end", "quiet_start"])
