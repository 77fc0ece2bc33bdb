from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from duban.audit.models import Event
from duban.audit.types import CHOICES

PER_PAGE = 50


def _page(events: Any, asked: str | None) -> tuple[list[Event], int, bool]:
    """One page of the log, newest first, and whether an older page follows.

    No total: a province's log holds millions of events, and counting a city head's share of
    them took 0.9 s on every visit; a log is read from its newest end, a page at a time.
    """
    number = int(asked) if asked and asked.isdigit() and 0 < int(asked) < 10**6 else 1
    start = (number - 1) * PER_PAGE
    rows = list(events.order_by("-seq")[start : start + PER_PAGE + 1])
    return rows[:PER_PAGE], number, len(rows) > PER_PAGE


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.restrict(request.user, "view").select_related("actor", "unit")
    selected = request.GET.get("type", "")
    if selected.isdigit():
        events = events.filter(type=int(selected))
    rows, number, more = _page(events, request.GET.get("page"))
    carried = urlencode({"type": selected}) if selected.isdigit() else ""
    return render(
        request,
        "audit/event_list.html",
        {
            "rows": rows,
            "number": number,
            "more": more,
            "carried": carried,
            "types": CHOICES,
            "selected": selected,
            "nav": "audit",
        },
    )
