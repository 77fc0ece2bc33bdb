"""Notify tests on top of the personas: addresses for them, a time helper, a local webhook."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from duban.core.testing import PersonaTestCase
from duban.notify import actions
from duban.notify.models import Notification, Outbox
from duban.org.models import User

ALL_CHANNELS = ["email", "sms", "webhook"]


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """An aware moment in Asia/Shanghai (the platform's time zone)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))  # noqa: DTZ001


class Hook:
    """A webhook receiver on 127.0.0.1: records each POST, answers with `status` and `answer`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.answer = b"{}"
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(size) or b"null")
                hook.requests.append({"body": body, "headers": dict(self.headers)})
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(hook.answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def webhook() -> Iterator[Hook]:
    hook = Hook()
    try:
        yield hook
    finally:
        hook.close()


@override_settings(DUBAN_NOTIFY_CHANNELS=ALL_CHANNELS)
class NotifyTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        User.objects.filter(pk=cls.lead_liaison.pk).update(
            email="liaison@fgw.example", phone="13800000001"
        )
        cls.lead_liaison.refresh_from_db()

    def send(self, users: list[User], **fields: Any) -> int:
        fields.setdefault("kind", "test")
        fields.setdefault("title", "请签收事项")
        fields.setdefault("body", "办理时限:2025-10-10")
        fields.setdefault("now", at(2025, 9, 30, 10, 0))  # a Tuesday, a working day
        with transaction.atomic():
            return actions.notify(users, **fields)

    def outbox(self, **filters: Any) -> list[Outbox]:
        return list(Outbox.objects.filter(**filters).order_by("pk"))

    def inbox(self, user: User) -> list[Notification]:
        return list(Notification.objects.filter(recipient=user))
