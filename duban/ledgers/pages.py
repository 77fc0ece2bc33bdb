"""Which rows a 台账 page shows, found without reading the scope's items one by one.

The page's rows come from its queryset, sorted and sliced, unless a cheaper way gives the
same ids in the same order (tests/test_pages.py checks each against the queryset):

- **A scope's own reach rows** (`by_reach_rows`), when the filters (a 标签 among them) and the
  sort read only their columns and the scope has one root: the scope's rows sorted from one
  index without the table, merged with the person's own items (ledgers/counts.py counts the
  same two parts). Always for a narrow scope (a unit, a district), whose union of ways in the
  total and the page each read whole (a district head: 101 → 32 ms). For a wide one only for
  overdue items newest first: the page walks the registration-time index and reads items until
  enough are in scope and match, cheap when they are common, but overdue items are old, and a
  city's newest 20 red lights lay behind 28,000 newer items (18 ms); and for a 标签 by due date.
  For other filters the walk is the cheaper.
- **A keyword short of the whole tree, or a narrow scope the reach rows cannot serve**
  (`found_once`). The total and the page each ran the search: each built the trigram and reach
  bitmaps and read every match from the table (a city head's 老旧小区: 26 ms and 28 ms). Short of
  the whole tree the matches are few (a city holds a sixteenth of the province's), so their ids
  come in order in one query, their number is the total and the page reads its rows by id. The
  whole tree's matches are many, and its first page comes from the registration-time index
  without reading them all: it keeps the two queries, as does a search of over IDS_CAP matches.
  Counting a frequent keyword's whole-tree matches costs more than a page has (老旧小区: 140 ms);
  once counted, the worker keeps that count (ledgers/keyword_tally.py), which the next search
  takes instead (`_keep_count`).
- **The whole tree by registration time** (`by_created_index`): the page's ids from the
  registration-time index alone, then its rows by id.

Rows found by id are read from `by_id`, the same rows each tested on its own
(ItemQuerySet.restrict_rows).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window

from duban.items import reach
from duban.items.access import scope_extent, scope_of
from duban.items.models import Item
from duban.ledgers import keyword_tally
from duban.ledgers.counts import (
    fast_count,
    keyword_tallied,
    row_filters_only,
    scope_roots,
    scope_rows,
)
from duban.ledgers.filters import FILTER_KEYS, ORDERINGS, filtered, ledger_items
from duban.ledgers.search import search

IDS_CAP = 10_000
DEFAULT_PER = 20  # rows a page shows when the person chose no other number
ROW_PAGE_CAP = 20_000
IdsOf = Callable[[slice], list[int]]


class CountedPaginator(Paginator):
    def known(self, count: int | None) -> None:
        """Take a total counted another way (ledgers/counts.py) instead of counting the rows."""
        if count is not None:
            self.__dict__["count"] = count  # where the `count` cached_property keeps its value


class OrderedRows(Sequence[Any]):
    """`total` rows whose ids for a slice `ids_of` gives in order, read from `rows` by id."""

    def __init__(self, total: int, ids_of: IdsOf, rows: QuerySet[Any], source: str) -> None:
        self.total, self.ids_of, self.rows = total, ids_of, rows
        self.source = source  # "reach rows", "ids" or "index": which way found them

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        wanted = self.ids_of(index)
        found = {row.pk: row for row in self.rows.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]  # one deleted since: left out


def paged(
    user: Any, data: Mapping[str, Any], rows: QuerySet[Any], by_id: QuerySet[Any] | None = None
) -> tuple[Sequence[Any] | QuerySet[Any], int | None]:
    """(what the paginator pages, the total if it is known already) for the sorted `rows`; a
    page found by id reads its rows from `by_id`, or else from `rows`."""
    by_id = rows if by_id is None else by_id
    by_rows = by_reach_rows(user, data, by_id) if _rows_worth_it(user, data) else None
    if by_rows is not None:
        return by_rows, len(by_rows)
    found = found_once(user, data, rows, by_id)
    if found is not None:
        return found, len(found)
    total = fast_count(user, data)
    if total is None and keyword_tallied(user, data):
        total = rows.count()
        _keep_count(data["q"].strip(), total)
        return rows, total
    walked = by_created_index(user, data, rows, by_id, total)
    return (rows, total) if walked is None else (walked, total)


def _keep_count(term: str, total: int) -> None:
    """Have the worker keep the count of a keyword the whole tree holds often (counting it cost
    what a page has), from the next search on."""
    if total >= keyword_tally.TRACK_FROM and keyword_tally.trackable(term):
        from duban.ledgers.tasks import track_keyword  # the tasks module imports this one

        track_keyword(term)


def _rows_worth_it(user: Any, data: Mapping[str, Any]) -> bool:
    """Whether the reach rows page faster than the items (see above): a wide scope's walk finds
    any other page soon, and sorting its rows costs more (open by due date: 37 → 46 ms; green,
    or one source: 49 → 61 ms)."""
    scope = scope_of(user, "view")
    if scope is None or scope_extent(user, scope)[1]:  # wide
        if data.get("tag"):
            # A tag's few items of the scope: by due date sorted from the scope's rows (a city's
            # 333 open 乡村振兴 items: 55 → 38 ms), where the walk of the open items' due-date
            # index read 1,220 of them first; by registration time walked from them (`_walks`).
            return True
        overdue = data.get("light") == "red" or data.get("due") == "overdue"
        return overdue and (data.get("sort") or "-created") == "-created"
    return True


def found_once(
    user: Any, data: Mapping[str, Any], rows: QuerySet[Any], by_id: QuerySet[Any]
) -> OrderedRows | None:
    """A keyword's matches in a scope short of the whole tree, or a narrow scope's matches, in
    one query (None: not so)."""
    scope = scope_of(user, "view")
    if scope is None:
        return None
    whole_tree, wide = scope_extent(user, scope)
    if whole_tree or not (data.get("q") or not wide):
        return None
    ids = list(rows.values_list("pk", flat=True)[: IDS_CAP + 1])
    if len(ids) > IDS_CAP:
        return None
    return OrderedRows(len(ids), ids.__getitem__, by_id, "ids")


# Per sort: the columns it reads (as on Item and on a ReachRow), the SQL order on a ReachRow and
# whether Python sorts the merged (key, id) pairs in reverse. The orders are ORDERINGS' own.
_due = F("due_date")
ROW_SORTS: dict[str, tuple[str, list[Any], bool]] = {
    "-created": ("created_at", ["-created_at", "-item_id"], True),
    "created": ("created_at", ["created_at", "item_id"], False),
    "due": ("due_date", [_due.asc(nulls_last=True), "item_id"], False),
    "-due": ("due_date", [_due.desc(nulls_last=True), "-item_id"], True),
}


def by_reach_rows(
    user: Any, data: Mapping[str, Any], by_id: QuerySet[Any], cap: int = ROW_PAGE_CAP
) -> OrderedRows | None:
    """The page's ids from a single-root scope's reach rows and the person's own items, when the
    filters and the sort read only columns the rows carry and they hold at most `cap` items."""
    sort = data.get("sort") or "-created"
    scope = scope_of(user, "view")
    if not reach.available() or sort not in ROW_SORTS or scope is None:
        return None
    if not row_filters_only(data):
        return None
    whole_tree = scope_extent(user, scope)[0]
    if whole_tree or len(scope_roots(scope)) != 1:  # one root: one row per item, no item twice
        return None
    column, order, reverse = ROW_SORTS[sort]
    shared = scope_rows(scope, whole_tree, data).order_by(*order)
    if _walks(user, scope, data):
        shared_total = shared.count()
        read = list(shared.values_list(column, "item_id")[: _page_stop(data)])
    else:
        # The rows' total and the page's first rows in one statement: counting them and sorting
        # them read the same rows (a city's open 乡村振兴 by due date: 45 → 41 ms a page).
        counted = shared.annotate(total=Window(Count("item_id")))
        first = list(counted.values_list(column, "item_id", "total")[: _page_stop(data)])
        shared_total = first[0][2] if first else 0
        read = [(value, pk) for value, pk, _ in first]
    if shared_total > cap:
        return None
    # The person's own items are few: all of them, sorted here with the rest. Asked for in order,
    # PostgreSQL walks the registration-time index for them, expecting many (0.65 s).
    own = filtered(Item.objects.restrict_personal(user, "view"), data).order_by()
    own_pairs = list(own.values_list(column, "pk"))
    total = shared_total + len(own_pairs)

    def ids_of(part: slice) -> list[int]:
        stop = part.stop if part.stop is not None else total
        rows = read if stop <= len(read) or len(read) == shared_total else None
        if rows is None:
            rows = list(shared.values_list(column, "item_id")[:stop])
        pairs = [*rows[:stop], *own_pairs]
        pairs.sort(key=lambda pair: place(pair, reverse), reverse=reverse)
        return [pk for _, pk in pairs[part]]

    return OrderedRows(total, ids_of, by_id, "reach rows")


def _walks(user: Any, scope: Any, data: Mapping[str, Any]) -> bool:
    """Whether the page's rows are walked from the scope's rows by registration time, each
    tested for the tag by its id, apart from their count: a wide scope's 标签, where counting
    them with the page read all the scope's rows (a city's 61,000) for the tag's (items/reach_rows
    CREATED_INDEX; the city's 民生实事: 16 → 9 ms)."""
    wide = scope_extent(user, scope)[1]
    return (
        wide
        and bool(data.get("tag"))
        and (data.get("sort") or "-created") in ("-created", "created")
    )


