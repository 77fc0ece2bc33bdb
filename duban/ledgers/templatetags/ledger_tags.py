"""The 台账's table cells, built in Python.

A page shows up to 100 rows of a dozen columns; as a template, each cell walked an if/elif chain
of every column, and rendering took more time than the page's queries. Each column here is one
small function from the item to its cell; the markup is what the template wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from duban.items.templatetags.items_tags import LIGHTS, state_badge

register = template.Library()

DASH = "—"
Cell = Callable[[Any, dt.date], SafeString]


def _text(value: Any) -> SafeString:
    return format_html("<td>{}</td>", value if value not in (None, "") else DASH)


def _nowrap(value: Any) -> SafeString:
    return format_html('<td class="text-nowrap">{}</td>', value if value else DASH)


def _day(value: dt.date | dt.datetime | None) -> str:
    """As the template's `date:"Y-m-d"`: a moment on its local day."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat() if value else ""


def _title(item: Any, today: dt.date) -> SafeString:
    url = reverse("items:detail", args=[item.pk])
    secret = ""
    if item.confidentiality == "secret":
        secret = format_html(' <span class="badge bg-red-lt">{}</span>', _("涉密"))
    return format_html('<td><a href="{}">{}</a>{}</td>', url, item.title, secret)


def _co_units(item: Any, today: dt.date) -> SafeString:
    names = [row.unit.name for row in getattr(item, "co_rows", [])]
    return format_html("<td>{}</td>", "、".join(names) if names else DASH)


def _due(item: Any, today: dt.date) -> SafeString:
    if not item.due_date:
        return mark_safe(f'<td class="text-nowrap">{DASH}</td>')  # noqa: S308
    late = ' class="text-red"' if item.is_open and item.due_date < today else ""
    provisional = ""
    if item.provisional:
        provisional = format_html(
            ' <span class="badge bg-yellow-lt" title="{}">{}</span>',
            _("所在年度放假安排尚未公布,时限为暂定"),
            _("暂定"),
        )
    return format_html(
        '<td class="text-nowrap"><span{}>{}</span>{}</td>',
        mark_safe(late),  # noqa: S308  (a constant)
        _day(item.due_date),
        provisional,
    )


def _state(item: Any, today: dt.date) -> SafeString:
    return format_html(
        '<td><span class="badge {}">{}</span></td>',
        state_badge(item.state),
        item.get_state_display(),
    )


def _light(item: Any, today: dt.date) -> SafeString:
    light = getattr(item, "light", "")
    if not light:
        return mark_safe("<td></td>")
    css, word = LIGHTS.get(light, ("", ""))
    return format_html(
        '<td><span class="badge {}-lt item-light" data-light="{}">'
        '<span class="status-dot {} me-1"></span>{}</span></td>',
        css,
        light,
        css,
        word,
    )


CELLS: dict[str, Cell] = {
    "title": _title,
    "source": lambda item, today: _text(item.get_source_display()),
    "doc_number": lambda item, today: _nowrap(item.doc_number),
    "lead_unit": lambda item, today: _text(item.lead_unit.name if item.lead_unit else ""),
    "co_units": _co_units,
    "leader": lambda item, today: _text(item.responsible_leader),
    "owner_name": lambda item, today: _text(item.owner_name),
    "due_date": _due,
    "state": _state,
    "light": _light,
    "created_at": lambda item, today: _nowrap(_day(item.created_at)),
    "completed_at": lambda item, today: _nowrap(_day(item.completed_at)),
    "outcome": lambda item, today: _text(item.get_outcome_display()),
    "extension_count": lambda item, today: format_html("<td>{}</td>", item.extension_count),
    "return_count": lambda item, today: format_html("<td>{}</td>", item.return_count),
}


@register.simple_tag
def ledger_cells(item: Any, columns: list[str], number: int, today: dt.date) -> SafeString:
    """The <td>s of one row, in the order of `columns`; `number` is its 序号 on the ledger."""
    cells = (
        format_html("<td>{}</td>", number) if key == "seq" else CELLS[key](item, today)
        for key in columns
        if key == "seq" or key in CELLS
    )
    return format_html_join("", "{}", ((cell,) for cell in cells))
