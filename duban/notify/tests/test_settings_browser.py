"""In a real browser: a person's 通知设置, and the administrators' 发送失败的消息 with 重新发送.

The dead row is made the way production makes one: a notice to a person whose robot answers
410 (a permanent refusal, notify/channels.py). The administrator fixes nothing in the page but
the robot comes back, so 重新发送 delivers it and the list empties.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.notify import actions as notify
from duban.notify import delivery
from duban.notify.models import Outbox, OutboxState, Preference
from duban.notify.tests.base import Hook, webhook
from duban.org import actions
from duban.org.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-Test-2026"
# A Tuesday morning: a working day in working hours, so the message is due at once.
SENT_AT = timezone.make_aware(dt.datetime(2025, 9, 30, 10, 0))  # noqa: DTZ001


def people() -> tuple[User, User]:
    """(an administrator over 设置市, a liaison of its 发改委)."""
    city = actions.create_unit(actor=None, code="S", name="设置市", kind="other")
    government = actions.create_unit(
        actor=None, code="S-ZFB", name="设置市政府办公室", kind="government", parent=city
    )
    unit = actions.create_unit(
        actor=None, code="S-FGW", name="设置市发改委", kind="department", parent=city
    )
    admin = actions.create_user(actor=None, username="admin", full_name="管理员", password=PASSWORD)
    actions.grant_role(admin, government, "admin", actor=None, scope=city)
    liaison = actions.create_user(
        actor=None, username="liaison", full_name="孙联络", password=PASSWORD
    )
    actions.grant_role(liaison, unit, "liaison", actor=None)
    return admin, liaison


def signed_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{base}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.locator("#main-nav").wait_for()
    return page


def save(page: Any) -> None:
    page.click("form:has(input[name=quiet_start]) button[type=submit]")


def test_preferences_saved(browser: Any, live_server: Any) -> None:
    _admin, liaison = people()
    page = signed_in(browser, live_server.url, "liaison")
    page.click("#inbox-link")
    page.click("#inbox-preferences")
    assert page.locator("h1.page-title").inner_text() == "通知设置"

    page.check("input[name=sms]")
    page.fill("input[name=quiet_start]", "12:00")
    save(page)  # a quiet period needs both ends: refused, nothing saved
    assert "免打扰时段须同时填写开始和结束时间。" in page.locator("form").last.inner_text()
    assert not Preference.objects.filter(user=liaison).exists()

    page.fill("input[name=quiet_end]", "14:00")
    save(page)
    assert "通知设置已保存。" in page.content()
    preference = Preference.objects.get(user=liaison)
    assert (preference.sms, preference.quiet_start, preference.quiet_end) == (
        True,
        dt.time(12),
        dt.time(14),
    )

    page.click("#inbox-preferences")
    assert page.is_checked("input[name=sms]")
    assert page.input_value("input[name=quiet_start]") == "12:00"
    assert page.input_value("input[name=quiet_end]") == "14:00"
    assert not page.is_checked("input[name=digest]")
    page.context.close()


def dead_letter(liaison: User, hook: Hook) -> Outbox:
    hook.status = 410
    notify.set_preferences(liaison, actor=liaison, webhook=True, webhook_url=hook.url)
    with transaction.atomic():
        notify.notify([liaison], kind="test", title="送不到的消息", body="请签收", now=SENT_AT)
    delivery.run_once(now=SENT_AT)  # (the nudge on commit may have sent it already)
    row = Outbox.objects.get(recipient=liaison, channel="webhook")
    assert row.state == OutboxState.DEAD
    return row


def test_dead_letters_retried(browser: Any, live_server: Any) -> None:
    admin, liaison = people()
    with webhook() as hook:
        row = dead_letter(liaison, hook)
        assert len(hook.requests) == 1

        page = signed_in(browser, live_server.url, "admin")
        page.click("#inbox-link")
        page.click("#inbox-dead")
        listed = page.locator(f"#dead-table tr[data-outbox='{row.pk}']").inner_text()
        for text in ("孙联络", "送不到的消息", "HTTP 410"):
            assert text in listed, text

        hook.status = 200  # the robot is back
        page.check(f"input[name=ids][value='{row.pk}']")
        page.click("#dead-retry")
        assert "已重新发送 1 条消息。" in page.content()
        assert "没有发送失败的消息" in page.locator("#dead-table").inner_text()
        row.refresh_from_db()
        assert row.state == OutboxState.SENT  # the retry's nudge delivered it
        assert len(hook.requests) == 2
    event = Event.objects.get(type=EventType.NOTIFY_DEAD_RETRIED)
    assert (event.actor_id, event.details["outbox"]) == (admin.pk, [row.pk])

    # Nobody else sees the page: not in the inbox, and a 403 when asked directly.
    other = signed_in(browser, live_server.url, "liaison")
    other.click("#inbox-link")
    assert other.locator("#inbox-dead").count() == 0
    response = other.goto(f"{live_server.url}/inbox/dead/")
    assert response.status == 403
    for opened in (page, other):
        opened.context.close()
