"""In a real browser: the office drafts a 督查通报 from data, edits it, the office head issues
it, and the DOCX downloaded carries its 发文字号; the item page leads to a 督查通知."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.utils import timezone

from duban.documents import actions as documents
from duban.documents.layout import full_width
from duban.items import actions as items
from duban.items.tests.test_item_browser import PASSWORD, signed_in
from duban.org import actions
from duban.org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    """Issued files go to the test's own directory."""
    settings.MEDIA_ROOT = str(tmp_path)


def make_city() -> tuple[Unit, Unit]:
    city = actions.create_unit(actor=None, code="W", name="文书市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="W-DCS", name="文书市督查室", kind="government", parent=city
    )
    lead = actions.create_unit(
        actor=None, code="W-FGW", name="文书市发改委", kind="department", parent=city
    )
    for username, name, role in (("office", "周督查", "office"), ("head", "吴主任", "office_head")):
        user = actions.create_user(actor=None, username=username, full_name=name, password=PASSWORD)
        actions.grant_role(user, office_unit, role, actor=None, scope=city)
    documents.update_template(office_unit, "bulletin", actor=None, number_prefix="文督通")
    overdue = items.create_item(
        actor=None, owner_unit=office_unit, title="推进老旧小区改造", source="other"
    )
    start = timezone.localdate() - dt.timedelta(days=40)
    items.assign(
        overdue,
        actor=None,
        lead_unit=lead,
        time_limit=timezone.localdate() - dt.timedelta(days=5),
        start=start,
    )
    return office_unit, lead


def test_draft_edit_issue_download_a_bulletin(browser: Any, live_server: Any, media: None) -> None:
    make_city()
    office = signed_in(browser, live_server.url, "office")
    office.click("#main-nav >> text=督查文书")
    office.click("#new-bulletin")
    today = timezone.localdate()
    office.fill("input[name=period_start]", (today - dt.timedelta(days=60)).isoformat())
    office.fill("input[name=period_end]", today.isoformat())
    office.click("#new-document button[type=submit]")
    body = office.locator("textarea[name=body]").input_value()
    assert full_width("文书市发改委有1项事项逾期未办结,予以通报批评") in body
    assert full_width("1.推进老旧小区改造(主办单位:文书市发改委") in body
    office.fill("input[name=title]", "关于近期督查事项办理情况的通报")
    office.click("#document-save")
    assert office.locator("input[name=title]").input_value() == "关于近期督查事项办理情况的通报"
    assert office.locator("#document-issue").count() == 0  # staff draft; the head signs
    url = office.url

    head = signed_in(browser, live_server.url, "head")
    head.goto(url)
    head.click("#issue-submit")
    number = f"文督通〔{today.year}〕1号"
    assert head.locator("#document-state").inner_text() == "已印发"
    assert head.locator("#document-number-fact").inner_text() == number
    with head.expect_download() as download:
        head.click("#download-docx")
    data = download.value.path().read_bytes()
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert number in texts
    assert "关于近期督查事项办理情况的通报" in texts
    head.click("#main-nav >> text=督查文书")
    assert number in head.locator("#issued-list").inner_text()
    for page in (office, head):
        page.context.close()


def test_item_page_to_a_notice(browser: Any, live_server: Any, media: None) -> None:
    make_city()
    office = signed_in(browser, live_server.url, "office")
    office.click("#main-nav >> text=台账")
    office.click("text=推进老旧小区改造")
    office.click("#item-documents a")
    office.click("#draft-reminder")
    assert office.locator("input[name=title]").input_value() == "督办单"  # overdue: red
    assert "已逾期 5 天" in office.locator("textarea[name=body]").input_value()
    office.context.close()
