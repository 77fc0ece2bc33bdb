"""The navigation bar in a real browser: a label never breaks inside its word, however many
links a person has (a superuser has them all) and however narrow the laptop; on a phone the links
fold behind the menu button."""

from __future__ import annotations

from typing import Any

import pytest

from duban.items.tests.test_item_browser import PASSWORD, make_city, signed_in
from duban.org import actions
from duban.org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# How many lines each link's text takes: one box per line for the text's range.
LINES = """() => Array.from(document.querySelectorAll('#main-nav .nav-link')).map(link => {
  const range = document.createRange();
  range.selectNodeContents(link);
  const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  return [link.textContent.trim(), tops.size];
})"""


@pytest.mark.parametrize("width", [1366, 1024, 800])
def test_every_link_label_stays_on_one_line(browser: Any, live_server: Any, width: int) -> None:
    make_city()
    admin = actions.create_user(
        actor=None, username="chief", full_name="欧阳督查长", password=PASSWORD
    )
    actions.grant_role(admin, Unit.objects.get(code="B-DCS"), "office", actor=None)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    page = signed_in(browser, live_server.url, "chief")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/items/")
    lines = dict(page.evaluate(LINES))
    assert {"工作台", "台账", "审计日志", "系统管理"} <= set(lines)
    assert {label: n for label, n in lines.items() if n != 1} == {}
    page.context.close()


def test_on_a_phone_the_links_fold_behind_the_menu_button(browser: Any, live_server: Any) -> None:
    make_city()
    page = signed_in(browser, live_server.url, "office")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/")
    # The page, not a column of links, fills the first screen.
    assert page.locator("#main-nav").is_hidden()
    assert page.locator("#panel-item-todos").is_visible()
    page.click("#navbar-toggle")
    ledger = page.locator("#main-nav >> text=台账")
    ledger.wait_for(state="visible")
    with page.expect_navigation():
        ledger.click()
    assert page.url.endswith("/items/")
    page.context.close()
