"""In a real browser: an administrator opens the 2026 calendar and sees 劳动节 and a 调休 day."""

from __future__ import annotations

from typing import Any

import pytest

from duban.org import actions
from duban.org.models import Role

# The 2026 calendar shown here is the one the migrations seed: serialized_rollback loads it again
# after an earlier transactional test's flush (see conftest.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-Test-2026"


def make_admin() -> None:
    city = actions.create_unit(actor=None, code="B", name="浏览器市", kind="other")
    user = actions.create_user(
        actor=None, username="caladmin", full_name="钱管理", password=PASSWORD
    )
    actions.grant_role(user, city, Role.ADMIN, actor=None)


def test_calendar_2026_marks_labour_day_and_a_swapped_working_day(
    page: Any, live_server: Any
) -> None:
    make_admin()
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "caladmin")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.locator("#current-user").wait_for()
    page.click("#main-nav >> text=日历与规则")
    page.locator("#calendar").wait_for()
    page.goto(f"{live_server.url}/calendar/?year=2026&region=CN")
    assert "2026年工作日历" in page.locator("#calendar-title").inner_text()
    may1 = page.locator("td[data-date='2026-05-01']")
    assert "cal-holiday" in (may1.get_attribute("class") or "")
    assert "劳动节" in may1.inner_text()
    may9 = page.locator("td[data-date='2026-05-09']")
    assert "cal-swap" in (may9.get_attribute("class") or "")
    assert "调休" in may9.inner_text()
    assert page.locator("#provisional-badge").count() == 0
    # The stylesheet is served and applies (CSP allows same-origin CSS only).
    colour = may9.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
