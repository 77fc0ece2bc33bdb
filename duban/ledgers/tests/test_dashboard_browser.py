"""In headless chromium: the dashboard's charts drawn by the vendored ECharts (a screenshot that is
not blank), a click on a chart opening the 台账 with the same count, and the wall chart with its
A3 landscape print sheet."""

from __future__ import annotations

import datetime as dt
import re
import struct
import tempfile
import zlib
from pathlib import Path
from statistics import pvariance
from typing import Any

import pytest
from django.utils import timezone

from duban.items import actions as item_actions
from duban.items.models import Item, ItemState, Milestone
from duban.items.tests.test_item_browser import PASSWORD, signed_in
from duban.org import actions
from duban.org.models import Unit, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
CHARTS = ("chart-states", "chart-lights", "chart-trend", "chart-units", "chart-load")
A3_LANDSCAPE = (1190.55, 841.89)  # PDF points


def make_city() -> dict[str, Unit]:
    city = actions.create_unit(actor=None, code="W", name="图表市", kind="other")
    office_unit = actions.create_unit(
        actor=None, code="W-DCS", name="图表市督查室", kind="government", parent=city
    )
    units = {"office": office_unit}
    for code, name in (("FGW", "图表市发改委"), ("ZJ", "图表市住建局")):
        units[code] = actions.create_unit(
            actor=None, code=f"W-{code}", name=name, kind="department", parent=city
        )
    office = actions.create_user(
        actor=None, username="office", full_name="周督查", password=PASSWORD
    )
    actions.grant_role(office, office_unit, "office", actor=None, scope=city)
    return units


def make_items(units: dict[str, Unit]) -> None:
    """发改委: 6 completed (5 on time), 2 overdue, 1 due far ahead; 住建局: 3 in progress."""
    today = timezone.localdate()
    now = timezone.now()
    rows: list[dict[str, Any]] = [
        *({"unit": "FGW", "state": ItemState.COMPLETED, "late": i == 0} for i in range(6)),
        *({"unit": "FGW", "state": ItemState.IN_PROGRESS, "due": today - dt.timedelta(days=9)},)
        * 2,
        {"unit": "FGW", "state": ItemState.IN_PROGRESS, "due": today + dt.timedelta(days=90)},
        *({"unit": "ZJ", "state": ItemState.IN_PROGRESS, "due": today + dt.timedelta(days=40)},)
        * 3,
    ]
    for n, row in enumerate(rows):
        done = row["state"] == ItemState.COMPLETED
        item = Item.objects.create(
            title=f"图表事项{n}",
            source="other",
            owner_unit=units["office"],
            lead_unit=units[row["unit"]],
            state=row["state"],
            responsible_leader="赵副市长",
            due_date=row.get("due", today),
            completed_at=now if done else None,
            completed_late=row.get("late", False) if done else None,
        )
        if n == 8:
            Milestone.objects.create(
                item=item, title="节点一", due_date=today + dt.timedelta(days=30)
            )


