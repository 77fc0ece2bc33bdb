"""Calendar pages (issue 3 item 8): the year view, loading a year with a preview, the rules.

Administrators and office heads see them (access.py 「calendar_pages」); loading a year needs
「calendar」 manage and editing a rule 「deadline_rule」 manage, the same checks the actions make.
"""

from __future__ import annotations

import calendar as stdcal
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.http import AuthedRequest
from duban.org.access import can
from duban.workdays import actions
from duban.workdays.arrays import HORIZON_FIRST, HORIZON_LAST, WEEKDAYS, Calendar, is_weekend
from duban.workdays.calendars import calendar_for
from duban.workdays.forms import LoadYearForm, RuleForm
from duban.workdays.models import NATIONAL, CalendarYear, DeadlineRule, Region, YearState
from duban.workdays.year_loading import (
    Arrangement,
    ArrangementError,
    apply_year,
    preview,
    read_arrangement,
)

NAV = "calendar"


def _require(request: AuthedRequest, resource: str, action: str) -> None:
    if not can(request.user, resource, action):
        raise PermissionDenied(_("您没有权限执行此操作。"))


# Year view ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    day: dt.date | None  # None pads the first and last week of a month
    kind: str = ""  # holiday, swap, weekend or workday: a CSS class cal-<kind>
    name: str = ""


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[Cell]]


def _cell(cal: Calendar, day: dt.date, month: int) -> Cell:
    if day.month != month:
        return Cell(None)
    workday = cal.is_workday(day)
    name = cal.named.get(day.toordinal(), (workday, ""))[1]
    if workday:
        kind = "swap" if is_weekend(day.toordinal()) else "workday"
    else:
        kind = "holiday" if name else "weekend"
    return Cell(day, kind, name)


def month_grids(cal: Calendar, year: int) -> list[Month]:
    """Twelve Monday-first grids, read from the cached arrays (no query per day)."""
    weeks = stdcal.Calendar(firstweekday=0)
    return [
        Month(m, [[_cell(cal, d, m) for d in week] for week in weeks.monthdatescalendar(year, m)])
        for m in range(1, 13)
    ]


def _year_arg(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return min(max(year, HORIZON_FIRST.year), HORIZON_LAST.year)


def _region_arg(request: AuthedRequest) -> Region:
    code = request.GET.get("region", NATIONAL).strip().upper()[:8]
    return Region.objects.filter(code=code).first() or get_object_or_404(Region, code=NATIONAL)


@login_required
def year_view(request: AuthedRequest) -> HttpResponse:
    _require(request, "calendar_pages", "view")
    year, region = _year_arg(request), _region_arg(request)
    cal = calendar_for(region.code)
    official = CalendarYear.objects.filter(region=region, year=year, state=YearState.OFFICIAL)
    context = {
        "nav": NAV,
        "year": year,
        "region": region,
        "regions": Region.objects.all(),
        "months": month_grids(cal, year),
        "weekdays": WEEKDAYS,
        "provisional": year in cal.provisional_years,
        "official": official.first(),
        "version": cal.version,
        "prev_year": year - 1 if year > HORIZON_FIRST.year else None,
        "next_year": year + 1 if year < HORIZON_LAST.year else None,
        "can_load": can(request.user, "calendar", "manage"),
        "today": clock.today(),
    }
    return render(request, "workdays/year.html", context)


# Loading a year -----------------------------------------------------------------------------


def _read(form: LoadYearForm) -> Arrangement | None:
    """The arrangement from the form, or None with the problems put on the form."""
    data = form.cleaned_data
    upload = data.get("file")
    try:
        if upload is not None:
            return read_arrangement(data["year"], data["source"], data=upload.read())
        return read_arrangement(data["year"], data["source"], text=data["lines"])
    except ArrangementError as error:
        field = "file" if upload is not None else "lines"
        for problem in error.errors:
            form.add_error("source" if problem.field == "文号" else field, str(problem))
        return None


@login_required
def load_year(request: AuthedRequest) -> HttpResponse:
    """POST 1 shows the preview with a hidden copy of the input; POST 2 (confirm) applies."""
    _require(request, "calendar", "manage")
    form = LoadYearForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"nav": NAV, "form": form}
    if request.method != "POST":
        return render(request, "workdays/load_year.html", context)
    arrangement = _read(form) if form.is_valid() else None
    if arrangement is None:
        return render(request, "workdays/load_year.html", context, status=400)
    region = form.cleaned_data["region"]
    if request.POST.get("confirm") != "1":
        context.update(arrangement=arrangement, preview=preview(arrangement, region))
        return render(request, "workdays/load_preview.html", context)
    version = apply_year(arrangement, region, actor=request.user)
    messages.success(
        request,
        _("已载入 %(year)d 年放假安排,日历版本 v%(n)d。")
        % {"year": arrangement.year, "n": version.number},
    )
    url = reverse("workdays:year")
    return redirect(f"{url}?year={arrangement.year}&region={region.code}")


# Deadline rules -----------------------------------------------------------------------------


@login_required
def rule_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "calendar_pages", "view")
    context = {
        "nav": NAV,
        "rules": DeadlineRule.objects.all(),
        "can_manage": can(request.user, "deadline_rule", "manage"),
    }
    return render(request, "workdays/rule_list.html", context)


def _rule_initial(rule: DeadlineRule) -> dict[str, Any]:
    return {field: getattr(rule, field) for field in actions.RULE_FIELDS}


@login_required
def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require(request, "calendar_pages", "view")
    _require(request, "deadline_rule", "manage")
    rule = get_object_or_404(DeadlineRule, pk=pk)
    form = RuleForm(request.POST or None, initial=_rule_initial(rule))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_rule(rule, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach_errors(error)
        else:
            messages.success(request, _("已保存期限规则「%(name)s」。") % {"name": rule.name})
            return redirect("workdays:rules")
    page = {
        "title": _("修改期限规则"),
        "pretitle": rule.name,
        "cancel_url": reverse("workdays:rules"),
        "nav": NAV,
    }
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page": page, "nav": NAV}
    return render(request, "org/form_page.html", context, status=status)
