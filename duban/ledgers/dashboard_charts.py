"""The dashboards' charts as plain data for ledgers/dashboard.js (embedded with json_script).

Each point carries its 台账 link, so a click on a bar, slice or point opens the rows it counts —
the same link the number beside the chart has.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from duban.ledgers.dashboards import SHOWN_ROWS, Bar, Dashboard, Rate

LIGHT_COLOURS = {"red": "#d63939", "yellow": "#f59f00", "green": "#2fb344"}


def _series(name: str, values: list[Any], urls: list[str]) -> dict[str, Any]:
    return {"name": name, "values": values, "urls": urls}


def _bars(chart_id: str, title: str, bars: list[Bar]) -> dict[str, Any]:
    return {
        "id": chart_id,
        "type": "bar",
        "title": title,
        "labels": [bar.label for bar in bars],
        "series": [_series(_("事项数"), [b.cell.count for b in bars], [b.cell.url for b in bars])],
    }


def _rates(chart_id: str, title: str, rates: list[Rate]) -> dict[str, Any]:
    """Only ranked rows: below the minimum sample a rate is not shown as a bar."""
    rates = rates[:SHOWN_ROWS]
    return {
        "id": chart_id,
        "type": "rate",
        "title": title,
        "labels": [rate.label for rate in rates],
        "series": [
            _series(
                _("按期办结率(%)"),
                [rate.percent for rate in rates],
                [rate.on_time.url for rate in rates],
            )
        ],
    }


def charts(board: Dashboard) -> list[dict[str, Any]]:
    lights = _bars("chart-lights", _("在办事项红黄绿灯"), board.lights)
    lights["type"] = "pie"
    lights["colours"] = [LIGHT_COLOURS[bar.key] for bar in board.lights]
    months = [month.month.strftime("%Y-%m") for month in board.trend]
    return [
        _bars("chart-states", _("按状态"), board.states),
        lights,
        _rates("chart-units", _("按主办单位"), board.ranked(board.by_unit)),
        _rates("chart-sources", _("按来源"), board.ranked(board.by_source)),
        _rates("chart-leaders", _("按责任领导"), board.ranked(board.by_leader)),
        {
            "id": "chart-trend",
            "type": "line",
            "title": _("月度趋势"),
            "labels": months,
            "series": [
                _series(
                    _("登记"),
                    [m.created.count for m in board.trend],
                    [m.created.url for m in board.trend],
                ),
                _series(
                    _("办结"),
                    [m.completed.count for m in board.trend],
                    [m.completed.url for m in board.trend],
                ),
            ],
        },
        {
            "id": "chart-load",
            "type": "bar",
            "title": _("每月应报进展报告"),
            "labels": [load.name for load in board.load[:SHOWN_ROWS]],
            "series": [
                _series(
                    _("每月应报次数"),
                    [load.per_month for load in board.load[:SHOWN_ROWS]],
                    [load.open_items.url for load in board.load[:SHOWN_ROWS]],
                )
            ],
        },
    ]
