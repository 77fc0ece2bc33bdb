"""In a real browser: a liaison with more to sign for than the 工作台 shows opens the whole list
and goes on to an item from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duban.items import actions as item_actions
from duban.items.tests.test_item_browser import make_city, signed_in
from duban.org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_liaison_opens_every_item_to_sign_for(browser: Any, live_server: Any) -> None:
    lead = make_city()
    office_unit = Unit.objects.get(code="B-DCS")
    # Long enough to be cut off in the card, which must not cut off the deadline after it.
    titles = [
        f"第{n}件待签收事项:关于全面推进城镇老旧小区改造和燃气管道更新的批示" for n in range(1, 8)
    ]
    for n, title in enumerate(titles):
        item = item_actions.create_item(
            actor=None, owner_unit=office_unit, title=title, source="other"
        )
        due = dt.date(2099, 1, 31) - dt.timedelta(days=n)  # the last registered is due first
        item_actions.assign(item, actor=None, lead_unit=lead, time_limit=due)
    page = signed_in(browser, live_server.url, "liaison")
    card = page.locator("#todo-sign")
    assert card.locator(".todo-count").inner_text() == "7"
    assert card.locator("a[href^='/items/'][href$='/']").count() >= 5
    body = card.locator(".card-body").bounding_box()
    assert body is not None
    dues = card.locator("span.text-secondary.small")  # each row's deadline
    assert dues.count() == 5
    for n in range(5):
        box = dues.nth(n).bounding_box()
        assert box is not None and box["width"] > 20
        assert box["x"] + box["width"] <= body["x"] + body["width"], (n, box, body)
    with page.expect_navigation():
        card.locator("a.todo-all").click()
    assert page.locator("#todo-title").inner_text() == "待签收"
    listed = page.locator("#item-table tbody tr td:nth-child(2)").all_inner_texts()
    assert listed == titles[::-1]  # all seven, the nearest time limit first
    assert page.locator("#todo-total").inner_text() == "共 7 件"
    with page.expect_navigation():
        page.locator("#item-table a", has_text="第7件待签收事项").click()
    assert "第7件待签收事项" in page.locator("h1, h2").first.inner_text()
    page.context.close()
