"""In a real browser: the office reads the 审计日志 from its newest end and pages back."""

from __future__ import annotations

from typing import Any

import pytest

from duban.audit import views
from duban.items.tests.test_item_browser import make_city, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SEQS = "#event-table tbody td.mono"


def test_the_office_pages_back_through_the_log(
    browser: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 3)
    make_city()
    page = signed_in(browser, live_server.url, "office")
    with page.expect_navigation():
        page.click("#main-nav >> text=审计日志")
    newest = [int(s) for s in page.locator(SEQS).all_inner_texts()]
    assert len(newest) == 3 and newest == sorted(newest, reverse=True)
    with page.expect_navigation():
        page.click("#older-events")
    older = [int(s) for s in page.locator(SEQS).all_inner_texts()]
    assert older and max(older) < min(newest)
    with page.expect_navigation():
        page.click("#newer-events")
    assert [int(s) for s in page.locator(SEQS).all_inner_texts()] == newest
    page.context.close()
