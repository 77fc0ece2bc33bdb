"""In a real browser: an administrator goes from 日历与规则 to 规则设置 and edits a light rule."""

from __future__ import annotations

from typing import Any

import pytest

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items.models import LightRule
from duban.org import actions
from duban.org.models import Role

# The preset rule rows come from the migrations: serialized_rollback loads them again after an
# earlier transactional test's flush (see conftest.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Browser-Test-2026"


def make_admin() -> None:
    city = actions.create_unit(actor=None, code="R", name="规则市", kind="other")
    user = actions.create_user(
        actor=None, username="ruleadmin", full_name="孙管理", password=PASSWORD
    )
    actions.grant_role(user, city, Role.ADMIN, actor=None)


def test_an_administrator_edits_the_yellow_threshold(page: Any, live_server: Any) -> None:
    make_admin()
    rule = LightRule.objects.get(source="")
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "ruleadmin")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.locator("#current-user").wait_for()
    page.click("#main-nav >> text=日历与规则")
    page.click("#tab-rule-settings")
    page.click("#family-lights")
    page.click(f"#rule-{rule.pk} >> text=修改")
    page.fill("input[name=yellow_within]", "-2")
    page.click(".card-body form button[type=submit]")
    assert "黄灯提前工作日数须为 0 至 250" in page.content()
    page.fill("input[name=yellow_within]", "5")
    page.click(".card-body form button[type=submit]")
    page.locator("#rule-table").wait_for()
    assert "5" in page.locator(f"#rule-{rule.pk}").inner_text()
    assert LightRule.objects.get(pk=rule.pk).yellow_within == 5
    event = Event.objects.get(type=EventType.LIGHT_RULE_UPDATED)
    assert event.details == {"yellow_within": [rule.yellow_within, 5]}
