"""In a real browser: sign in with a demo-style account and see one's units on 工作台."""

from __future__ import annotations

from typing import Any

import pytest

from duban.org import actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-Test-2026"


def make_liaison() -> None:
    city = actions.create_unit(actor=None, code="B", name="浏览器市", kind="other")
    lead = actions.create_unit(
        actor=None, code="B-FGW", name="浏览器市发改委", kind="department", parent=city
    )
    actions.create_unit(
        actor=None, code="B-SCJG", name="浏览器市市场监管局", kind="department", parent=city
    )
    user = actions.create_user(
        actor=None, username="liaison", full_name="孙联络", password=PASSWORD
    )
    actions.grant_role(user, lead, "liaison", actor=None)


def sign_in(page: Any, base: str, password: str) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=username]", "liaison")
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")


def test_sign_in_and_see_my_units(page: Any, live_server: Any) -> None:
    make_liaison()
    sign_in(page, live_server.url, PASSWORD)
    panel = page.locator("#panel-my-units")
    panel.wait_for()
    assert "浏览器市发改委" in panel.inner_text()
    assert "联络员" in panel.inner_text()
    assert page.locator("#current-user").inner_text() == "孙联络"
    # The unit page of the liaison's own unit opens; the sibling unit is not listed.
    page.click("#main-nav >> text=组织机构")
    table = page.locator("#unit-table").inner_text()
    assert "浏览器市发改委" in table
    assert "市场监管局" not in table


def test_wrong_password_shows_a_chinese_error(page: Any, live_server: Any) -> None:
    make_liaison()
    sign_in(page, live_server.url, "not-the-password")
    alert = page.locator(".alert-danger")
    alert.wait_for()
    assert "账号或密码不正确" in alert.inner_text()