def png_pixels(path: Path) -> list[int]:
    """Grey values of an 8-bit RGB(A) PNG (what chromium writes), filters undone."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        chunks += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    raw, stride, prev = zlib.decompress(chunks), width * step, bytearray(width * step)
    grey: list[int] = []
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = prev[i], prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (
                    line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        grey.extend(sum(line[i : i + 3]) // 3 for i in range(0, stride, step * 7))
        prev = line
    return grey


def test_dashboard_charts_render_and_drill_down(browser: Any, live_server: Any) -> None:
    make_items(make_city())
    page = signed_in(browser, live_server.url, "office")
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if msg.type == "error" else None)
    page.click("#main-nav >> text=统计分析")
    for chart in CHARTS:
        page.locator(f"#{chart}[data-rendered=true] canvas").first.wait_for()
    painted = page.evaluate(
        """id => { const c = document.querySelector('#' + id + ' canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }""",
        "chart-states",
    )
    assert painted > 1000
    # Nothing the CSP refused (inline styles of HTML tooltips would be), nothing fetched outside.
    page.hover("#chart-states canvas")
    page.mouse.move(300, 300)
    assert refused == [], refused
    assert page.locator("#kpi-red").inner_text() == "2"
    shot = Path(tempfile.mkdtemp()) / "dashboard.png"
    page.screenshot(path=str(shot))
    assert shot.exists() and shot.stat().st_size > 10_000
    grey = png_pixels(shot)
    assert pvariance(grey) > 100, pvariance(grey)

    # A click on the 住建局 bar of 在办 load chart's neighbour: the 已办结 bar of the state chart.
    point = page.evaluate(
        """() => { const el = document.getElementById('chart-states');
        const chart = echarts.getInstanceByDom(el);
        const labels = chart.getOption().xAxis[0].data;
        const i = labels.indexOf('已办结');
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [i, 6]);
        const box = el.getBoundingClientRect();
        return [box.left + x, box.top + y + 4]; }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url(re.compile(r"/items/\?"))
    assert "state=completed" in page.url
    assert page.locator("#item-total").inner_text() == "共 6 件"

    page.go_back()
    page.click("#kpi-overdue")
    page.wait_for_url(re.compile(r"due=overdue"))
    assert page.locator("#item-total").inner_text() == "共 2 件"

    page.go_back()
    page.fill("#period-start", "2020-01-01")
    page.fill("#period-end", timezone.localdate().isoformat())
    page.click("#period-form button")
    page.wait_for_url(re.compile(r"start=2020-01-01"))
    assert page.locator("#period-start").input_value() == "2020-01-01"
    assert page.locator("#kpi-total").inner_text() == "12"


def test_kept_figures_say_when_they_were_counted(
    browser: Any, live_server: Any, settings: Any
) -> None:
    """A costly scope's figures are kept (ledgers/figure_cache.py): after a change the page says
    when they were counted, and 「立即重新统计」 counts them on the spot."""
    settings.DUBAN_FIGURES_EXPENSIVE_MS = 0
    settings.DUBAN_FIGURES_MAX_AGE = 900
    units = make_city()
    make_items(units)
    page = signed_in(browser, live_server.url, "office")
    page.click("#main-nav >> text=统计分析")
    total = int(page.locator("#kpi-total").inner_text())
    assert page.locator("#dash-as-of").count() == 0
    office = User.objects.get(username="office")
    item_actions.create_item(
        actor=office, owner_unit=units["office"], title="新登记的事项", source="other"
    )
    page.reload()
    assert "数字统计于" in page.locator("#dash-as-of").inner_text()
    assert int(page.locator("#kpi-total").inner_text()) == total
    page.click("#dash-fresh")
    page.wait_for_url(re.compile(r"fresh=1"))
    assert page.locator("#dash-as-of").count() == 0
    assert int(page.locator("#kpi-total").inner_text()) == total + 1


def test_wall_chart_and_its_print_sheet(browser: Any, live_server: Any) -> None:
    make_items(make_city())
    page = signed_in(browser, live_server.url, "office")
    page.click("#main-nav >> text=挂图作战")
    page.locator("#wall-table").wait_for()
    assert page.locator("tr.wall-row").count() == 12
    assert page.locator("tr.wall-row[data-light=red]").count() == 2
    assert page.locator("circle.wall-mark").count() == 1
    bar = page.locator("tr.wall-row[data-light=red] rect.wall-bar").first.bounding_box()
    assert bar is not None and bar["width"] > 1
    page.select_option("#wall-filters select[name=state]", "open")
    page.click("#wall-filters button")
    page.wait_for_url(re.compile(r"state=open"))
    assert page.locator("tr.wall-row").count() == 6

    page.click("#wall-group >> text=按责任领导")
    page.wait_for_url(re.compile(r"group=leader"))
    assert page.locator("tr.wall-group").all_inner_texts() == ["赵副市长"]
    page.click("#wall-print-a3")
    page.wait_for_url(re.compile(r"/wallchart/print/"))
    assert page.locator("#wall-print").get_attribute("data-paper") == "a3"
    assert page.locator("tr.wall-row").count() == 6
    page.emulate_media(media="print")
    assert page.locator("#wall-print-button").is_hidden()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    width, height = (float(v) for v in boxes[0])
    assert abs(width - A3_LANDSCAPE[0]) < 2 and abs(height - A3_LANDSCAPE[1]) < 2, (width, height)
