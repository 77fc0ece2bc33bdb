"""催办 through the API (seed 004 第七条(五)): the office reminds the handling units by hand.

Posted like the lifecycle actions (items.py) with the version the caller read; the rules (state,
scope, a required message, an active handling unit) are items/reminding.py's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from duban.api.items import DETAIL, ERRORS, _unit, run_action, visible_item
from duban.api.schemas import UnitRef, VersionIn
from duban.items import reminding
from duban.items.models import Item

router = Router(tags=["reminders"])


class RemindIn(VersionIn):
    # Blank default: the action refuses a missing message with its own Chinese label.
    message: str = Field("", description="催办内容(必填)")
    unit: int | None = Field(None, description="只催办这一个承办单位;缺省催办全部承办单位")


class ReminderOut(Schema):
    id: int
    item_id: int
    unit: UnitRef
    message: str
    sent_by: str | None
    sent_at: dt.datetime
    answered_at: dt.datetime | None = Field(description="该单位此后报送进展或意见的时间")

    @staticmethod
    def resolve_sent_by(obj: Any) -> str | None:
        return str(obj.sent_by) if obj.sent_by_id else None


@router.get("/items/{item_id}/reminders", response={200: list[ReminderOut], **ERRORS})
def item_reminders(request: HttpRequest, item_id: int) -> Any:
    """The item's reminders, newest first, each with when its unit answered by reporting."""
    return reminding.reminders_for(visible_item(request, item_id))


@router.post("/items/{item_id}/remind", response=DETAIL, summary="催办")
def remind(request: HttpRequest, item_id: int, payload: RemindIn) -> Item:
    unit = _unit(request, payload.unit, "unit") if payload.unit is not None else None
    message = payload.message
    return run_action(
        request, item_id, payload.version, reminding.remind, message=message, unit=unit
    )
