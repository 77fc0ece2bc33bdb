"""Delivering the outbox: success per channel, retries with backoff, dead letters and their retry,
a worker killed between claiming and delivering. Each step is called with the time it runs at."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.notify import actions, delivery
from duban.notify.models import DeliveryWindow, Outbox, OutboxState, Preference, WebhookFormat
from duban.notify.tests.base import NotifyTestCase, at, webhook

T0 = at(2025, 9, 30, 10, 0)


class DeliveryTests(NotifyTestCase):
    def hook_only(self, url: str, fmt: str = WebhookFormat.JSON) -> None:
        Preference.objects.create(
            user=self.lead_liaison,
            email=False,
            sms=False,
            webhook=True,
            webhook_url=url,
            webhook_format=fmt,
        )

    def test_email_sms_and_webhook_delivered_once(self) -> None:
        with webhook() as hook:
            Preference.objects.create(user=self.lead_liaison, webhook=True, webhook_url=hook.url)
            self.send([self.lead_liaison], url="/items/7/", dedupe_key="assign:7")
            with self.assertLogs("duban.sms", "INFO") as sms:
                outcome = delivery.deliver_due(now=T0)
            self.assertEqual(outcome, {"sent": 3})
            self.assertEqual(delivery.deliver_due(now=T0 + dt.timedelta(hours=1)), {})
            [request] = hook.requests
        self.assertEqual(request["body"]["title"], "请签收事项")
        self.assertEqual(request["body"]["url"], "http://127.0.0.1:8000/items/7/")
        key = f"assign:7:{self.lead_liaison.pk}:webhook"
        self.assertEqual(request["headers"]["Idempotency-Key"], key)
        [email] = mail.outbox
        self.assertEqual((email.to, email.subject), (["liaison@fgw.example"], "请签收事项"))
        self.assertIn("http://127.0.0.1:8000/items/7/", email.body)
        self.assertIn(f"assign-7-{self.lead_liaison.pk}-email", email.extra_headers["Message-ID"])
        self.assertIn("13800000001", sms.output[0])
        for row in self.outbox():
            self.assertEqual((row.state, row.attempts, row.sent_at), (OutboxState.SENT, 1, T0))

    def test_dingtalk_and_wecom_formats(self) -> None:
        with webhook() as hook:
            self.hook_only(hook.url, WebhookFormat.DINGTALK)
            self.send([self.lead_liaison], url="/items/7/")
            delivery.deliver_due(now=T0)
            body = hook.requests[0]["body"]
            self.assertEqual(body["msgtype"], "markdown")
            self.assertIn("### 请签收事项", body["markdown"]["text"])
            Preference.objects.filter(user=self.lead_liaison).update(webhook_format="wecom")
            self.send([self.lead_liaison])
            delivery.deliver_due(now=T0)
            self.assertIn("请签收事项", hook.requests[1]["body"]["markdown"]["content"])

    def test_robot_refusal_in_a_200_answer_is_a_failure(self) -> None:
        with webhook() as hook:
            hook.answer = b'{"errcode": 310000, "errmsg": "keywords not in content"}'
            self.hook_only(hook.url, WebhookFormat.DINGTALK)
            self.send([self.lead_liaison])
            self.assertEqual(delivery.deliver_due(now=T0), {"pending": 1})
        self.assertIn("310000", self.outbox()[0].last_error)

    def test_failing_channel_backs_off_then_dies(self) -> None:
        DeliveryWindow.objects.filter(pk=1).update(max_attempts=3, backoff_seconds=60)
        with webhook() as hook:
            hook.status = 503
            self.hook_only(hook.url)
            self.send([self.lead_liaison])
            self.assertEqual(delivery.run_once(now=T0), {"pending": 1})
            [row] = self.outbox()
            self.assertEqual((row.attempts, row.last_error), (1, "HTTP 503"))
            self.assertEqual(row.next_attempt_at, T0 + dt.timedelta(seconds=60))
            self.assertEqual(delivery.run_once(now=T0 + dt.timedelta(seconds=59)), {})
            self.assertEqual(delivery.run_once(now=T0 + dt.timedelta(seconds=60)), {"pending": 1})
            [row] = self.outbox()
            self.assertEqual(row.next_attempt_at, T0 + dt.timedelta(seconds=60 + 120))
            self.assertEqual(delivery.run_once(now=T0 + dt.timedelta(seconds=180)), {"dead": 1})
            self.assertEqual(delivery.run_once(now=T0 + dt.timedelta(days=1)), {})
            self.assertEqual(len(hook.requests), 3)
        [row] = self.outbox()
        self.assertEqual((row.state, row.attempts, row.sent_at), (OutboxState.DEAD, 3, None))

    def test_backoff_respects_working_hours(self) -> None:
        with webhook() as hook:
            hook.status = 500
            self.hook_only(hook.url)
            self.send([self.lead_liaison], now=at(2025, 9, 30, 17, 59, 30))
            delivery.run_once(now=at(2025, 9, 30, 17, 59, 30))
        # The retry after 60 s falls after 18:00 before the National Day holiday.
        self.assertEqual(self.outbox()[0].next_attempt_at, at(2025, 10, 9, 9, 0))

    def test_permanent_refusal_dies_at_once(self) -> None:
        with webhook() as hook:
            hook.status = 404
            self.hook_only(hook.url)
            self.send([self.lead_liaison])
            self.assertEqual(delivery.run_once(now=T0), {"dead": 1})

    def test_administrator_retries_dead_letters_audited(self) -> None:
        with webhook() as hook:
            hook.status = 404
            self.hook_only(hook.url)
            self.send([self.lead_liaison])
            delivery.run_once(now=T0)
            with self.assertRaises(PermissionDenied):
                actions.retry_dead(None, actor=self.office)
            [row] = self.outbox()
            count = actions.retry_dead([row.pk], actor=self.admin, now=T0 + dt.timedelta(hours=1))
            self.assertEqual(count, 1)
            row.refresh_from_db()
            self.assertEqual((row.state, row.attempts), (OutboxState.PENDING, 0))
            hook.status = 200
            self.assertEqual(delivery.run_once(now=T0 + dt.timedelta(hours=1)), {"sent": 1})
        event = Event.objects.get(type=EventType.NOTIFY_DEAD_RETRIED)
        self.assertEqual((event.actor_id, event.details["outbox"]), (self.admin.pk, [row.pk]))
        with self.assertRaises(ValidationError):
            actions.retry_dead(None, actor=self.admin)  # nothing left to retry

    def test_worker_killed_between_claim_and_delivery(self) -> None:
        window = DeliveryWindow.current()
        with webhook() as hook:
            self.hook_only(hook.url)
            self.send([self.lead_liaison])
            # A worker claims the row and dies before sending: nothing went out.
            [claimed] = delivery.claim(now=T0, window=window, worker="doomed")
            self.assertEqual(claimed.state, OutboxState.SENDING)
            # While its lease runs, no other worker takes the row.
            during = T0 + dt.timedelta(seconds=window.lease_seconds - 1)
            self.assertEqual(delivery.run_once(now=during, worker="other"), {})
            after = T0 + dt.timedelta(seconds=window.lease_seconds + 1)
            self.assertEqual(delivery.run_once(now=after, worker="other"), {"sent": 1})
            self.assertEqual(delivery.deliver_due(now=after + dt.timedelta(hours=1)), {})
            self.assertEqual(len(hook.requests), 1)
            # The dead worker coming back cannot overwrite the row the other one completed.
            self.assertEqual(delivery._mine(claimed).count(), 0)
        [row] = self.outbox()
        self.assertEqual((row.state, row.attempts, row.sent_at), (OutboxState.SENT, 2, after))
        self.assertTrue(row.claimed_by.startswith("other:"))

    def test_claims_in_batches_oldest_due_first(self) -> None:
        DeliveryWindow.objects.filter(pk=1).update(batch_size=2)
        for n in range(5):
            self.send([self.lead_liaison], now=T0 + dt.timedelta(seconds=n))
        window = DeliveryWindow.current()
        first = delivery.claim(now=T0 + dt.timedelta(minutes=1), window=window)
        self.assertEqual(len(first), 2)
        self.assertEqual(first[0].next_attempt_at, T0)
        self.assertEqual(Outbox.objects.filter(state=OutboxState.SENDING).count(), 2)