def _page_stop(data: Mapping[str, Any]) -> int:
    """How many rows the page the view will show reaches down to (its number times its size)."""
    per = int(data.get("per") or DEFAULT_PER)
    return max(int(data.get("page") or 1), 1) * per


def by_created_index(
    user: Any,
    data: Mapping[str, Any],
    rows: QuerySet[Any],
    by_id: QuerySet[Any],
    total: int | None,
) -> OrderedRows | None:
    """The whole tree's page by registration time: its ids first, from a walk of the item_created
    index alone, then its rows by id. The index carries every column the reach rows' filters and
    the 涉密 rule read; walking it with the table, the province's newest 20 red lights cost
    18,000 heap reads (12 ms), without it 18,000 index entries (2.6 ms). Only when the total is
    known already (fast_count): the whole tree, filters on the rows' columns."""
    sort = data.get("sort") or "-created"
    scope = scope_of(user, "view")
    if total is None or sort not in ("-created", "created") or scope is None:
        return None
    if not scope_extent(user, scope)[0]:
        return None
    walk = _walked(user, data, rows)
    return OrderedRows(
        total, lambda part: list(walk.values_list("pk", flat=True)[part]), by_id, "index"
    )


def _walked(user: Any, data: Mapping[str, Any], rows: QuerySet[Any]) -> QuerySet[Any]:
    """What the walk reads: `rows`, or, for a kept keyword with other filters, the items the
    other filters keep, each then tested for the keyword by its id. As a filter of the walk, the
    keyword read every item walked from the table, where the index alone answers the others
    (the province's newest 20 red 老旧小区: 33,700 items read, 43 ms, against 600, 12 ms)."""
    q = (data.get("q") or "").strip()
    others = {key: value for key, value in data.items() if key != "q"}
    if not q or not set(FILTER_KEYS) & {key for key, value in others.items() if value}:
        return rows
    holding = search(Item.objects.filter(pk=OuterRef("pk")), q, pair_asked=True)
    items = ledger_items(user, others).filter(Exists(holding))
    return items.order_by(*ORDERINGS[data.get("sort") or "-created"])


def place(pair: tuple[Any, int], reverse: bool) -> tuple[bool, Any, int]:
    """A (value, id) pair's sort key: empty values after the others in either direction, as
    `nulls_last` puts them in SQL."""
    value, pk = pair
    return (value is None) != reverse, value if value is not None else 0, pk
