"""The worker: settings, the `duban worker` and `duban notify-retry` commands, the tasks."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import CommandError, call_command
from huey.contrib.djhuey import HUEY

from duban.core import worker
from duban.notify import delivery, tasks
from duban.notify.models import OutboxState, Preference
from duban.notify.tests.base import NotifyTestCase, at, webhook


class WorkerTests(NotifyTestCase):
    def test_tests_run_tasks_in_the_calling_thread(self) -> None:
        self.assertEqual(settings.DUBAN_WORKER, "immediate")
        self.assertTrue(HUEY.immediate)
        self.assertEqual(settings.HUEY["huey_class"], "huey.SqliteHuey")

    def test_periodic_tasks_are_registered(self) -> None:
        worker.discover_tasks()
        names = {task.__name__ for task in HUEY._registry._periodic_tasks}
        self.assertTrue({"deliver_outbox_every_minute", "queue_daily_digests"} <= names)

    def test_worker_command_refuses_immediate_mode(self) -> None:
        with self.assertRaises(CommandError):
            call_command("worker", "--no-periodic", "--workers", "2")

    def test_the_enqueued_task_delivers(self) -> None:
        # Immediate mode: the task runs here, as the worker would run it after the commit.
        self.send([self.lead_liaison])
        result = tasks.deliver_outbox()
        self.assertEqual(result(), {"sent": 2})

    def test_notify_retry_command(self) -> None:
        with webhook() as hook:
            hook.status = 400
            Preference.objects.create(
                user=self.lead_liaison, email=False, sms=False, webhook=True, webhook_url=hook.url
            )
            self.send([self.lead_liaison])
            delivery.run_once(now=at(2025, 9, 30, 10, 0))
        out = StringIO()
        call_command("notify_retry", stdout=out)
        self.assertIn("1", out.getvalue())
        self.assertEqual(self.lead_liaison.outbox.get().state, OutboxState.PENDING)
        with self.assertRaises(CommandError):
            call_command("notify_retry")
