"""The 台账's total on PostgreSQL, from each item's reach rows.

A city head's or the province head's total over the items table reads every item counted from
the table (0.15–0.2 s at a million items), a district's the union of its ways in. When the filters
in force read only the columns the reach rows carry (filters.ROW_FILTERS), the total is instead
the scope's own rows, counted from one btree index without the table (items/reach_rows.py), plus
the few items the person sees by name or as 涉密 (`restrict_personal`), counted on the items. The
whole tree's shared part, when the filters read only state, source and due date
(filters.TALLY_FILTERS), is a sum over the tally of those columns (items/tally.py) instead of a
million rows. A 标签 adds a semi-join of the tag's rows; the whole tree's items with only a tag
are the tag's rows less the 涉密 items'. The whole tree's items holding a keyword, filtered at most
as the tally is, are the keyword's kept count when it is frequent enough to be kept
(keyword_tally.py), plus the person's own. Otherwise, and on SQLite, the page counts its queryset
as before (None here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from duban.items import reach, tally
from duban.items.access import Scope, scope_extent, scope_of
from duban.items.models import Confidentiality, Item, ItemTag, ReachRow
from duban.items.reach import rows_q, scope_roots
from duban.ledgers import keyword_tally
from duban.ledgers.filters import (
    DUE_DATE_FILTERS,
    FILTER_KEYS,
    ROW_FILTERS,
    TALLY_FILTERS,
    filtered,
    row_q,
)

TAG = "tag"
KEYWORD_FILTERS = TALLY_FILTERS | {"q"}


def fast_count(user: Any, data: Mapping[str, Any]) -> int | None:
    """The number of items `ledger_items(user, data)` holds, or None to count those."""
    if not reach.available():
        return None
    if keyword_tallied(user, data):
        return _keyword_count(user, data)
    if not row_filters_only(data):
        return None
    scope = scope_of(user, "view")
    if scope is None:
        return None
    whole_tree = scope_extent(user, scope)[0]
    personal = _personal(user, data)
    given = _given(data)
    tag = data.get("tag") or ""
    if whole_tree and given <= TALLY_FILTERS:
        return tally.count(row_q(data), by_day=bool(given & DUE_DATE_FILTERS)) + personal
    if whole_tree and given == {TAG}:
        return _tagged_shared(tag) + personal
    rows = scope_rows(scope, whole_tree, data)
    if whole_tree or len(scope_roots(scope)) == 1:
        shared = rows.count()  # an item has one row per unit: no item twice
    else:
        shared = rows.values("item_id").distinct().count()
    return shared + personal


def keyword_tallied(user: Any, data: Mapping[str, Any]) -> bool:
    """Whether the page searches the whole tree for a keyword, and filters at most on state,
    source and due date (what a kept keyword's count is by: ledgers/keyword_tally.py)."""
    scope = scope_of(user, "view")
    given = _given(data)
    whole_tree = scope is not None and scope_extent(user, scope)[0]
    kept = "q" in given and given <= KEYWORD_FILTERS and data.get("due") != "provisional"
    return whole_tree and kept


def _keyword_count(user: Any, data: Mapping[str, Any]) -> int | None:
    """A kept keyword's count, and the person's own items that hold it."""
    by_day = bool(_given(data) & DUE_DATE_FILTERS)
    shared = keyword_tally.count(data["q"].strip(), row_q(data), by_day=by_day)
    return None if shared is None else shared + _personal(user, data)


def _personal(user: Any, data: Mapping[str, Any]) -> int:
    """The items the person sees by name or as 涉密 that the filters keep."""
    return filtered(Item.objects.restrict_personal(user, "view"), data).count()


def scope_rows(scope: Scope, whole_tree: bool, data: Mapping[str, Any]) -> QuerySet[ReachRow]:
    """The scope's reach rows that the filters in `data` (row_filters_only) keep."""
    rows = ReachRow.objects.filter(rows_q(scope, whole_tree) & row_q(data))
    if data.get(TAG):
        # The tag's rows merged with the scope's (a city's 60,000 of one index): 14 ms, where
        # testing each tagged item's reach read 62,000 of them from the table (0.2 s).
        rows = rows.filter(item_id__in=ItemTag.objects.filter(name=data[TAG]).values("item_id"))
    return rows


def _tagged_shared(tag: str) -> int:
    """The whole tree's items with the tag: all of them but the 涉密, whose ids a small partial
    index lists (Item.Meta item_secret), hashed; no item read."""
    secret = Item.objects.filter(confidentiality=Confidentiality.SECRET).values("id")
    return ItemTag.objects.filter(name=tag).exclude(item_id__in=secret).count()


def _given(data: Mapping[str, Any]) -> set[str]:
    return {key for key in FILTER_KEYS if data.get(key) not in (None, "")}


def row_filters_only(data: Mapping[str, Any]) -> bool:
    return _given(data) <= ROW_FILTERS | {TAG} and data.get("due") != "provisional"
