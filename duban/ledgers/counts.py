"""The 台账's total on PostgreSQL, from each item's reach rows.

A city head's or the province head's total over the items table reads every item counted from
the table (0.15–0.2 s at a million items), a district's the union of its ways in. When the filters
in force read only the columns the reach rows carry (filters.ROW_FILTERS), the total is instead
the scope's own rows, counted from one btree index without the table (items/reach_rows.py), plus
the few items the person sees by name or as 涉密 (`restrict_personal`), counted on the items. The
whole tree's shared part, when the filters read only state, source and due date
(filters.TALLY_FILTERS), is a sum over the tally of those columns (items/tally.py) instead of a
million rows. Otherwise, and on SQLite, the page counts its queryset as before (None here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from duban.items import reach, tally
from duban.items.access import Scope, scope_extent, scope_of
from duban.items.models import Item, ReachRow
from duban.ledgers.filters import (
    DUE_DATE_FILTERS,
    FILTER_KEYS,
    ROW_FILTERS,
    TALLY_FILTERS,
    filtered,
    row_q,
)
from duban.org.models import Unit

REGISTERED = (1, 3)  # ways: registered under the unit (or both)
HANDLED = (2, 3)


def fast_count(user: Any, data: Mapping[str, Any]) -> int | None:
    """The number of items `ledger_items(user, data)` holds, or None to count those."""
    if not reach.available() or not row_filters_only(data):
        return None
    scope = scope_of(user, "view")
    if scope is None:
        return None
    whole_tree = scope_extent(user, scope)[0]
    personal = filtered(Item.objects.restrict_personal(user, "view"), data).count()
    given = _given(data)
    if whole_tree and given <= TALLY_FILTERS:
        return tally.count(row_q(data), by_day=bool(given & DUE_DATE_FILTERS)) + personal
    rows = ReachRow.objects.filter(rows_q(scope, whole_tree) & row_q(data))
    if whole_tree or len(scope_roots(scope)) == 1:
        shared = rows.count()  # an item has one row per unit: no item twice
    else:
        shared = rows.values("item_id").distinct().count()
    return shared + personal


def _given(data: Mapping[str, Any]) -> set[str]:
    return {key for key in FILTER_KEYS if data.get(key) not in (None, "")}


def row_filters_only(data: Mapping[str, Any]) -> bool:
    return _given(data) <= ROW_FILTERS and data.get("due") != "provisional"


def scope_roots(scope: Scope) -> set[int]:
    return {reach.unit_id(path) for path in (*scope.office_roots, *scope.handling_roots)}


def rows_q(scope: Scope, whole_tree: bool) -> Q:
    if whole_tree:
        # Every item is registered under exactly one top-level unit. Their ids as a list, not a
        # subquery: told which units, PostgreSQL expects a million rows and counts them in
        # parallel (0.10 s, against 0.20 s guessing a thousand).
        tops = list(Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
        return Q(unit_id__in=tops, ways__in=REGISTERED)
    office = {reach.unit_id(path) for path in scope.office_roots}
    handling = {reach.unit_id(path) for path in scope.handling_roots}
    if office == handling:
        return Q(unit_id__in=sorted(handling))
    return Q(unit_id__in=sorted(office), ways__in=REGISTERED) | Q(
        unit_id__in=sorted(handling), ways__in=HANDLED
    )
