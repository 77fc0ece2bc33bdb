"""督办与问责 in a real browser: the office head decides a proposal, the auditor reads it.

The sweeps propose (seed 004 第二十条 for 通报批评, the ladder for 催办 and 督办); people decide,
always with a reason. An item five working days late gets both; the office head opens the list
from the nav, is refused a decision without a reason, changes the measure with one, and the
auditor over the city sees the decision but no form. The escalations list and the item page show
the ladder's steps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duban.assessment.escalation import escalate
from duban.assessment.models import Proposal, ProposalState
from duban.assessment.proposals import propose
from duban.items import actions as items
from duban.items.models import Item
from duban.items.tests.test_item_browser import PASSWORD, signed_in
from duban.org import actions
from duban.org.models import Unit, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TITLE = "推进农村公路提档升级"
UNIT = "问责市交通局"
LATE_DAY = dt.date(2025, 10, 20)


def make_city() -> tuple[Unit, Unit, User]:
    """(the office's unit, the lead unit, the office) of a city with an auditor over it."""
    city = actions.create_unit(actor=None, code="Q", name="问责市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="Q-DCS", name="问责市督查室", kind="government", parent=city
    )
    lead = actions.create_unit(actor=None, code="Q-JTJ", name=UNIT, kind="department", parent=city)
    discipline = actions.create_unit(
        actor=None, code="Q-JW", name="问责市纪委监委", kind="party", parent=city
    )
    people = [
        ("office", "钱督查", office_unit, "office", city),
        ("head", "吴主任", office_unit, "office_head", city),
        ("auditor", "郑纪检", discipline, "auditor", city),
    ]
    users = {}
    for username, name, unit, role, scope in people:
        user = actions.create_user(actor=None, username=username, full_name=name, password=PASSWORD)
        actions.grant_role(user, unit, role, actor=None, scope=scope)
        users[username] = user
    return office_unit, lead, users["office"]


def late_item(office_unit: Unit, lead: Unit, office: User) -> Item:
    """An item due 2025-09-01, proposed against and escalated on 2025-10-20 by the sweeps."""
    item = items.create_item(
        actor=office,
        owner_unit=office_unit,
        title=TITLE,
        source="superior",
        content="年内完成农村公路提档升级 80 公里",
    )
    items.assign(
        item,
        actor=office,
        lead_unit=lead,
        time_limit=dt.date(2025, 9, 1),
        start=dt.date(2025, 8, 1),
    )
    assert propose(LATE_DAY) == 1
    assert escalate(LATE_DAY) == 2  # 催办 and 督办
    return item


def open_proposal(page: Any) -> None:
    page.click("#main-nav >> text=督办与问责")
    row = page.locator(".proposal-row", has_text=TITLE)
    assert "通报批评" in row.inner_text()
    row.locator(f"text={UNIT}").click()
    assert "建议通报批评" in page.locator("h1.page-title").inner_text()


def decide(head: Any) -> None:
    open_proposal(head)
    assert head.locator("#proposal-state").inner_text() == "待决定"
    # Blanks pass the browser's `required` but are no reason: refused, nothing decided.
    head.check("input[name=decision][value=change]")
    head.select_option("select[name=measure]", "admonition")
    head.fill("textarea[name=reason]", "   ")
    head.click("#decide-submit")
    assert "理由不能为空。" in head.locator("#decide-errors").inner_text()
    assert head.locator("#proposal-state").inner_text() == "待决定"
    assert Proposal.objects.get().state == ProposalState.PROPOSED

    head.check("input[name=decision][value=change]")
    head.select_option("select[name=measure]", "admonition")
    head.fill("textarea[name=reason]", "逾期一个多月且未报告原因")
    head.click("#decide-submit")
    assert "已记录问责决定。" in head.content()
    assert head.locator("#proposal-state").inner_text() == "变更措施"
    proposal = head.locator("#proposal").inner_text()
    for text in ("诫勉谈话", "吴主任", "逾期一个多月且未报告原因"):
        assert text in proposal, text
    assert head.locator("#decide").count() == 0


def auditor_reads(auditor: Any) -> None:
    open_proposal(auditor)
    assert auditor.locator("#proposal-state").inner_text() == "变更措施"
    assert "逾期一个多月且未报告原因" in auditor.locator("#proposal").inner_text()
    assert auditor.locator("#decide").count() == 0
    assert auditor.locator("textarea[name=reason]").count() == 0


def escalations(head: Any) -> None:
    head.click("#main-nav >> text=督办与问责")
    head.click("#escalations-link")
    rows = head.locator(".escalation-row", has_text=TITLE)
    assert rows.count() == 2
    supervise = head.locator(".escalation-row", has_text="督办(督办通知)")
    supervise.locator("select[name=decision]").select_option("apply")
    supervise.locator("input[name=reason]").fill("发督办通知")
    supervise.locator("button").click()
    assert "已记录督办升级决定。" in head.content()
    supervise = head.locator(".escalation-row", has_text="督办(督办通知)")
    assert supervise.get_attribute("data-state") == "applied"
    assert "发督办通知" in supervise.inner_text()

    supervise.locator(f"text={TITLE}").click()
    shown = head.locator("#item-escalations")
    assert "催办" in shown.inner_text()
    assert "已采取" in shown.locator(".escalation[data-measure=supervise]").inner_text()
    assert shown.locator(".escalation[data-measure=remind]").get_attribute("data-state") == (
        "proposed"
    )


def test_head_decides_and_auditor_reads(browser: Any, live_server: Any) -> None:
    office_unit, lead, office = make_city()
    late_item(office_unit, lead, office)

    head = signed_in(browser, live_server.url, "head")
    decide(head)
    proposal = Proposal.objects.get()
    assert (proposal.state, proposal.decided_measure) == ("changed", "admonition")

    auditor = signed_in(browser, live_server.url, "auditor")
    auditor_reads(auditor)

    escalations(head)
    for page in (head, auditor):
        page.context.close()
