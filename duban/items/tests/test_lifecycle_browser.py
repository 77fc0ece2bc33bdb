"""The whole lifecycle in a real browser, four people at four desks (issue 4, tests):

the office registers and assigns; the liaison signs, reports progress with a file and drafts the
final report; the unit leader signs it off from 工作台; the office returns it for redo; the unit
writes and signs it again; the office accepts it with its 办理结果.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from duban.items.tests.test_item_browser import PASSWORD, signed_in
from duban.org import actions
from duban.org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TITLE = "推进城市燃气管道老化更新改造"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_city() -> Unit:
    city = actions.create_unit(actor=None, code="L", name="全程市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="L-DCS", name="全程市督查室", kind="government", parent=city
    )
    lead = actions.create_unit(
        actor=None, code="L-ZJJ", name="全程市住建局", kind="department", parent=city
    )
    people = [
        ("office", "钱督查", office_unit, "office", city),
        ("liaison", "赵联络", lead, "liaison", None),
        ("leader", "李局长", lead, "unit_leader", None),
    ]
    for username, name, unit, role, scope in people:
        user = actions.create_user(actor=None, username=username, full_name=name, password=PASSWORD)
        actions.grant_role(user, unit, role, actor=None, scope=scope)
    return lead


def state(page: Any) -> str:
    return str(page.locator("#item-state").inner_text())


def register_and_assign(page: Any, lead: Unit) -> None:
    page.click("#main-nav >> text=台账")
    page.click("#item-create")
    page.select_option("select[name=source]", "superior")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=content]", "年内完成老化燃气管道更新改造 120 公里")
    page.click("#item-form button[type=submit]")
    page.click("[data-action=assign] a")
    page.select_option("select[name=lead_unit]", str(lead.pk))
    page.fill("input[name=time_limit]", "2099-06-30")
    page.click("#item-form button[type=submit]")
    assert state(page) == "已交办"


def open_from_todo(page: Any, key: str) -> None:
    page.click("#main-nav >> text=工作台")
    todo = page.locator(f"#todo-{key}")
    assert TITLE in todo.inner_text(), key
    todo.locator(f"text={TITLE}").click()


def sign_and_report(page: Any, attachment: Path) -> None:
    open_from_todo(page, "sign")
    page.click("[data-action=acknowledge] button")
    assert state(page) == "办理中"
    page.click("[data-action=report_progress] a")
    page.fill("textarea[name=content]", "已完成 60 公里管道更新")
    page.set_input_files("input[name=file]", str(attachment))
    page.click("#item-form button[type=submit]:has-text('报送')")
    reports = page.locator("#item-reports")
    assert "已完成 60 公里管道更新" in reports.inner_text()
    assert attachment.name in reports.inner_text()


def draft_and_send(page: Any, text: str) -> None:
    page.click("[data-action=draft_final] a")
    page.fill("textarea[name=content]", text)
    page.click("#item-form button[name=send]")
    assert "办结报告已送单位领导审签" in page.content()
    assert "待审签" in page.locator("#item-reports").inner_text()


def sign_off(page: Any, text: str) -> None:
    open_from_todo(page, "sign_off")
    page.click("[data-action=sign_off] a")
    assert text in page.locator(".report-card").inner_text()
    page.fill("textarea[name=comment]", "同意报送")
    page.click("#item-form button[type=submit]")
    assert state(page) == "待审核"


def test_whole_lifecycle(browser: Any, live_server: Any, tmp_path: Path) -> None:
    lead = make_city()
    attachment = tmp_path / "管道更新进度表.pdf"
    attachment.write_bytes(PDF)
    office = signed_in(browser, live_server.url, "office")
    register_and_assign(office, lead)

    liaison = signed_in(browser, live_server.url, "liaison")
    sign_and_report(liaison, attachment)
    draft_and_send(liaison, "已完成全部 120 公里")

    leader = signed_in(browser, live_server.url, "leader")
    sign_off(leader, "已完成全部 120 公里")

    open_from_todo(office, "review")
    assert "已完成全部 120 公里" in office.locator("#item-reports").inner_text()
    office.fill("[data-action=return_for_redo] textarea", "缺少竣工验收材料")
    office.click("[data-action=return_for_redo] button")
    assert state(office) == "办理中"

    liaison.reload()
    assert "已退回" in liaison.locator("#item-reports").inner_text()
    assert "缺少竣工验收材料" in liaison.locator("#item-timeline").inner_text()
    draft_and_send(liaison, "已完成全部 120 公里并通过竣工验收")
    sign_off(leader, "已完成全部 120 公里并通过竣工验收")

    open_from_todo(office, "review")
    office.select_option("[data-action=accept] select[name=accept-outcome]", "A")
    office.click("[data-action=accept] button")
    assert state(office) == "已办结"
    timeline = office.locator("#item-timeline").inner_text()
    for step in ("事项交办", "事项签收", "事项退回重办", "事项审核通过"):
        assert step in timeline, step
    for page in (office, liaison, leader):
        page.context.close()
