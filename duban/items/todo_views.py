"""One of the 工作台's to-do lists in full (/items/todo/<key>/).

The panel shows the first few of each list and how many there are. Most lists (待签收, 待报送进展,
被催办事项 …) have no 台账 filter that gives the same rows, so a liaison with twenty items to sign
for had no page that listed them all: this is that page, built from the very querysets the panel
counts (items/workbench.py), so the two always agree.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.http import AuthedRequest
from duban.items.lights import light_case, with_light
from duban.items.models import Item
from duban.items.workbench import row_list, todo_lists
from duban.ledgers.columns import COLUMNS

PER_PAGE = 50
SHOWN = ["seq", "title", "source", "lead_unit", "due_date", "state", "light"]


@login_required
def todo_list(request: AuthedRequest, key: str) -> HttpResponse:
    lists = todo_lists(request.user)
    if key not in lists:
        # Not a list, or not one of this person's: their 工作台 never links here.
        raise Http404(_("没有这个待办清单。"))
    title, items, query = lists[key]
    light = light_case()
    rows = with_light(items, case=light).select_related("lead_unit")
    rows = rows.defer("content", "search_text").order_by("due_date", "id")
    shown = Item.objects.restrict_rows(request.user, "view")
    by_id = with_light(shown, case=light).select_related("lead_unit")
    by_id = by_id.defer("content", "search_text")
    listed = row_list(request.user, key, clock.today(), by_id, wide=True)
    page = Paginator(rows if listed is None else listed, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "title": title,
        "page": page,
        "columns": SHOWN,
        "headers": [(col, COLUMNS[col].label, "") for col in SHOWN],
        "today": clock.today(),
        "ledger_query": query,
        "nav": "workbench",
    }
    return render(request, "items/todo_list.html", context)
