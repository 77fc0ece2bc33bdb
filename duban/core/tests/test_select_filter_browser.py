"""A long unit list narrows as one types (duban/select-filter.js), in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from duban.items import actions as item_actions
from duban.items.tests.test_item_browser import PASSWORD, signed_in
from duban.org import actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
VISIBLE = "el => Array.from(el.options).filter(o => !o.hidden).map(o => o.text.trim())"


def test_typing_narrows_the_lead_unit_list(browser: Any, live_server: Any) -> None:
    city = actions.create_unit(actor=None, code="F", name="筛选市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="F-DCS", name="筛选市督查室", kind="government", parent=city
    )
    for n in range(40):
        actions.create_unit(
            actor=None, code=f"F-{n:02d}", name=f"筛选市第{n:02d}局", kind="department", parent=city
        )
    office = actions.create_user(
        actor=None, username="office", full_name="周督查", password=PASSWORD
    )
    actions.grant_role(office, office_unit, "office", actor=None, scope=city)
    item = item_actions.create_item(
        actor=office, owner_unit=office_unit, title="筛选测试", source="other"
    )
    page = signed_in(browser, live_server.url, "office")
    page.goto(f"{live_server.url}/items/{item.pk}/assign/")
    box = page.locator("#item-form .select-filter").first
    box.fill("第07")
    lead = page.locator("select[name=lead_unit]")
    assert [t for t in lead.evaluate(VISIBLE) if t and not t.startswith("-")] == ["筛选市第07局"]
    box.fill("")
    assert len(lead.evaluate(VISIBLE)) > 40
    page.context.close()
