"""The 台账 filters (issue 6 item 1), shared by the ledger page, its XLSX export, the dashboards'
drill-down links and the wall chart: one set of GET parameter names means a chart's link opens
exactly the ledger rows it counted.

Parameter names (the contract between those pages; more are added here, never invented elsewhere):
q (title, 文号 or content), state (an ItemState, "open" or "closed"), source, light, lead_unit,
co_unit (an active co-unit), leader (责任领导, exact), due (overdue, on_time, provisional),
due_from/due_to, created_from/created_to, completed_from/completed_to (YYYY-MM-DD, inclusive),
outcome (A–D), late ("1" completed late, "0" on time), extended ("1"), returned ("1"), tag (one
标签, exact), view (a
专项台账's id: its saved parameters, under the ones given), sort, per, page, cols.

Use: `form = parse(user, request.GET)`; `items = ordered(ledger_items(user, cleaned(form)), ...)`.
Every filter is a plain condition on an indexed column of items_item or an EXISTS over the indexed
active ItemUnit rows — no join per row — so filter, sort and count stay cheap at a million items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import clock
from duban.items.lights import light_q, with_light
from duban.items.models import (
    OPEN_STATES,
    ItemQuerySet,
    ItemState,
    ItemTag,
    ItemUnit,
    UnitRole,
)
from duban.ledgers.forms import MORE_FILTERS, LedgerFilterForm
from duban.ledgers.models import SavedView
from duban.ledgers.search import search, searchable

CLOSED_STATES = (ItemState.COMPLETED, ItemState.ARCHIVED)
# Parameters a 专项台账 keeps as its filters (sort and cols are kept in their own fields).
FILTER_KEYS = (
    "q",
    "state",
    "source",
    "light",
    "lead_unit",
    "co_unit",
    "leader",
    "due",
    *MORE_FILTERS,
)


def with_saved_view(user: Any, query: Mapping[str, Any]) -> tuple[QueryDict, SavedView | None]:
    """The parameters to use: a visible 专项台账's saved ones, overridden by those given."""
    given = query if isinstance(query, QueryDict) else _querydict(query)
    view = None
    raw = given.get("view", "")
    if str(raw).isdigit():
        view = SavedView.objects.visible_to(user).filter(pk=int(raw)).first()
    if view is None:
        return given, None
    merged = _querydict(view.params)
    if view.sort:
        merged["sort"] = view.sort
    if view.columns:
        merged.setlist("cols", list(view.columns))
    for key, values in given.lists():
        merged.setlist(key, values)
    return merged, view


def _querydict(values: Mapping[str, Any]) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in values.items():
        result.setlist(key, [str(v) for v in value] if isinstance(value, list | tuple) else [value])
    return result


def parse(user: Any, query: Mapping[str, Any]) -> LedgerFilterForm:
    """The bound, validated filter form (with a saved view's parameters merged in)."""
    params, view = with_saved_view(user, query)
    form = LedgerFilterForm(user, params)
    form.saved_view = view
    form.is_valid()
    if params.get("view") and view is None and "view" not in form.errors:
        form.add_error("view", _("专项台账不存在,或您无权查看。"))
    return form


def cleaned(form: LedgerFilterForm) -> dict[str, Any]:
    """The values that parsed; a bad parameter is left out, the others still apply."""
    if not hasattr(form, "cleaned_data"):
        form.is_valid()
    return dict(form.cleaned_data)


def ledger_items(user: Any, data: Mapping[str, Any]) -> ItemQuerySet:
    """The items `user` may view, narrowed by the cleaned filter values in `data`."""
    items, pair_asked = searchable(user, data.get("q") or "")
    return filtered(items, data, pair_asked=pair_asked)


def filtered(
    items: ItemQuerySet, data: Mapping[str, Any], *, pair_asked: bool = False
) -> ItemQuerySet:
    """Narrow `items` by the cleaned filter values in `data` (LedgerFilterForm.cleaned_data);
    `pair_asked`: `items` ask a two-character keyword's pair already (ledger_items)."""
    if data.get("q"):
        items = search(items, data["q"], pair_asked=pair_asked)
    items = items.filter(_field_q(data) & _state_q(data.get("state")) & _due_q(data.get("due")))
    items = items.filter(_date_q(data) & _flags_q(data))
    if data.get("light"):
        items = items.filter(light_q(data["light"]))
    if data.get("co_unit"):
        items = items.filter(Exists(_co_rows(data["co_unit"])))
    if data.get("tag", "").strip():
        tagged = ItemTag.objects.filter(item=OuterRef("pk"), name=data["tag"].strip())
        items = items.filter(Exists(tagged))
    return items


