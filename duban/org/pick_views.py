"""The unit picker's search: units of a named offer matching what was typed, as JSON.

The offer is recomputed for the person from its name (org/offers.py), so the answer holds only
units the form would accept; the browser cannot widen it. Two queries, whatever the offer's size:
the matches (one more than shown, to tell whether there are more) and the names of their
ancestors in the offer, which make two units of one name (each county's 办公室) distinguishable.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from duban.core.http import AuthedRequest
from duban.org.models import Unit
from duban.org.offers import UnknownOffer, offered
from duban.org.picker import FIELDS, Row

PICK_LIMIT = 50  # a list one can still read through; typing another character narrows it
QUERY_MAX = 50  # as the 台账's 关键词


def _refuse(code: str, message: str) -> JsonResponse:
    body = {"code": code, "message": message}
    return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})


def matches(units: QuerySet[Unit], typed: str) -> tuple[list[Row], bool]:
    """The first PICK_LIMIT units in tree order whose name, short name or code holds `typed`."""
    if typed:
        units = units.filter(
            Q(name__icontains=typed) | Q(short_name__icontains=typed) | Q(code__icontains=typed)
        )
    rows = list(units.values_list(*FIELDS)[: PICK_LIMIT + 1])
    return rows[:PICK_LIMIT], len(rows) > PICK_LIMIT


def _ancestors(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")][:-1]


def labelled(units: QuerySet[Unit], rows: list[Row]) -> list[dict[str, object]]:
    """Each unit named after its ancestors in the offer, 「济南市 / 历城区 / 办公室」: read
    through the offer, so no name outside it is shown."""
    wanted = {pk for row in rows for pk in _ancestors(row[3])}
    names: dict[int, str] = {}
    if wanted:
        found = units.filter(pk__in=wanted).values_list("pk", "short_name", "name")
        names = {pk: short or name for pk, short, name in found}
    results: list[dict[str, object]] = []
    for pk, name, depth, path in rows:
        chain = [names[a] for a in _ancestors(path) if a in names]
        results.append({"id": pk, "label": " / ".join([*chain, name]), "depth": depth})
    return results


@require_GET
@login_required
def unit_pick(request: AuthedRequest) -> HttpResponse:
    typed = request.GET.get("q", "").strip()
    if len(typed) > QUERY_MAX:
        message = _("搜索词不能超过 %(limit)d 个字。") % {"limit": QUERY_MAX}
        return _refuse("query_too_long", message)
    try:
        units = offered(request.user, request.GET.get("offer", ""))
    except UnknownOffer:
        return _refuse("unknown_offer", _("单位范围无效,请刷新页面后重试。"))
    rows, more = matches(units, typed)
    body = {"results": labelled(units, rows), "more": more}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
