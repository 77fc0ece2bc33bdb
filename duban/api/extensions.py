"""Extensions (延期, seed 004 第十八条) through the API: asked by the unit, decided by the head.

The rules (only before the deadline, the rule's cap, a note to refuse) are items/extending.py's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from duban.api import schemas as s
from duban.api.items import DETAIL, ERRORS, run_action, visible_item
from duban.items import extending
from duban.items.models import ExtensionRequest, Item
from duban.org.models import User
from duban.org.validation import fail

router = Router(tags=["extensions"])


@router.get("/items/{item_id}/extensions", response={200: list[s.ExtensionOut], **ERRORS})
def item_extensions(request: HttpRequest, item_id: int) -> Any:
    """Every request on the item, newest first, with the deadline before each one."""
    item = visible_item(request, item_id)
    rows = ExtensionRequest.objects.filter(item=item)
    return rows.select_related("unit", "requested_by", "decided_by").order_by("-requested_at")


@router.post("/items/{item_id}/request_extension", response=DETAIL, summary="申请延期")
def request_extension(request: HttpRequest, item_id: int, payload: s.ExtensionIn) -> Item:
    fields = payload.dict(exclude={"version"})
    return run_action(request, item_id, payload.version, extending.request_extension, **fields)


def _decide(item: Item, *, actor: User | None, **decision: Any) -> ExtensionRequest:
    """The pending request, decided on the item as the caller read it (its version)."""
    pending = extending.pending(item)
    if pending is None:
        raise fail("extension", _("该事项没有待审批的延期申请。"))
    pending.item = item
    return extending.decide_extension(pending, actor=actor, **decision)


@router.post("/items/{item_id}/decide_extension", response=DETAIL, summary="审批延期")
def decide_extension(request: HttpRequest, item_id: int, payload: s.DecisionIn) -> Item:
    decision = payload.dict(exclude={"version"})
    return run_action(request, item_id, payload.version, _decide, **decision)
