"""统计分析 (the office's page) and 领导驾驶舱 (the leaders' page): one set of figures, two layouts.

Both read dashboards.build over the person's `restrict(user, "view")` scope; the page only chooses
which figures to show first. Charts are drawn in the browser by ledgers/dashboard.js from JSON in
the page (the CSP forbids inline scripts), and every number is also a 台账 link in plain HTML.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from duban.core.http import AuthedRequest
from duban.ledgers import dashboard_access  # noqa: F401  (registers the page permissions)
from duban.ledgers.dashboard_charts import charts
from duban.ledgers.dashboard_forms import PeriodForm
from duban.ledgers.dashboards import SHOWN_ROWS, build, period_label
from duban.org.access import can


def _page(request: AuthedRequest, template: str, tab: str) -> HttpResponse:
    if not can(request.user, "dashboard", "view"):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    period = form.period()
    board = build(request.user, period, fresh=request.GET.get("fresh") == "1")
    query = request.GET.copy()
    query.pop("fresh", None)
    fresh = query.copy()
    fresh["fresh"] = "1"
    context = {
        "query": query.urlencode(),
        "fresh_query": fresh.urlencode(),
        "form": form,
        "board": board,
        "charts": charts(board),
        "period_label": period_label(period),
        "tab": tab,
        "shown": SHOWN_ROWS,
        "shown_slice": f":{SHOWN_ROWS}",
        "nav": "dashboard",
    }
    return render(request, template, context)


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    return _page(request, "ledgers/dashboard.html", "office")


@login_required
def cockpit(request: AuthedRequest) -> HttpResponse:
    return _page(request, "ledgers/cockpit.html", "cockpit")
