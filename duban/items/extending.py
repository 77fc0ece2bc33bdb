"""延期 (seed 004 第十八条): the lead unit asks before the deadline; an office head decides.

第十八条: a unit that cannot finish in time "要提前向督查机构报告原因、进展情况和下一步工作打算,
并申请延长办理期限". So a request carries reason, progress and next steps, is refused on or after
the due date, and only one may be pending. On approval the due date moves, `original_due_date`
keeps the first deadline, and the rule's cap on the total extension holds (第十六条(七): 人大建议、
政协提案 3 months, at most 6), counted in the rule's own unit from the assignment date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items.access import check
from duban.items.actions import _claim, _row_for, atomic
from duban.items.models import ExtensionRequest, ExtensionState, Item
from duban.org.access import can
from duban.org.models import User
from duban.org.validation import check_optional, check_required, fail
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import DeadlineError
from duban.workdays.rules import rule_deadline

TEXT_MAX = 5000


def _today() -> dt.date:
    return clock.today()


def _person(actor: User | None) -> User:
    """An extension is asked by a person: the system (actor None) cannot ask for one."""
    if actor is None:
        raise ValueError("extension requests need a person as actor")
    return actor


def latest_allowed(item: Item) -> dt.date | None:
    """The latest due date the rule's cap allows, or None when the rule sets no cap."""
    rule = item.deadline_rule
    if rule is None or rule.max_extension is None or item.deadline_start is None:
        return None
    try:
        return rule_deadline(rule, calendar_for(), item.deadline_start, rule.max_extension).due
    except DeadlineError:
        return None


def _check_cap(item: Item, day: dt.date, field: str) -> None:
    cap = latest_allowed(item)
    if cap is not None and day > cap:
        rule = item.deadline_rule
        assert rule is not None  # noqa: S101  (latest_allowed found one)
        message = _(
            "「%(rule)s」延期合计不得超过 %(n)d%(unit)s(%(article)s),最迟只能延至 %(cap)s。"
        ) % {
            "rule": rule.name,
            "n": rule.max_extension,
            "unit": rule.get_kind_display(),
            "article": rule.article,
            "cap": cap.isoformat(),
        }
        raise fail(field, message)


def _before_deadline(item: Item) -> None:
    """第十八条 要提前: on or after the due date it is too late to ask."""
    if item.due_date is None:
        raise fail("due_date", _("事项没有办理时限,无需申请延期。"))
    if _today() >= item.due_date:
        raise fail(
            "due_date",
            _("延期须在办理时限(%(due)s)之前申请;已到或超过时限,不能再申请延期。")
            % {"due": item.due_date.isoformat()},
        )


def pending(item: Item) -> ExtensionRequest | None:
    return item.extensions.filter(state=ExtensionState.PENDING).first()


@atomic
def request_extension(
    item: Item,
    *,
    actor: User | None,
    reason: str,
    progress: str,
    next_steps: str,
    requested_date: dt.date | None,
) -> ExtensionRequest:
    """延期申请 by the lead unit's liaison, before the deadline, one pending at a time."""
    row = check(actor, item, "request_extension")
    found = _row_for(actor, item, "request_extension", None)
    text = {
        "reason": check_required(reason, "reason", _("延期理由"), TEXT_MAX),
        "progress": check_required(progress, "progress", _("目前进展"), TEXT_MAX),
        "next_steps": check_required(next_steps, "next_steps", _("下步措施"), TEXT_MAX),
    }
    _before_deadline(item)
    assert item.due_date is not None  # noqa: S101  (checked above)
    if requested_date is None or requested_date <= item.due_date:
        raise fail(
            "requested_date",
            _("申请延至日期须晚于现办理时限 %(due)s。") % {"due": item.due_date.isoformat()},
        )
    _check_cap(item, requested_date, "requested_date")
    if pending(item) is not None:
        raise fail("requested_date", _("已有一份延期申请待审批,请等待审批结果或先撤回。"))
    _claim(item)
    request = ExtensionRequest.objects.create(
        item=item,
        unit=found.unit,
        requested_date=requested_date,
        due_before=item.due_date,
        requested_by=_person(actor),
        **text,
    )
    details = {
        "action": row.action,
        "from": row.source,
        "to": row.target,
        "extension": request.pk,
        "requested_date": requested_date.isoformat(),
        "reason": text["reason"],
    }
    record(
        EventType.ITEM_EXTENSION_REQUESTED,
        actor=actor,
        unit=found.unit,
        target=item,
        details=details,
    )
    return request


