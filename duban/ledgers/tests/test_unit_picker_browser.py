"""In a real browser: the 台账's unit select with a long offer lists only its top, and typing
asks the server for the rest (org/picker.py, org/pick_views.py, duban/select-filter.js).

The threshold is lowered to 3 rather than making thousands of units; the live server runs in
this process, so it sees the lowered one too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duban.items import actions as item_actions
from duban.items.tests.test_item_browser import make_city, signed_in
from duban.ledgers.tests.test_ledger_browser import go, rows
from duban.org import actions, pick_views, picker
from duban.org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def make_items(lead: Unit) -> Unit:
    city = lead.parent
    district = actions.create_unit(
        actor=None, code="B-DH", name="浏览器市东湖区", kind="government", parent=city
    )
    town = actions.create_unit(
        actor=None, code="B-DH-QS", name="青石镇", kind="township", parent=district
    )
    office_unit = Unit.objects.get(code="B-DCS")
    for title, unit in (("青石镇污水管网改造", town), ("发改委重点项目推进", lead)):
        item = item_actions.create_item(
            actor=None, owner_unit=office_unit, title=title, source="other"
        )
        item_actions.assign(item, actor=None, lead_unit=unit, time_limit=dt.date(2099, 6, 30))
    return town


def test_typing_finds_a_deep_unit_and_filters_by_it(
    browser: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(picker, "PICK_THRESHOLD", 3)
    town = make_items(make_city())
    page = signed_in(browser, live_server.url, "office")
    go(page, "#main-nav >> text=台账")
    lead = page.locator("select[name=lead_unit]")
    town_option = lead.locator(f'option[value="{town.pk}"]')
    assert town_option.count() == 0  # not listed: only the offer's top is

    box = page.locator("[data-field=lead_unit] .select-filter")
    box.fill("青石")
    town_option.wait_for(state="attached")
    assert town_option.inner_text() == "浏览器市 / 浏览器市东湖区 / 青石镇"
    lead.select_option(str(town.pk))
    go(page, "#filter-submit")
    assert rows(page) == ["青石镇污水管网改造"]
    # The page lists the chosen unit again, chosen.
    assert lead.input_value() == str(town.pk)

    # Another search keeps it chosen; nothing found says so.
    hint = page.locator("[data-field=lead_unit] .select-filter-hint")
    page.locator("[data-field=lead_unit] .select-filter").fill("没有这个单位")
    hint.wait_for(state="visible")
    assert hint.inner_text() == "没有匹配的单位。"
    assert lead.input_value() == str(town.pk)

    # More than the search lists: it asks for more characters.
    monkeypatch.setattr(pick_views, "PICK_LIMIT", 1)
    page.locator("[data-field=lead_unit] .select-filter").fill("浏览器")
    page.wait_for_function(
        "el => el.textContent.includes('请输入更多字')", arg=hint.element_handle()
    )
    assert hint.inner_text() == "还有更多单位,请输入更多字缩小范围。"
    page.context.close()
