"""In a real browser: the office registers and assigns an item; the lead liaison signs for it.

Each person has their own browser context (own cookies), as two people at two desks would.
"""

from __future__ import annotations

from typing import Any

import pytest

from duban.org import actions
from duban.org.models import Unit

# serialized_rollback: the live server needs real commits, and the flush after each such test
# would otherwise take the seeded calendar and deadline rules with it (see conftest.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-Test-2026"
TITLE = "推进政务服务一网通办"


def make_city() -> Unit:
    city = actions.create_unit(actor=None, code="B", name="浏览器市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="B-DCS", name="浏览器市督查室", kind="government", parent=city
    )
    lead = actions.create_unit(
        actor=None, code="B-FGW", name="浏览器市发改委", kind="department", parent=city
    )
    office = actions.create_user(
        actor=None, username="office", full_name="周督查", password=PASSWORD
    )
    actions.grant_role(office, office_unit, "office", actor=None, scope=city)
    liaison = actions.create_user(
        actor=None, username="liaison", full_name="孙联络", password=PASSWORD
    )
    actions.grant_role(liaison, lead, "liaison", actor=None)
    return lead


def signed_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{base}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.locator("#main-nav").wait_for()
    return page


def register_and_assign(page: Any, lead: Unit) -> None:
    page.click("#main-nav >> text=台账")
    page.click("#item-create")
    # intake.js is deferred: it listens from DOMContentLoaded, and a choice made before then
    # changes nothing (seen once as the label left unchanged). The select shows the new page.
    page.locator("select[name=source]").wait_for()
    page.wait_for_load_state("domcontentloaded")
    page.select_option("select[name=source]", "leader_instruction")
    # items/intake.js shows a 领导批示's own facts under their names, and hides the others.
    assert page.locator("label[for=id_source_person]").inner_text() == "批示领导"
    assert page.locator("[data-field=meeting_kind]").is_hidden()
    page.fill("input[name=source_person]", "刘市长")
    page.fill("textarea[name=source_text]", "请抓紧推进,年底前见效。")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=content]", "年底前实现高频事项网上可办")
    page.fill("input[name=doc_number]", "浏政办发〔2026〕8号")
    page.click("#item-form button[type=submit]")
    assert page.locator("#item-state").inner_text() == "拟办"
    assert "刘市长" in page.locator("#item-header").inner_text()
    page.click("[data-action=assign] a")
    page.select_option("select[name=lead_unit]", str(lead.pk))
    page.fill("input[name=owner_name]", "孙联络")
    page.fill("input[name=time_limit]", "2099-06-30")
    page.click("#item-form button[type=submit]")
    assert page.locator("#item-state").inner_text() == "已交办"
    assert "2099-06-30" in page.locator("#item-due").inner_text()
    assert "事项交办" in page.locator("#item-timeline").inner_text()


def test_office_assigns_and_liaison_signs(browser: Any, live_server: Any) -> None:
    lead = make_city()
    office = signed_in(browser, live_server.url, "office")
    register_and_assign(office, lead)

    liaison = signed_in(browser, live_server.url, "liaison")
    to_sign = liaison.locator("#todo-sign")
    assert TITLE in to_sign.inner_text()
    assert to_sign.locator(".todo-count").inner_text() == "1"
    to_sign.locator(f"text={TITLE}").click()
    # Only the liaison's own buttons: sign, decline or ask for more time, nothing of the office's.
    buttons = liaison.locator("#item-actions [data-action]")
    assert sorted(buttons.evaluate_all("els => els.map(e => e.dataset.action)")) == [
        "acknowledge",
        "decline",
        "request_extension",
    ]
    liaison.click("[data-action=acknowledge] button")
    assert liaison.locator("#item-state").inner_text() == "办理中"
    assert "已签收" in liaison.locator("#item-units").inner_text()

    liaison.click("#main-nav >> text=工作台")
    assert liaison.locator("#todo-sign .todo-count").inner_text() == "0"
    liaison.click("#main-nav >> text=台账")
    row = liaison.locator("#item-table tbody tr", has_text=TITLE)
    assert "办理中" in row.inner_text()
    assert "浏览器市发改委" in row.inner_text()

    # The office's stale page (read before the signature) still opens and shows the new state.
    office.reload()
    assert office.locator("#item-state").inner_text() == "办理中"
    assert "事项签收" in office.locator("#item-timeline").inner_text()
    for page in (office, liaison):
        page.context.close()
