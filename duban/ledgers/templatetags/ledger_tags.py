"""The 台账's table cells, built in Python.

A page shows up to 100 rows of a dozen columns; as a template, each cell walked an if/elif chain
of every column, and rendering took more time than the page's queries. Each column here is one
small function from the item to its cell, joined as plain strings with every value escaped; the
markup is what the template wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from duban.items.models import ItemSource, ItemState, Outcome
from duban.items.templatetags.items_tags import LIGHTS, state_badge

register = template.Library()

DASH = "—"
# The labels of each choice by value: a model's get_FOO_display hashes every choice's lazy label
# (a translation each) on every call, twice per row.
STATES = dict(ItemState.choices)
SOURCES = dict(ItemSource.choices)
OUTCOMES = dict(Outcome.choices)
Cell = Callable[[Any, dt.date], str]


def _e(value: Any) -> str:
    """Escaped text: the standard library's escape, as Django's, without its check of every
    argument for a lazy string (a tenth of the page's time, twelve cells a row)."""
    return escape(str(value))


def _text(value: Any) -> str:
    return f"<td>{_e(value) if value not in (None, '') else DASH}</td>"


def _nowrap(value: Any) -> str:
    return f'<td class="text-nowrap">{_e(value) if value else DASH}</td>'


def _day(value: dt.date | dt.datetime | None) -> str:
    """As the template's `date:"Y-m-d"`: a moment on its local day."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat() if value else ""


def _title(item: Any, today: dt.date) -> str:
    url = reverse("items:detail", args=[item.pk])
    secret = ""
    if item.confidentiality == "secret":
        secret = f' <span class="badge bg-red-lt">{_e(_("涉密"))}</span>'
    return f'<td><a href="{_e(url)}">{_e(item.title)}</a>{secret}</td>'


def _co_units(item: Any, today: dt.date) -> str:
    names = [row.unit.name for row in getattr(item, "co_rows", [])]
    return _text("、".join(names))


def _due(item: Any, today: dt.date) -> str:
    if not item.due_date:
        return f'<td class="text-nowrap">{DASH}</td>'
    late = ' class="text-red"' if item.is_open and item.due_date < today else ""
    provisional = ""
    if item.provisional:
        note, word = _("所在年度放假安排尚未公布,时限为暂定"), _("暂定")
        provisional = f' <span class="badge bg-yellow-lt" title="{_e(note)}">{_e(word)}</span>'
    return f'<td class="text-nowrap"><span{late}>{_day(item.due_date)}</span>{provisional}</td>'


def _state(item: Any, today: dt.date) -> str:
    label = _e(STATES.get(item.state, item.state))
    return f'<td><span class="badge {state_badge(item.state)}">{label}</span></td>'


def _light(item: Any, today: dt.date) -> str:
    light = getattr(item, "light", "")
    if not light:
        return "<td></td>"
    css, word = LIGHTS.get(light, ("", ""))
    return (
        f'<td><span class="badge {css}-lt item-light" data-light="{_e(light)}">'
        f'<span class="status-dot {css} me-1"></span>{_e(word)}</span></td>'
    )


CELLS: dict[str, Cell] = {
    "title": _title,
    "source": lambda item, today: _text(SOURCES.get(item.source, item.source)),
    "doc_number": lambda item, today: _text(item.doc_number),
    "lead_unit": lambda item, today: _text(item.lead_unit.name if item.lead_unit else ""),
    "co_units": _co_units,
    "leader": lambda item, today: _text(item.responsible_leader),
    "owner_name": lambda item, today: _text(item.owner_name),
    "due_date": _due,
    "state": _state,
    "light": _light,
    "created_at": lambda item, today: _nowrap(_day(item.created_at)),
    "completed_at": lambda item, today: _nowrap(_day(item.completed_at)),
    "outcome": lambda item, today: _text(OUTCOMES.get(item.outcome, item.outcome)),
    "extension_count": lambda item, today: f"<td>{int(item.extension_count)}</td>",
    "return_count": lambda item, today: f"<td>{int(item.return_count)}</td>",
    "tags": lambda item, today: _text("、".join(tag.name for tag in item.tags.all())),
}


@register.simple_tag
def ledger_cells(item: Any, columns: list[str], number: int, today: dt.date) -> SafeString:
    """The <td>s of one row, in the order of `columns`; `number` is its 序号 on the ledger."""
    cells = (
        f"<td>{int(number)}</td>" if key == "seq" else CELLS[key](item, today)
        for key in columns
        if key == "seq" or key in CELLS
    )
    return mark_safe("".join(cells))  # noqa: S308  (every value escaped by its cell)
