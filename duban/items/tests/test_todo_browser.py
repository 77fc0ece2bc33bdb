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
    titles = [f"第{n}件待签收事项" for n in range(1, 8)]
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
    with page.expect_navigation():
        card.locator("a.todo-all").click()
    assert page.locator("#todo-title").inner_text() == "待签收"
    listed = page.locator("#item-table tbody tr td:nth-child(2)").all_inner_texts()
    assert listed == titles[::-1]  # all seven, the nearest time limit first
    assert page.locator("#todo-total").inner_text() == "共 7 件"
    with page.expect_navigation():
        page.locator("#item-table >> text=第7件待签收事项").click()
    assert "第7件待签收事项" in page.locator("h1, h2").first.inner_text()
    page.context.close()
