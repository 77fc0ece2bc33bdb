"""/api/v1/units: the units this person may see, in tree order."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from duban.api import schemas as s
from duban.api.auth import actor
from duban.api.errors import ErrorOut
from duban.org.models import Unit

router = Router(tags=["units"])


@router.get("/units", response={200: s.UnitPage, 401: ErrorOut}, summary="单位")
def list_units(
    request: HttpRequest,
    q: str | None = Query(None, description="按单位名称检索"),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    qs = Unit.objects.restrict(actor(request))
    if q and q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return {"count": qs.count(), "items": list(qs[offset : offset + limit])}
