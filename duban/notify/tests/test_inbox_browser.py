"""In a real browser: the bell shows the unread count; the inbox marks one and then all read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from duban.notify import actions as notify
from duban.org import actions

# serialized_rollback: the live server needs real commits (see conftest.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-Test-2026"


def test_inbox_in_the_browser(browser: Any, live_server: Any) -> None:
    unit = actions.create_unit(actor=None, code="N", name="消息市发改委", kind="department")
    liaison = actions.create_user(
        actor=None, username="liaison", full_name="孙联络", password=PASSWORD
    )
    actions.grant_role(liaison, unit, "liaison", actor=None)
    other = actions.create_user(actor=None, username="other", full_name="他人", password=PASSWORD)
    with transaction.atomic():
        notify.notify([liaison], kind="t", title="新交办事项:一网通办", body="请签收", url="/")
        notify.notify([liaison], kind="t", title="催办:老旧小区改造", body="请报送进展")
        notify.notify([other], kind="t", title="别人的消息", body="")

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "liaison")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    assert page.locator("#unread-count").inner_text() == "2"

    page.click("#inbox-link")
    listed = page.locator("#inbox-list").inner_text()
    assert "新交办事项:一网通办" in listed and "催办:老旧小区改造" in listed
    assert "别人的消息" not in listed
    page.locator("[data-read='0'] [data-mark-read]").first.click()
    assert page.locator("#unread-count").inner_text() == "1"
    assert page.locator("[data-read='0']").count() == 1

    page.click("#inbox-read-all")
    assert page.locator("#unread-count").count() == 0
    assert page.locator("[data-read='0']").count() == 0
    context.close()
