"""挂图作战 page and its print sheet (A3 or A4 landscape): the 台账's parameters choose the rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.http import AuthedRequest
from duban.ledgers import dashboard_access  # noqa: F401  (registers the page permissions)
from duban.ledgers.counts import fast_count
from duban.ledgers.filters import FILTER_KEYS, cleaned, ledger_items, parse
from duban.ledgers.wallchart import WALL_LIMIT, Group, build
from duban.org.access import can

PAPERS = ("a3", "a4")
# The ledger filters the wall chart offers on its own page; the others are carried along.
SHOWN = ("q", "state", "source", "light", "lead_unit", "leader")


def _context(request: AuthedRequest) -> dict[str, object]:
    if not can(request.user, "wallchart", "view"):
        raise PermissionDenied
    form = parse(request.user, request.GET)
    data = cleaned(form)
    form.fields["leader"].widget.attrs.setdefault("placeholder", _("责任领导"))
    group: Group = "leader" if request.GET.get("group") == "leader" else "unit"
    items = ledger_items(request.user, data)
    total = fast_count(request.user, data)
    total = items.count() if total is None else total
    chart = None
    if total <= WALL_LIMIT:
        chart = build(items, group, data.get("per"), request.GET.get("page"), total)
    query = request.GET.copy()
    for key in ("page", "group", "paper"):
        query.pop(key, None)
    return {
        "form": form,
        "chart": chart,
        "total": total,
        "limit": WALL_LIMIT,
        "group": group,
        "filters": query.urlencode(),
        # The 台账's own fields: its unit select is short for a long offer (org/picker.py).
        "shown": [form[name] for name in SHOWN],
        "carried": [
            (key, value)
            for key in (*FILTER_KEYS, "view", "per")
            if key not in SHOWN
            for value in request.GET.getlist(key)
            if value
        ],
        "today": clock.today(),
        "nav": "wallchart",
    }


@login_required
def wallchart(request: AuthedRequest) -> HttpResponse:
    return render(request, "ledgers/wallchart.html", _context(request))


@login_required
def wallchart_print(request: AuthedRequest) -> HttpResponse:
    context = _context(request)
    paper = request.GET.get("paper")
    context["paper"] = paper if paper in PAPERS else "a3"
    return render(request, "ledgers/wallchart_print.html", context)
