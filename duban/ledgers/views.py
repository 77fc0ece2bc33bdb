"""The 台账 pages: the 综合台账 (URL items:list, /items/), its print view, and the 专项台账 actions.

The page runs a constant number of queries whatever the page size (pinned by
tests/test_ledger_page.py): the rows with their lead unit in one query, the co-units in one
prefetch when that column shows, the count in one, the saved views in one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import Model, Prefetch, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core import clock
from duban.core.http import AuthedRequest
from duban.items.lights import light_case, with_light
from duban.items.models import Item, ItemTag, ItemUnit, UnitRole
from duban.ledgers import actions
from duban.ledgers.columns import COLUMNS, chosen
from duban.ledgers.filters import FILTER_KEYS, cleaned, ledger_items, ordered, parse
from duban.ledgers.forms import LedgerFilterForm
from duban.ledgers.models import SavedView
from duban.ledgers.pages import DEFAULT_PER, CountedPaginator, paged
from duban.org.access import can


@dataclass
class Ledger:
    form: LedgerFilterForm
    page: Page[Any]
    columns: list[str]
    query: str
    view: SavedView | None

    def carried(self) -> list[tuple[str, str]]:
        """The parameters in force as hidden inputs, so 保存 keeps what the page shows."""
        data: QueryDict = self.form.data  # type: ignore[assignment]  # parse() binds a QueryDict
        errors = self.form.errors
        keys = [*FILTER_KEYS, "sort", "cols"]
        return [(k, v) for k in keys if k not in errors for v in data.getlist(k) if v != ""]


def _ledger(request: AuthedRequest) -> Ledger:
    form = parse(request.user, request.GET)
    data = cleaned(form)
    columns = chosen(data.get("cols"))
    light = light_case()
    items = _shown(ordered(ledger_items(request.user, data), data.get("sort"), light), columns)
    # A page found by id (ledgers/pages.py) reads its rows each tested on its own.
    by_id = with_light(Item.objects.restrict_rows(request.user, "view"), case=light)
    by_id = _shown(by_id, columns)
    listed, total = paged(request.user, data, items, by_id)
    paginator = CountedPaginator(listed, data.get("per") or DEFAULT_PER)
    paginator.known(total)
    page = paginator.get_page(data.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Ledger(form, page, columns, query.urlencode(), form.saved_view)


def _shown(items: QuerySet[Any], columns: list[str]) -> QuerySet[Any]:
    """The rows with what the columns shown read: the lead unit, and the co-units if shown; not
    the texts no column shows (the content, and the search text that repeats it)."""
    items = items.select_related("lead_unit").defer("content", "search_text")
    if "co_units" in columns:
        co_rows = ItemUnit.objects.filter(declined_at__isnull=True, role=UnitRole.CO)
        rows = Prefetch("units", co_rows.select_related("unit"), to_attr="co_rows")
        items = items.prefetch_related(rows)
    if "tags" in columns:
        items = items.prefetch_related(Prefetch("tags", ItemTag.objects.order_by("id")))
    return items


def _summary(form: LedgerFilterForm) -> list[tuple[str, str]]:
    """(label, value) of each filter in force, for the print header."""
    data = cleaned(form)
    rows = []
    for name in FILTER_KEYS:
        value = data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if isinstance(value, Model) or isinstance(field, ModelChoiceField):
            shown = str(value)  # a unit by its name, without listing every unit again
        elif isinstance(value, dt.date):
            shown = value.isoformat()
        else:
            shown = str(dict(getattr(field, "choices", ())).get(value, value))
        rows.append((str(field.label), shown))
    return rows


# A column header that sorts: the sort it asks for, and the reverse when that is already in force.
HEADER_SORTS = {
    "title": ("title", None),
    "lead_unit": ("lead_unit", None),
    "due_date": ("due", "-due"),
    "light": ("light", None),
    "created_at": ("-created", "created"),
    "completed_at": ("-completed", None),
}


def _headers(request: AuthedRequest, ledger: Ledger) -> list[tuple[str, Any, str]]:
    """(key, label, link that sorts by it or "") for each column shown."""
    current = cleaned(ledger.form).get("sort") or "-created"
    query = request.GET.copy()
    query.pop("page", None)
    headers = []
    for key in ledger.columns:
        link = ""
        if key in HEADER_SORTS:
            first, second = HEADER_SORTS[key]
            query["sort"] = second if current == first and second else first
            link = "?" + query.urlencode()
        headers.append((key, COLUMNS[key].label, link))
    return headers


def _context(request: AuthedRequest, ledger: Ledger) -> dict[str, Any]:
    views = SavedView.objects.visible_to(request.user).select_related("owner_unit")
    return {
        "form": ledger.form,
        "page": ledger.page,
        "columns": ledger.columns,
        "headers": _headers(request, ledger),
        "query": ledger.query,
        "view": ledger.view,
        "carried": ledger.carried(),
        "saved_views": views,
        "today": clock.today(),
        "nav": "items",
    }


@login_required
def ledger(request: AuthedRequest) -> HttpResponse:
    ledger = _ledger(request)
    context = _context(request, ledger)
    context["can_create"] = can(request.user, "item", "change")
    context["can_edit_view"] = ledger.view is not None and ledger.view.editable_by(request.user)
    context["own_units"] = actions.own_units(request.user)
    context["sortable"] = True
    return render(request, "ledgers/ledger.html", context)


@login_required
def ledger_print(request: AuthedRequest) -> HttpResponse:
    ledger = _ledger(request)
    context = _context(request, ledger)
    context["summary"] = _summary(ledger.form)
    context["printed_at"] = timezone.localtime()
    return render(request, "ledgers/print.html", context)


# 专项台账 ------------------------------------------------------------------------------------


def _page_params(request: AuthedRequest) -> tuple[dict[str, Any], list[str], str]:
    """The filters, columns and sort the page shows now, as the action keeps them."""
    data = _without_view(request.POST)
    form = parse(request.user, data)
    params = {key: data.get(key, "") for key in FILTER_KEYS if key not in form.errors}
    columns = data.getlist("cols") if "cols" not in form.errors else []
    sort = data.get("sort", "") if "sort" not in form.errors else ""
    return params, columns, sort


def _without_view(post: QueryDict) -> QueryDict:
    copy = post.copy()
    for key in ("view", "csrfmiddlewaretoken", "name", "owner_unit"):
        copy.pop(key, None)
    return copy


def _open(view: SavedView) -> HttpResponse:
    return redirect(f"{reverse('items:list')}?view={view.pk}")


def _refused(
    request: AuthedRequest,
    error: ValidationError | PermissionDenied,
    view: SavedView | None = None,
) -> HttpResponse:
    """Say why in Chinese on the ledger, back where the person was; nothing was changed."""
    text = "".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text)
    return _open(view) if view is not None else redirect("items:list")


def _visible(request: AuthedRequest, pk: int) -> SavedView:
    return get_object_or_404(SavedView.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def view_create(request: AuthedRequest) -> HttpResponse:
    units = {unit.pk: unit for unit in actions.own_units(request.user)}
    raw = request.POST.get("owner_unit") or (next(iter(units)) if len(units) == 1 else "")
    unit = units.get(int(raw)) if str(raw).isdigit() else None
    if unit is None:
        return _refused(request, ValidationError(_("请选择专项台账的所属单位。")))
    params, columns, sort = _page_params(request)
    try:
        view = actions.create_view(
            actor=request.user,
            owner_unit=unit,
            name=request.POST.get("name", ""),
            params=params,
            columns=columns,
            sort=sort,
        )
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error)
    messages.success(request, _("已保存专项台账「%(name)s」。") % {"name": view.name})
    return _open(view)


@login_required
@require_POST
def view_rename(request: AuthedRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    try:
        actions.rename_view(view, actor=request.user, name=request.POST.get("name", ""))
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, view)
    messages.success(request, _("已重命名为「%(name)s」。") % {"name": view.name})
    return _open(view)


@login_required
@require_POST
def view_update(request: AuthedRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    params, columns, sort = _page_params(request)
    try:
        actions.update_view(view, actor=request.user, params=params, columns=columns, sort=sort)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, view)
    messages.success(request, _("已更新专项台账「%(name)s」的筛选条件。") % {"name": view.name})
    return _open(view)


@login_required
@require_POST
def view_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    view = _visible(request, pk)
    name = view.name
    try:
        actions.delete_view(view, actor=request.user)
    except PermissionDenied as error:
        return _refused(request, error, view)
    messages.success(request, _("已删除专项台账「%(name)s」。") % {"name": name})
    return redirect("items:list")
