"""Reports through the API: progress, co-units' input, the final report and its sign-off.

The actions are items/reporting.py's, posted like the lifecycle actions (items.py) with the
version the caller read. Files on a report are uploaded as multipart by api/attachments.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from duban.api import schemas as s
from duban.api.auth import actor
from duban.api.items import DETAIL, ERRORS, run_action, visible_item
from duban.items import reporting
from duban.items.access import visible_reports
from duban.items.models import Item

router = Router(tags=["reports"])


@router.get("/items/{item_id}/reports", response={200: list[s.ReportOut], **ERRORS})
def item_reports(request: HttpRequest, item_id: int) -> Any:
    """The item's reports, newest first, with those of its linked items (一次填报、多方复用)."""
    return visible_reports(actor(request), visible_item(request, item_id))


@router.post("/items/{item_id}/report_progress", response=DETAIL, summary="报送进展")
def report_progress(request: HttpRequest, item_id: int, payload: s.ReportIn) -> Item:
    text = payload.dict(include={"content", "problems", "next_steps"})
    return run_action(request, item_id, payload.version, reporting.report_progress, **text)


@router.post("/items/{item_id}/submit_plan", response=DETAIL, summary="报送工作方案")
def submit_plan(request: HttpRequest, item_id: int, payload: s.PlanIn) -> Item:
    """工作方案 (seed 004 第十一条), sent by the lead unit's liaison after signing."""
    content = payload.content
    return run_action(request, item_id, payload.version, reporting.submit_plan, content=content)


@router.post("/items/{item_id}/co_input", response=DETAIL, summary="报送协办意见")
def co_input(request: HttpRequest, item_id: int, payload: s.CoInputIn) -> Item:
    content = payload.content
    return run_action(request, item_id, payload.version, reporting.co_input, content=content)


@router.post("/items/{item_id}/draft_final", response=DETAIL, summary="起草办结报告")
def draft_final(request: HttpRequest, item_id: int, payload: s.ReportIn) -> Item:
    text = payload.dict(include={"content", "problems", "next_steps"})
    return run_action(request, item_id, payload.version, reporting.draft_final, **text)


@router.post("/items/{item_id}/submit_for_signoff", response=DETAIL, summary="送单位领导审签")
def submit_for_signoff(request: HttpRequest, item_id: int, payload: s.VersionIn) -> Item:
    return run_action(request, item_id, payload.version, reporting.submit_for_signoff)


@router.post("/items/{item_id}/sign_off", response=DETAIL, summary="审签办结报告")
def sign_off(request: HttpRequest, item_id: int, payload: s.SignOffIn) -> Item:
    answer = {"comment": payload.comment, "send": payload.send}
    return run_action(request, item_id, payload.version, reporting.sign_off, **answer)
