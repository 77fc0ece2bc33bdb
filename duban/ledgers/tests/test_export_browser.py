"""In a real browser: 导出 XLSX on the 台账 downloads the rows under the filters shown."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from duban.items import actions
from duban.items.models import ItemSource
from duban.items.tests.test_item_browser import make_city, signed_in
from duban.ledgers.xlsx_export import HEADERS
from duban.org.models import Unit, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_export_button_downloads_the_filtered_ledger(browser: Any, live_server: Any) -> None:
    make_city()
    office = User.objects.get(username="office")
    owner = Unit.objects.get(code="B-DCS")
    for title, source in (("推进政务服务一网通办", ItemSource.MEETING), ("秸秆禁烧", "other")):
        actions.create_item(
            actor=office, owner_unit=owner, title=title, source=source, strict=False
        )

    page = signed_in(browser, live_server.url, "office")
    page.goto(f"{live_server.url}/items/?source=meeting")
    assert page.locator("#export-progress").is_hidden()
    with page.expect_download() as info:
        page.click("#item-export")
    download = info.value
    assert download.suggested_filename.startswith("督查事项台账")
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    lines = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert lines[1] == HEADERS
    assert [line[1] for line in lines[2:]] == ["推进政务服务一网通办"]
    status = page.locator("#export-progress [data-export-status]")
    assert status.inner_text() == "已导出 1 件。"
    assert page.locator("#item-export").get_attribute("aria-disabled") == "false"
