from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.audit.models import Event
from duban.audit.types import CHOICES


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.restrict(request.user, "view").select_related("actor", "unit")
    selected = request.GET.get("type", "")
    if selected.isdigit():
        events = events.filter(type=int(selected))
    page = Paginator(events.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "types": CHOICES,
            "selected": selected,
            "nav": "audit",
        },
    )
