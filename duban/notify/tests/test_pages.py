"""The inbox page, the unread count in the header, preferences, and the dead-letter page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.notify import delivery
from duban.notify.models import Notification, Outbox, OutboxState, Preference
from duban.notify.tests.base import NotifyTestCase, at, webhook


class InboxPageTests(NotifyTestCase):
    def test_only_ones_own_notifications(self) -> None:
        self.send([self.lead_liaison], title="给发改委的消息")
        self.send([self.sibling_liaison], title="给市场监管局的消息")
        body = self.client_for(self.lead_liaison).get("/inbox/").content.decode()
        self.assertIn("给发改委的消息", body)
        self.assertNotIn("给市场监管局的消息", body)
        # Not even an administrator reads someone else's inbox.
        body = self.client_for(self.admin).get("/inbox/").content.decode()
        self.assertNotIn("给发改委的消息", body)

    def test_unread_count_in_the_header_with_one_query(self) -> None:
        self.send([self.lead_liaison], title="一")
        self.send([self.lead_liaison], title="二")
        client = self.client_for(self.lead_liaison)
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/").content.decode()
        self.assertIn('id="unread-count">2<', body)
        counts = [q["sql"] for q in queries if "notify_notification" in q["sql"]]
        self.assertEqual(len(counts), 1)
        self.assertNotIn(
            'id="unread-count"', self.client_for(self.co_liaison).get("/").content.decode()
        )

    def test_mark_one_read_and_open_it(self) -> None:
        self.send([self.lead_liaison], title="一", url="/items/")
        self.send([self.lead_liaison], title="二")
        first = Notification.objects.get(title="一")
        client = self.client_for(self.lead_liaison)
        response = client.post(f"/inbox/{first.pk}/read/", {"open": "1"})
        self.assertRedirects(response, "/items/", fetch_redirect_response=False)
        first.refresh_from_db()
        self.assertIsNotNone(first.read_at)
        self.assertIn('id="unread-count">1<', client.get("/inbox/").content.decode())

    def test_someone_elses_notification_is_a_404(self) -> None:
        self.send([self.sibling_liaison])
        other = Notification.objects.get()
        response = self.client_for(self.lead_liaison).post(f"/inbox/{other.pk}/read/")
        self.assertEqual(response.status_code, 404)
        other.refresh_from_db()
        self.assertIsNone(other.read_at)

    def test_mark_all_read(self) -> None:
        self.send([self.lead_liaison], title="一")
        self.send([self.lead_liaison], title="二")
        self.send([self.co_liaison], title="三")
        client = self.client_for(self.lead_liaison)
        client.post("/inbox/read-all/")
        self.assertFalse(Notification.objects.filter(recipient=self.lead_liaison).unread().exists())
        self.assertTrue(Notification.objects.filter(recipient=self.co_liaison).unread().exists())
        body = client.get("/inbox/?unread=1").content.decode()
        self.assertIn("没有消息", body)

    def test_preferences_page(self) -> None:
        client = self.client_for(self.lead_liaison)
        self.assertEqual(client.get("/inbox/preferences/").status_code, 200)
        response = client.post(
            "/inbox/preferences/",
            {"email": "on", "webhook": "on", "webhook_format": "json", "quiet_start": "12:00"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "启用机器人通知须填写机器人地址", status_code=400)
        response = client.post(
            "/inbox/preferences/",
            {"email": "on", "webhook_format": "dingtalk", "digest": "on"},
        )
        self.assertRedirects(response, "/inbox/", fetch_redirect_response=False)
        preference = Preference.objects.get(user=self.lead_liaison)
        self.assertEqual((preference.email, preference.sms, preference.digest), (True, False, True))


class DeadLetterPageTests(NotifyTestCase):
    def dead_row(self) -> Outbox:
        with webhook() as hook:
            hook.status = 410
            Preference.objects.create(
                user=self.lead_liaison, email=False, sms=False, webhook=True, webhook_url=hook.url
            )
            self.send([self.lead_liaison], title="送不到的消息")
            delivery.run_once(now=at(2025, 9, 30, 10, 0))
        return Outbox.objects.get(state=OutboxState.DEAD)

    def test_only_administrators(self) -> None:
        self.dead_row()
        self.assertEqual(self.client_for(self.office).get("/inbox/dead/").status_code, 403)
        self.assertEqual(self.client_for(self.lead_liaison).post("/inbox/dead/").status_code, 403)
        body = self.client_for(self.admin).get("/inbox/dead/").content.decode()
        self.assertIn("送不到的消息", body)
        self.assertIn("HTTP 410", body)

    def test_retry_button_requeues_and_is_audited(self) -> None:
        row = self.dead_row()
        response = self.client_for(self.admin).post("/inbox/dead/", {"ids": [str(row.pk)]})
        self.assertRedirects(response, "/inbox/dead/", fetch_redirect_response=False)
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts), (OutboxState.PENDING, 0))
        event = Event.objects.get(type=EventType.NOTIFY_DEAD_RETRIED)
        self.assertEqual(event.actor_id, self.admin.pk)
