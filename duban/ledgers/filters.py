"""The 台账 filters (issue 6 item 1), shared by the ledger page, its XLSX export, the dashboards'
drill-down links and the wall chart: one set of GET parameter names means a chart's link opens
exactly the ledger rows it counted.

Parameter names (the contract between those pages): q, state, source, light, lead_unit, due, sort,
per, page — more are added here, never invented elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone

from duban.items.lights import filter_light
from duban.items.models import Item, ItemQuerySet


def filtered(items: ItemQuerySet, data: Mapping[str, Any]) -> ItemQuerySet:
    """Narrow `items` by the cleaned filter values in `data` (ItemFilterForm.cleaned_data)."""
    if data.get("q"):
        items = items.filter(Q(title__icontains=data["q"]) | Q(doc_number__icontains=data["q"]))
    for field in ("state", "source"):
        if data.get(field):
            items = items.filter(**{field: data[field]})
    if data.get("lead_unit"):
        items = items.filter(lead_unit=data["lead_unit"])
    today = timezone.localdate()
    due = data.get("due")
    if due == "overdue":
        items = items.open().filter(due_date__lt=today)
    elif due == "on_time":
        items = items.open().filter(due_date__gte=today)
    elif due == "provisional":
        items = items.filter(provisional=True)
    if data.get("light"):
        items = filter_light(items, data["light"])  # type: ignore[assignment]
    return items


def ledger_items(user: Any, data: Mapping[str, Any]) -> ItemQuerySet:
    """The items `user` may view, narrowed by the cleaned filter values in `data`."""
    return filtered(Item.objects.restrict(user, "view"), data)
