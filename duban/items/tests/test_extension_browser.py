"""延期 and 工作方案 in a real browser, the liaison and the office head at their own desks.

延期 (seed 004 第十八条): the liaison asks from the item page before the deadline, with reason,
progress and next steps; the office head finds it under 工作台 待审批延期 and approves it; the
item page then shows the new deadline and the original one. 工作方案 (seed 004 第十一条): the
liaison sends one, and 修改工作方案 starts from the text in force.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duban.items import actions as items
from duban.items.models import Item
from duban.items.tests.test_item_browser import PASSWORD, signed_in
from duban.org import actions
from duban.org.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TITLE = "推进城区排水管网雨污分流"
PLAN = "一、目标任务:年内完成雨污分流 30 公里。\n二、主要措施:分片包干,周调度。"
REVISED = "一、目标任务:年内完成雨污分流 36 公里。\n二、主要措施:分片包干,周调度。"


def item_in_progress() -> Item:
    """An item of 延期市水务局 due 2099-06-30, already signed for by its liaison."""
    city = actions.create_unit(actor=None, code="Y", name="延期市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="Y-DCS", name="延期市督查室", kind="government", parent=city
    )
    lead = actions.create_unit(
        actor=None, code="Y-SWJ", name="延期市水务局", kind="department", parent=city
    )
    people = [
        ("office", "钱督查", office_unit, "office", city),
        ("head", "吴主任", office_unit, "office_head", city),
        ("liaison", "赵联络", lead, "liaison", None),
    ]
    users: dict[str, User] = {}
    for username, name, unit, role, scope in people:
        user = actions.create_user(actor=None, username=username, full_name=name, password=PASSWORD)
        actions.grant_role(user, unit, role, actor=None, scope=scope)
        users[username] = user
    item = items.create_item(
        actor=users["office"],
        owner_unit=office_unit,
        title=TITLE,
        source="superior",
        content="年内完成城区雨污分流改造",
    )
    items.assign(item, actor=users["office"], lead_unit=lead, time_limit=dt.date(2099, 6, 30))
    return items.acknowledge(item, actor=users["liaison"])


def open_item(page: Any) -> None:
    page.click("#main-nav >> text=台账")
    page.click(f"text={TITLE}")
    assert page.locator("#item-state").inner_text() == "办理中"


def request_extension(liaison: Any) -> None:
    open_item(liaison)
    liaison.click("[data-action=request_extension] a")
    assert "2099-06-30" in liaison.locator("#item-form").inner_text()  # the help names the limit
    liaison.fill("textarea[name=reason]", "主干管施工遇地下文物勘探")
    liaison.fill("textarea[name=progress]", "已完成 24 公里")
    liaison.fill("textarea[name=next_steps]", "勘探结束后两班倒施工")
    liaison.fill("input[name=requested_date]", "2099-09-30")
    liaison.click("#item-form button[type=submit]")
    assert "已提交延期申请,待督查机构负责人审批。" in liaison.content()
    row = liaison.locator("#item-extensions .extension-row")
    assert row.get_attribute("data-state") == "pending"
    assert "2099-09-30" in row.inner_text()
    assert liaison.locator("[data-action=request_extension]").count() == 0  # one pending at a time


def decide_extension(head: Any) -> None:
    head.click("#main-nav >> text=工作台")
    todo = head.locator("#todo-extension")
    assert "待审批延期" in todo.inner_text()
    todo.locator(f"text={TITLE}").click()
    head.click("[data-action=decide_extension] a")
    card = head.locator("[id^=extension-]").first.inner_text()
    for text in ("2099-06-30", "2099-09-30", "主干管施工遇地下文物勘探", "已完成 24 公里"):
        assert text in card, text
    head.check("input[name=decision][value=approve]")
    head.click("#item-form button[type=submit]")
    assert "已同意延期至 2099-09-30。" in head.content()


def deadlines_shown(page: Any) -> None:
    assert "2099-09-30" in page.locator("#item-due").inner_text()
    extensions = page.locator("#item-extensions")
    header = extensions.locator(".card-header").inner_text()
    assert "原定时限 2099-06-30" in header and "现时限 2099-09-30" in header
    assert "已延期 1 次" in header
    row = extensions.locator(".extension-row")
    assert row.get_attribute("data-state") == "approved"
    assert "吴主任" in row.inner_text()


def test_extension_requested_and_approved(browser: Any, live_server: Any) -> None:
    item = item_in_progress()
    liaison = signed_in(browser, live_server.url, "liaison")
    request_extension(liaison)

    head = signed_in(browser, live_server.url, "head")
    decide_extension(head)
    deadlines_shown(head)
    liaison.reload()
    deadlines_shown(liaison)
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.due_date, fresh.original_due_date) == (dt.date(2099, 9, 30), dt.date(2099, 6, 30))
    for page in (liaison, head):
        page.context.close()


def test_plan_sent_then_revised(browser: Any, live_server: Any) -> None:
    item_in_progress()
    liaison = signed_in(browser, live_server.url, "liaison")
    open_item(liaison)
    button = liaison.locator("[data-action=submit_plan] a")
    assert button.inner_text() == "报送工作方案"
    button.click()
    liaison.fill("textarea[name=content]", PLAN)
    liaison.click("#item-form button[type=submit]")
    assert "已报送工作方案。" in liaison.content()
    assert "年内完成雨污分流 30 公里" in liaison.locator("#item-reports").inner_text()

    button = liaison.locator("[data-action=submit_plan] a")
    assert button.inner_text() == "修改工作方案"
    button.click()
    assert liaison.input_value("textarea[name=content]") == PLAN  # the plan in force
    liaison.fill("textarea[name=content]", REVISED)
    liaison.click("#item-form button[type=submit]")
    assert "已报送工作方案。" in liaison.content()
    reports = liaison.locator("#item-reports .report-card").all_inner_texts()
    assert "年内完成雨污分流 36 公里" in reports[0]  # newest first
    liaison.locator("[data-action=submit_plan] a").click()
    assert liaison.input_value("textarea[name=content]") == REVISED
    liaison.context.close()
