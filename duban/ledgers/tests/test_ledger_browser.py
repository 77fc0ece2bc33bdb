"""In a real browser: the office filters, searches, sorts and picks columns in the 台账, saves the
result as a 专项台账 and opens it again from the list, and prints it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duban.items import actions as item_actions
from duban.items.tests.test_item_browser import PASSWORD, make_city, signed_in
from duban.org import actions
from duban.org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def make_items(lead: Unit) -> None:
    office_unit = Unit.objects.get(code="B-DCS")
    other = actions.create_unit(
        actor=None, code="B-ZJ", name="浏览器市住建局", kind="department", parent=lead.parent
    )
    rows = [
        ("推进老旧小区改造", "leader_instruction", "", lead, dt.date(2099, 3, 1)),
        ("加装电梯惠民工程", "leader_instruction", "", other, dt.date(2099, 1, 1)),
        ("整治城区噪声扰民", "document", "浏政办发〔2026〕30号", lead, dt.date(2099, 2, 1)),
        ("小区停车难专项治理", "meeting", "", other, dt.date(2099, 4, 1)),
    ]
    for title, source, number, unit, due in rows:
        facts: dict[str, Any] = {"doc_number": number} if number else {}
        if source == "leader_instruction":
            facts |= {"source_person": "刘市长", "source_text": "请抓紧办理。"}
        if source == "meeting":
            facts |= {"meeting_kind": "standing", "source_date": dt.date(2026, 9, 1)}
        item = item_actions.create_item(
            actor=None, owner_unit=office_unit, title=title, source=source, **facts
        )
        item_actions.assign(item, actor=None, lead_unit=unit, time_limit=due)


def go(page: Any, selector: str) -> None:
    """Click a link or submit button and wait for the next page: a table read while the old
    one unloads comes back empty."""
    with page.expect_navigation():
        page.click(selector)


def rows(page: Any) -> list[str]:
    return page.locator("#item-table tbody tr td:nth-child(2)").all_inner_texts()


def test_filter_search_sort_columns_save_open_and_print(browser: Any, live_server: Any) -> None:
    lead = make_city()
    make_items(lead)
    assert PASSWORD
    page = signed_in(browser, live_server.url, "office")
    go(page, "#main-nav >> text=台账")
    assert page.locator("#item-total").inner_text() == "共 4 件"

    # Two-character search, then a source on top of it.
    page.fill("#item-filters input[name=q]", "小区")
    go(page, "#filter-submit")
    assert sorted(rows(page)) == sorted(["推进老旧小区改造", "小区停车难专项治理"])
    page.select_option("select[name=source]", "leader_instruction")
    go(page, "#filter-submit")
    assert rows(page) == ["推进老旧小区改造"]

    # Clear, search a 文号, then sort all by due date.
    go(page, "text=清除")
    page.fill("#item-filters input[name=q]", "〔2026〕30号")
    go(page, "#filter-submit")
    assert rows(page) == ["整治城区噪声扰民"]
    page.fill("#item-filters input[name=q]", "")
    page.select_option("select[name=sort]", "due")
    go(page, "#filter-submit")
    by_due = ["加装电梯惠民工程", "整治城区噪声扰民", "推进老旧小区改造", "小区停车难专项治理"]
    assert rows(page) == by_due
    # The 完成时限 header reverses the order, and again puts it back.
    go(page, "th[data-col=due_date] a")
    assert rows(page) == by_due[::-1]
    go(page, "th[data-col=due_date] a")
    assert rows(page) == by_due

    # Column choice: only 文号 and 主办单位 besides 序号 and 事项名称.
    page.click("#column-choice summary")
    page.check("#item-filters input[name=cols][value=doc_number]")
    page.check("#item-filters input[name=cols][value=lead_unit]")
    page.select_option("select[name=lead_unit]", str(lead.pk))
    go(page, "#filter-submit")
    headers = page.locator("#item-table thead th").all_inner_texts()
    assert headers == ["序号", "事项名称", "文号", "主办单位"]
    assert rows(page) == ["整治城区噪声扰民", "推进老旧小区改造"]

    # Saved as a 专项台账, listed beside the 综合台账, and opened again from there.
    page.fill("#view-name", "发改委事项")
    go(page, "#view-create button")
    assert page.locator("h1.page-title").inner_text() == "专项台账:发改委事项"
    go(page, "#saved-views >> text=综合台账")
    assert page.locator("#item-total").inner_text() == "共 4 件"
    go(page, "#saved-views >> text=发改委事项")
    assert rows(page) == ["整治城区噪声扰民", "推进老旧小区改造"]
    assert page.locator("#item-table thead th").all_inner_texts() == headers

    # The print view: the filters and the date on top, the site chrome hidden on paper.
    page.click("#ledger-print-link")
    summary = page.locator("#print-summary").inner_text()
    assert "主办单位「浏览器市发改委」" in summary
    assert "打印时间" in page.locator("#print-date").inner_text()
    assert page.locator("#print-now").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#main-nav").is_hidden()
    assert page.locator("#print-now").is_hidden()
    assert page.locator("#item-table").is_visible()
    assert rows(page) == ["整治城区噪声扰民", "推进老旧小区改造"]


def office_with_items(browser: Any, live_server: Any) -> Any:
    """The four items of make_items, and the office signed in on its 工作台."""
    make_items(make_city())
    return signed_in(browser, live_server.url, "office")


def test_the_seldom_used_filters_fold_away_and_open_when_set(
    browser: Any, live_server: Any
) -> None:
    page = office_with_items(browser, live_server)
    go(page, "#main-nav >> text=台账")
    # The rows are on the first screen: the ten seldom-used filters are folded.
    assert page.locator("#more-filters input[name=due_from]").is_hidden()
    assert page.locator("#item-table").is_visible()
    assert page.locator("#more-given").count() == 0
    page.click("#more-filters summary")
    page.fill("#more-filters input[name=due_from]", "2099-02-15")
    page.select_option("#more-filters select[name=outcome]", "")
    go(page, "#filter-submit")
    assert sorted(rows(page)) == ["小区停车难专项治理", "推进老旧小区改造"]
    # Set, the fold opens by itself and says how many of its filters are in force.
    assert page.locator("#more-filters input[name=due_from]").is_visible()
    assert page.locator("#more-given").inner_text() == "(已设 1 项)"
    # A wrong one opens it too, with the reason beside the field.
    page.goto(f"{live_server.url}/items/?completed_to=2026-13-01")
    error = page.locator("#more-filters [data-field=completed_to] .invalid-feedback")
    assert error.inner_text() == "办结日期止须为 YYYY-MM-DD 格式的日期。"
    assert error.is_visible()


def test_on_a_phone_the_rows_come_first_and_keep_their_width(
    browser: Any, live_server: Any
) -> None:
    page = office_with_items(browser, live_server)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/items/")
    table = page.locator("#item-table").bounding_box()
    views = page.locator("#saved-views").bounding_box()
    assert table is not None and views is not None
    assert views["y"] > table["y"]  # the 专项台账 column comes after the rows
    # The table scrolls sideways: 事项名称 keeps a readable width, not two characters a line.
    title = page.locator("#item-table tbody tr td:nth-child(2)").first.bounding_box()
    assert title is not None and title["width"] > 100
    assert table["width"] > 390
    page.context.close()


def test_a_tag_on_the_item_page_opens_its_ledger_which_is_saved_as_a_special_one(
    browser: Any, live_server: Any
) -> None:
    page = office_with_items(browser, live_server)
    go(page, "#main-nav >> text=台账")
    go(page, "#item-table >> text=推进老旧小区改造")
    # The office tags the item on its page, the way a clerk types them.
    page.click("#item-tags-edit summary")
    page.fill("#item-tags-edit input[name=tags]", "民生实事、城市更新")
    go(page, "#item-tags-edit button")
    assert page.locator("#item-tags a.item-tag").all_inner_texts() == ["民生实事", "城市更新"]
    # The tag is a link to its 台账: the fold opens with the tag filled in.
    go(page, "#item-tags >> text=民生实事")
    assert rows(page) == ["推进老旧小区改造"]
    assert page.locator("#more-filters input[name=tag]").input_value() == "民生实事"
    assert page.locator("#more-filters input[name=tag]").is_visible()
    page.fill("#view-name", "民生实事台账")
    go(page, "#view-create button")
    assert page.locator("h1.page-title").inner_text() == "专项台账:民生实事台账"
    go(page, "#saved-views >> text=综合台账")
    assert page.locator("#item-total").inner_text() == "共 4 件"
    go(page, "#saved-views >> text=民生实事台账")
    assert rows(page) == ["推进老旧小区改造"]
