"""挂图作战 page and its print sheet (A3 or A4 landscape): the 台账's parameters choose the rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from duban.core.http import AuthedRequest
from duban.ledgers import dashboard_access  # noqa: F401  (registers the page permissions)
from duban.ledgers.filters import FILTER_KEYS, cleaned, ledger_items, parse
from duban.ledgers.wallchart import Group, build
from duban.org.access import can
from duban.org.models import Unit

PAPERS = ("a3", "a4")
# The ledger filters the wall chart offers on its own page; the others are carried along.
SHOWN = ("q", "state", "source", "light", "lead_unit", "leader")


def _unit_select(request: AuthedRequest) -> str:
    """The 主办单位 select as plain HTML: a province offers thousands of units, and Django's
    per-option widget templates took seconds to render them (same names and values as the 台账's,
    indented by depth, with the type-to-filter box of duban/select-filter.js)."""
    chosen = request.GET.get("lead_unit", "")
    rows = Unit.objects.restrict(request.user, "view").order_by("path")
    options = format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (pk, mark_safe(" selected") if str(pk) == chosen else "", "\u3000" * depth, name)
            for pk, name, depth in rows.values_list("pk", "name", "depth")
        ),
    )
    return format_html(
        '<select name="lead_unit" class="form-select" id="wall-lead-unit" data-filter=""'
        ' data-filter-placeholder="{}"><option value="">{}</option>{}</select>',
        _("输入名称筛选"),
        _("全部主办单位"),
        options,
    )


def _context(request: AuthedRequest) -> dict[str, object]:
    if not can(request.user, "wallchart", "view"):
        raise PermissionDenied
    form = parse(request.user, request.GET)
    data = cleaned(form)
    form.fields["leader"].widget.attrs.setdefault("placeholder", _("责任领导"))
    group: Group = "leader" if request.GET.get("group") == "leader" else "unit"
    chart = build(ledger_items(request.user, data), group, data.get("per"), request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "group", "paper"):
        query.pop(key, None)
    return {
        "form": form,
        "chart": chart,
        "group": group,
        "filters": query.urlencode(),
        "shown": [_unit_select(request) if name == "lead_unit" else form[name] for name in SHOWN],
        "carried": [
            (key, value)
            for key in (*FILTER_KEYS, "view", "per")
            if key not in SHOWN
            for value in request.GET.getlist(key)
            if value
        ],
        "today": timezone.localdate(),
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
