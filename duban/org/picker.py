"""Unit <select>s that stay short when the offer is long: the unit picker.

Up to PICK_THRESHOLD units a select lists its whole offer, as it always did. Above it the page gets
only the empty option, the chosen units and the offer's top layer (its roots and their children,
so a province head can still choose a city without script), and the select carries
`data-units-url`: duban/select-filter.js then searches the offer on the server as one types
(org/pick_views.py). The field still validates against the whole offer, so whatever the search
finds is accepted, and nothing outside the offer is.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from duban.org.models import Unit

# A province offers ~3,700 units: 540 KB of <option>s that cost the 台账 7 ms to render and the
# browser more to parse, twice over. A city's few hundred still read well as an indented list
# and work without script, so only offers beyond that switch to the search.
PICK_THRESHOLD = 300
INDENT = "\u3000"  # a full-width space per level, so the tree reads in a plain <select>

Row = tuple[int, str, int, str]  # id, name, depth, path
FIELDS = ("pk", "name", "depth", "path")


def is_id(value: str) -> bool:
    """Whether a submitted value can be a unit's id (ten digits at most, as in org/offers.py)."""
    return value.isascii() and value.isdigit() and len(value) <= 10


# One statement, whatever the offer: it is a CTE read once, and the listed rows are all of it when
# it is short, else its roots (units whose parent it does not offer), their children and the
# chosen units. As ORM subqueries, plus a query to tell short from long, PostgreSQL scanned a
# province's 3,800 units six times for nearly what the whole list had cost. The offer's SQL is
# the ORM's own and every value a parameter.
SHOWN_SQL = """
WITH offer (id, name, depth, path, parent_id) AS ({offer}),
size (n) AS (SELECT COUNT(*) FROM offer),
roots (id) AS (
  SELECT id FROM offer WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM offer)
)
SELECT id, name, depth, path, (SELECT n FROM size) FROM offer
WHERE (SELECT n FROM size) <= %s
  OR id IN (SELECT id FROM roots) OR parent_id IN (SELECT id FROM roots){pinned}
ORDER BY path LIMIT %s
"""


def shown_rows(units: QuerySet[Unit], pinned: set[int], limit: int) -> tuple[list[Row], bool]:
    """The rows to list, in tree order, and whether they are the whole offer: all of it up to
    `limit` units, else its top layer (`limit` rows at most) and `pinned`."""
    columns = units.order_by().values_list("pk", "name", "depth", "path", "parent_id")
    try:
        offer, params = columns.query.sql_with_params()
    except EmptyResultSet:  # the ORM's word for an offer known to be empty (no scope at all)
        return [], True
    chosen = ", ".join(["%s"] * len(pinned))
    sql = SHOWN_SQL.format(offer=offer, pinned=f" OR id IN ({chosen})" if pinned else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, *sorted(pinned), limit + len(pinned)])
        found = cursor.fetchall()
    size = found[0][4] if found else 0
    return [(pk, name, depth, path) for pk, name, depth, path, _n in found], size <= limit


class UnitRows:
    """The rows a unit select shows, read once and shared by the selects that offer the same
    units (the 台账's two)."""

    def __init__(
        self, units: QuerySet[Unit], pinned: Iterable[str] = (), *, searchable: bool = True
    ) -> None:
        self.units = units
        # Chosen values known up front are read with the top layer, not one query each.
        self.pinned = {int(value) for value in pinned if is_id(str(value))}
        # Without the search's address a long offer must be listed whole to stay choosable.
        self.searchable = searchable
        self.complete = True
        self._rows: list[Row] | None = None

    def rows(self) -> list[Row]:
        if self._rows is None and not self.searchable:
            self._rows = list(self.units.values_list(*FIELDS))
        if self._rows is None:
            self._rows, self.complete = shown_rows(self.units, self.pinned, PICK_THRESHOLD)
        return self._rows

    def shown(self, chosen: set[str]) -> list[Row]:
        """The rows to list with `chosen` selected: chosen units outside the offer are dropped,
        so a made-up id never shows another unit's name."""
        rows = self.rows()
        if self.complete:
            return rows
        missing = {int(value) for value in chosen if is_id(value)} - {row[0] for row in rows}
        if not missing:
            return rows
        extra = self.units.filter(pk__in=missing).values_list(*FIELDS)
        return sorted([*rows, *extra], key=lambda row: row[3])


def options(rows: Iterable[Row], chosen: set[str]) -> str:
    """The <option>s joined in Python: Django's per-option templates took over a second for
    6,000 of them."""
    return "".join(
        f'<option value="{pk}"{" selected" if str(pk) in chosen else ""}>'
        f"{html.escape(INDENT * depth + name)}</option>"
        for pk, name, depth, _path in rows
    )


def pick_url(offer: str) -> str:
    return f"{reverse('org:unit_pick')}?{urlencode({'offer': offer})}"


def picker_attrs(offer: str) -> dict[str, str]:
    """What select-filter.js needs to search the offer: its address and its hints, translated."""
    return {
        "data-units-url": pick_url(offer),
        "data-units-more": _("还有更多单位,请输入更多字缩小范围。"),
        "data-units-none": _("没有匹配的单位。"),
    }


def _attributes(attrs: dict[str, Any]) -> str:
    """In their given order, as Django's widget template writes them (flatatt sorts them)."""
    parts = [
        f" {escape(key)}" if value is True else f' {escape(key)}="{escape(value)}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    ]
    return "".join(parts)


def render_select(
    attrs: dict[str, Any],
    rows: UnitRows,
    chosen: set[str],
    *,
    offer: str | None,
    empty_label: Any = None,
) -> SafeString:
    """A unit <select>: the whole offer when short, else its top layer with the search."""
    listed = options(rows.shown(chosen), chosen)
    if not rows.complete and offer is not None:
        attrs = attrs | picker_attrs(offer)
    empty = ""
    if empty_label is not None:
        selected = " selected" if "" in chosen else ""
        empty = f'<option value=""{selected}>{escape(empty_label)}</option>'
    # Every part is escaped above (names by html.escape, labels and attributes by escape).
    return mark_safe(f"<select{_attributes(attrs)}>{empty}{listed}</select>")  # noqa: S308


class UnitSelect(forms.Select):
    """The widget of org.forms.UnitChoiceField: labels are the indented names (the field's
    label_from_instance is not consulted, as no instances are built)."""

    # The offer's name in org/offers.py; without one a long offer is listed whole.
    offer: str | None = None
    # Set by a form whose selects offer the same units; otherwise each reads its own.
    unit_rows: UnitRows | None = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        final = {"name": name} | self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        field = getattr(self.choices, "field", None)
        units = getattr(field, "queryset", None)
        if units is None:  # not `or`: a queryset's truth would run it
            units = Unit.objects.none()
        rows = self.unit_rows or UnitRows(units, searchable=self.offer is not None)
        empty_label = None if self.allow_multiple_selected else getattr(field, "empty_label", "")
        return render_select(final, rows, chosen, offer=self.offer, empty_label=empty_label)


class UnitSelectMultiple(UnitSelect, forms.SelectMultiple):
    pass
