"""The 工作台 warning: next year is still 暂定 (issue 3 item 2, from 1 November)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from duban.core import clock
from duban.core.workbench import Panel, register
from duban.org.access import can
from duban.workdays.models import NATIONAL, CalendarYear, YearState

WARN_FROM = (11, 1)  # the State Council notice usually appears in November


def needs_warning(today: dt.date, next_year_official: bool) -> bool:
    return not next_year_official and (today.month, today.day) >= WARN_FROM


def _today() -> dt.date:
    return clock.today()


@register
def provisional_next_year(request: HttpRequest) -> Panel | None:
    if not can(request.user, "calendar", "manage"):
        return None
    today = _today()
    year = today.year + 1
    official = CalendarYear.objects.filter(
        region__code=NATIONAL, year=year, state=YearState.OFFICIAL
    ).exists()
    if not needs_warning(today, official):
        return None
    return Panel("workdays/panel_provisional.html", {"year": year}, order=5)