def _pending_of(request: ExtensionRequest) -> None:
    if request.state != ExtensionState.PENDING:
        raise fail(
            "state",
            _("该延期申请已「%(state)s」,不能再处理。") % {"state": request.get_state_display()},
        )


def _approved_fields(item: Item, granted: dt.date) -> dict[str, Any]:
    assert item.due_date is not None  # noqa: S101  (a request exists only with a due date)
    cal = calendar_for()
    start = item.deadline_start or _today()
    note = _("经批准延期,办理时限由 %(old)s 延至 %(new)s。") % {
        "old": item.due_date.isoformat(),
        "new": granted.isoformat(),
    }
    return {
        "due_date": granted,
        "original_due_date": item.original_due_date or item.due_date,
        "extension_count": F("extension_count") + 1,
        "provisional": cal.is_provisional(start + dt.timedelta(days=1), granted),
        "deadline_explanation": f"{item.deadline_explanation}\n{note}".strip(),
    }


@atomic
def decide_extension(
    request: ExtensionRequest,
    *,
    actor: User | None,
    approve: bool,
    granted_date: dt.date | None = None,
    note: str = "",
) -> ExtensionRequest:
    """An office head approves (to the requested or another date) or refuses with a note."""
    item = request.item
    row = check(actor, item, "decide_extension")
    _pending_of(request)
    note = check_optional(note, "decision_note", _("审批意见"), TEXT_MAX)
    if approve:
        granted = granted_date or request.requested_date
        if item.due_date is not None and granted <= item.due_date:
            raise fail(
                "granted_date",
                _("批准延至日期须晚于现办理时限 %(due)s。") % {"due": item.due_date.isoformat()},
            )
        _check_cap(item, granted, "granted_date")
        _claim(item, **_approved_fields(item, granted))
        request.granted_date, request.state = granted, ExtensionState.APPROVED
    else:
        if not note:
            raise fail("decision_note", _("不同意延期须填写审批意见。"))
        _claim(item)
        request.state = ExtensionState.REJECTED
    request.decision_note, request.decided_by = note, actor
    request.decided_at = clock.now()
    request.save()
    _record_decision(request, item, actor, row.action)
    return request


def _record_decision(request: ExtensionRequest, item: Item, actor: Any, action: str) -> None:
    approved = request.state == ExtensionState.APPROVED
    details: dict[str, Any] = {"action": action, "extension": request.pk}
    if approved and request.granted_date:
        details |= {"from_due": request.due_before.isoformat()}
        details |= {"to_due": request.granted_date.isoformat()}
    if request.decision_note:
        details["note"] = request.decision_note
    kind = EventType.ITEM_EXTENSION_APPROVED if approved else EventType.ITEM_EXTENSION_REJECTED
    record(kind, actor=actor, unit=item.owner_unit, target=item, details=details)


@atomic
def withdraw_extension(request: ExtensionRequest, *, actor: User | None) -> ExtensionRequest:
    """The requester takes a pending request back (and may then ask again)."""
    item = request.item
    _pending_of(request)
    still_liaison = actor is not None and can(actor, "item", "request_extension", request.unit)
    if actor is not None and (request.requested_by_id != actor.pk or not still_liaison):
        raise fail("state", _("只有申请人本人可以撤回延期申请。"))
    _claim(item)
    request.state = ExtensionState.WITHDRAWN
    request.save(update_fields=["state"])
    details = {"action": "withdraw_extension", "extension": request.pk}
    record(
        EventType.ITEM_EXTENSION_WITHDRAWN,
        actor=actor,
        unit=request.unit,
        target=item,
        details=details,
    )
    return request