# The filters that read only state, source, due date and registration time: columns of each
# item's reach rows (items/reach_rows.py), which ledgers/counts.py counts from. The rows carry the
# lead unit too, but a scope's rows of one lead unit are found by reading all of the scope's (a
# city's 60,000 index entries, 12 ms), where the items' own lead-unit index finds its 700 items.
ROW_FILTERS = frozenset(
    {
        "state",
        "source",
        "light",
        "due",
        "due_from",
        "due_to",
        "created_from",
        "created_to",
    }
)

# Those of them the whole tree's tally of items by state, source and due date answers
# (items/tally.py): not the registration time, which it does not keep.
TALLY_FILTERS = ROW_FILTERS - {"created_from", "created_to"}
# Those that read the due date (the light is one): counted from the tally's rows by day.
DUE_DATE_FILTERS = frozenset({"light", "due", "due_from", "due_to"})


def row_q(data: Mapping[str, Any]) -> Q:
    """The ROW_FILTERS of `data` as one condition on those columns (Item's or a ReachRow's)."""
    condition = _field_q(data) & _state_q(data.get("state")) & _due_q(data.get("due"))
    condition &= _date_q(data)
    if data.get("light"):
        condition &= light_q(data["light"])
    return condition


def _field_q(data: Mapping[str, Any]) -> Q:
    condition = Q()
    for field in ("source", "outcome", "lead_unit"):
        if data.get(field):
            condition &= Q(**{field: data[field]})
    if data.get("leader"):
        condition &= Q(responsible_leader=data["leader"].strip())
    return condition


def _state_q(state: str | None) -> Q:
    if state == "open":
        return Q(state__in=OPEN_STATES)
    if state == "closed":
        return Q(state__in=CLOSED_STATES)
    return Q(state=state) if state else Q()


def _due_q(due: str | None) -> Q:
    today = clock.today()
    if due == "overdue":
        return Q(state__in=OPEN_STATES, due_date__lt=today)
    if due == "on_time":
        return Q(state__in=OPEN_STATES, due_date__gte=today)
    if due == "provisional":
        return Q(provisional=True)
    return Q()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _date_q(data: Mapping[str, Any]) -> Q:
    """Inclusive day ranges; timestamps compare against local midnights so an index serves."""
    condition = Q()
    if data.get("due_from"):
        condition &= Q(due_date__gte=data["due_from"])
    if data.get("due_to"):
        condition &= Q(due_date__lte=data["due_to"])
    for prefix, column in (("created", "created_at"), ("completed", "completed_at")):
        if data.get(f"{prefix}_from"):
            condition &= Q(**{f"{column}__gte": _day_start(data[f"{prefix}_from"])})
        if data.get(f"{prefix}_to"):
            end = _day_start(data[f"{prefix}_to"] + dt.timedelta(days=1))
            condition &= Q(**{f"{column}__lt": end})
    return condition


def _flags_q(data: Mapping[str, Any]) -> Q:
    condition = Q()
    if data.get("late") in ("0", "1"):
        condition &= Q(completed_late=data["late"] == "1")
    if data.get("extended") == "1":
        condition &= Q(extension_count__gt=0)
    if data.get("returned") == "1":
        condition &= Q(return_count__gt=0)
    return condition


def _co_rows(unit: Any) -> QuerySet[ItemUnit]:
    return ItemUnit.objects.filter(
        item=OuterRef("pk"), unit=unit, role=UnitRole.CO, declined_at__isnull=True
    )


# Sorting ------------------------------------------------------------------------------------

_LIGHT_RANK = Case(
    When(light="red", then=Value(0)),
    When(light="yellow", then=Value(1)),
    When(light="green", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
ORDERINGS: dict[str, list[Any]] = {
    # Ties by id in the index's own direction (item_due), so the first page is read in order.
    "due": [F("due_date").asc(nulls_last=True), "id"],
    "-due": [F("due_date").desc(nulls_last=True), "-id"],
    "created": ["created_at", "id"],
    "-created": ["-created_at", "-id"],
    "title": ["title", "id"],
    "lead_unit": [F("lead_unit__path").asc(nulls_last=True), "due_date", "id"],
    "light": ["light_rank", F("due_date").asc(nulls_last=True), "id"],
    "-completed": [F("completed_at").desc(nulls_last=True), "-id"],
}


def ordered(items: ItemQuerySet, sort: str | None, light: Case | None = None) -> QuerySet[Any]:
    """The items with their live `light` annotated (a CASE over their own columns, `light` if
    given: see lights.light_case) and sorted."""
    lit = with_light(items, case=light)
    if sort == "light":
        lit = lit.annotate(light_rank=_LIGHT_RANK)
    return lit.order_by(*ORDERINGS.get(sort or "-created", ORDERINGS["-created"]))
