"""/api/v1/items: the same `restrict` and `actions` as the pages (DESIGN.md 「API and pages」).

Every lifecycle action is `POST /items/{id}/<action>`, named as in items/states.py, so the names
that `GET /items/{id}/actions` lists are exactly the paths a caller may post to. Each body carries
the `version` the caller read: the action updates only that version, and a stale one is refused
with `conflict` instead of overwriting someone else's change (issue 4 item 9).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from duban.api import schemas as s
from duban.api.auth import actor
from duban.api.errors import ErrorOut
from duban.core import clock
from duban.items import actions, states, timeline
from duban.items.access import available_actions
from duban.items.models import OPEN_STATES, Item, ItemQuerySet, ItemTag
from duban.ledgers.search import search, searchable
from duban.org.models import Membership, Unit, User
from duban.org.validation import fail

router = Router(tags=["items"])
# Ids and offsets beyond a 64-bit integer cannot name a row; the database would raise, not answer.
MAX_ID = 2**63 - 1

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409), ErrorOut)
DETAIL: dict[int, Any] = {200: s.ItemDetailOut, **ERRORS}


# Lookups: everything starts from restrict(user), so out of scope is 404 like missing -------


def _items(request: HttpRequest) -> ItemQuerySet:
    return Item.objects.restrict(actor(request)).select_related("owner_unit", "lead_unit")


def visible_item(request: HttpRequest, item_id: int) -> Item:
    return _items(request).get(pk=item_id)  # DoesNotExist answers 404 (errors.py)


def _unit(request: HttpRequest, pk: int, field: str) -> Unit:
    unit = Unit.objects.restrict(actor(request)).filter(pk=pk).first()
    if unit is None:
        raise fail(field, _("单位(编号 %(pk)d)不存在,或不在您的管辖范围内。") % {"pk": pk})
    return unit


def _default_owner_unit(user: User) -> Unit:
    """The person's own office, when they sit in exactly one."""
    rows = Membership.objects.active().filter(user=user, role__in=states.OFFICE)
    units = list({row.unit_id: row.unit for row in rows.select_related("unit")}.values())
    if len(units) != 1:
        raise fail("owner_unit", _("请指定登记单位。"))
    return units[0]


def _people(request: HttpRequest, ids: list[int]) -> list[User]:
    people = list(User.objects.restrict(actor(request)).filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise fail("named_people", _("知悉人员中有不存在或不在您管辖范围内的人员。"))
    return people


# Reading ---------------------------------------------------------------------------------


def _filtered(
    qs: ItemQuerySet,
    state: str | None,
    source: str | None,
    lead_unit: int | None,
    overdue: bool | None,
    q: str | None,
    pair_asked: bool = False,
) -> ItemQuerySet:
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    if lead_unit is not None:
        qs = qs.filter(lead_unit_id=lead_unit)
    if overdue is not None:
        late = Q(state__in=OPEN_STATES, due_date__lt=clock.today())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if q and q.strip():
        qs = search(qs, q, pair_asked=pair_asked)
    return qs


@router.get("/items", response={200: s.ItemPage, 401: ErrorOut}, summary="事项台账")
def list_items(
    request: HttpRequest,
    state: str | None = None,
    source: str | None = None,
    lead_unit: int | None = Query(None, ge=1, le=MAX_ID),
    overdue: bool | None = None,
    q: str | None = Query(None, max_length=100, description="按事项名称、文号、内容检索"),
    tag: str | None = Query(None, max_length=20, description="标签(完全一致)"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_ID),
) -> dict[str, Any]:
    items, pair_asked = searchable(actor(request), q or "")
    items = items.select_related("owner_unit", "lead_unit")
    qs = _filtered(items, state, source, lead_unit, overdue, q, pair_asked)
    if tag and tag.strip():
        qs = qs.filter(Exists(ItemTag.objects.filter(item=OuterRef("pk"), name=tag.strip())))
    return {"count": qs.count(), "items": list(qs[offset : offset + limit])}


@router.get("/items/{item_id}", response={200: s.ItemDetailOut, **ERRORS}, summary="事项详情")
def get_item(request: HttpRequest, item_id: int) -> Item:
    return visible_item(request, item_id)


@router.get("/items/{item_id}/events", response={200: list[s.EventOut], **ERRORS})
def item_events(request: HttpRequest, item_id: int) -> Any:
    """The item's timeline, oldest first: its audit events that the person may read.

    The same query as the item page's timeline (items/views.py), so both show the same rows.
    """
    item = visible_item(request, item_id)
    events = timeline.item_events(actor(request), item)
    return events.select_related("actor", "unit").order_by("seq")


@router.get("/items/{item_id}/actions", response={200: list[s.ActionOut], **ERRORS})
def item_actions(request: HttpRequest, item_id: int) -> list[dict[str, Any]]:
    """What this person may do now: the same list the item page turns into buttons."""
    item = visible_item(request, item_id)
    rows = [states.TABLE[(item.state, name)] for name in available_actions(actor(request), item)]
    return [
        {"action": r.action, "label": states.label(r.action), "reason_required": r.reason_required}
        for r in rows
    ]


# Writing -----------------------------------------------------------------------------------


@router.post("/items", response={201: s.ItemDetailOut, **ERRORS}, summary="登记事项(拟办)")
def create_item(request: HttpRequest, payload: s.ItemIn) -> Status[Item]:
    user = actor(request)
    data = payload.dict(exclude={"owner_unit", "named_people"})
    owner = (
        _unit(request, payload.owner_unit, "owner_unit")
        if payload.owner_unit is not None
        else _default_owner_unit(user)
    )
    people = _people(request, payload.named_people)
    item = actions.create_item(actor=user, owner_unit=owner, named_people=people, **data)
    return Status(201, visible_item(request, item.pk))


# Dates sent as null clear the date; other fields sent as null are left as they are.
CLEARABLE = ("source_date", "time_limit")


@router.post("/items/{item_id}/edit", response=DETAIL, summary="修改拟办事项")
def edit(request: HttpRequest, item_id: int, payload: s.ItemEditIn) -> Item:
    """Change a draft: only the fields sent. Its source facts are checked as at registration."""
    sent = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in sent.items() if v is not None or k in CLEARABLE}
    return run_action(request, item_id, payload.version, actions.update_draft, **changes)


def run_action(
    request: HttpRequest, item_id: int, version: int, action: Callable[..., object], **kw: Any
) -> Item:
    """Run one action on the version the caller read, and answer the item as it is now.

    The answer is the item even when the action took it out of the caller's scope (a unit that
    declines no longer handles it): they saw it a moment ago, and need to see that it worked.
    """
    item = visible_item(request, item_id)
    item.version = version
    action(item, actor=actor(request), **kw)
    item.refresh_from_db()
    return item


@router.post("/items/{item_id}/submit", response=DETAIL, summary="送审")
def submit(request: HttpRequest, item_id: int, payload: s.VersionIn) -> Item:
    return run_action(request, item_id, payload.version, actions.submit_for_approval)


@router.post("/items/{item_id}/approve", response=DETAIL, summary="审定同意")
def approve(request: HttpRequest, item_id: int, payload: s.ApproveIn) -> Item:
    return run_action(request, item_id, payload.version, actions.approve, comment=payload.comment)


@router.post("/items/{item_id}/send_back", response=DETAIL, summary="退回修改")
def send_back(request: HttpRequest, item_id: int, payload: s.ReasonIn) -> Item:
    return run_action(request, item_id, payload.version, actions.send_back, reason=payload.reason)


@router.post("/items/{item_id}/assign", response=DETAIL, summary="交办")
def assign(request: HttpRequest, item_id: int, payload: s.AssignIn) -> Item:
    lead = _unit(request, payload.lead_unit, "lead_unit")
    co = [_unit(request, pk, "co_units") for pk in payload.co_units]
    return run_action(
        request,
        item_id,
        payload.version,
        actions.assign,
        lead_unit=lead,
        co_units=co,
        time_limit=payload.time_limit,
        start=payload.start,
    )


def _acting_unit(request: HttpRequest, payload: s.UnitActionIn) -> Unit | None:
    return _unit(request, payload.unit, "unit") if payload.unit is not None else None


@router.post("/items/{item_id}/acknowledge", response=DETAIL, summary="签收")
def acknowledge(request: HttpRequest, item_id: int, payload: s.UnitActionIn) -> Item:
    unit = _acting_unit(request, payload)
    return run_action(request, item_id, payload.version, actions.acknowledge, unit=unit)


# The co-units' 协办签收 is the same call: the action tells the two apart by the person's unit.
@router.post("/items/{item_id}/acknowledge_part", response=DETAIL, summary="协办签收")
def acknowledge_part(request: HttpRequest, item_id: int, payload: s.UnitActionIn) -> Item:
    return acknowledge(request, item_id, payload)


@router.post("/items/{item_id}/decline", response=DETAIL, summary="退回(退单)")
def decline(request: HttpRequest, item_id: int, payload: s.DeclineIn) -> Item:
    unit = _acting_unit(request, payload)
    return run_action(
        request, item_id, payload.version, actions.decline, reason=payload.reason, unit=unit
    )


# 协办退回 likewise: a co-unit's decline takes only that unit off the item.
@router.post("/items/{item_id}/decline_part", response=DETAIL, summary="协办退回")
def decline_part(request: HttpRequest, item_id: int, payload: s.DeclineIn) -> Item:
    return decline(request, item_id, payload)


@router.post("/items/{item_id}/submit_final", response=DETAIL, summary="报送办结报告")
def submit_final(request: HttpRequest, item_id: int, payload: s.FinalReportIn) -> Item:
    return run_action(request, item_id, payload.version, actions.submit_final, text=payload.text)


@router.post("/items/{item_id}/accept", response=DETAIL, summary="审核通过")
def accept(request: HttpRequest, item_id: int, payload: s.AcceptIn) -> Item:
    answer = {"outcome": payload.outcome, "follow_up_date": payload.follow_up_date}
    return run_action(request, item_id, payload.version, actions.accept, **answer)


@router.post("/items/{item_id}/return_for_redo", response=DETAIL, summary="退回重办")
def return_for_redo(request: HttpRequest, item_id: int, payload: s.ReasonIn) -> Item:
    reason = payload.reason
    return run_action(request, item_id, payload.version, actions.return_for_redo, reason=reason)


@router.post("/items/{item_id}/archive", response=DETAIL, summary="归档")
def archive(request: HttpRequest, item_id: int, payload: s.VersionIn) -> Item:
    return run_action(request, item_id, payload.version, actions.archive)


@router.post("/items/{item_id}/reopen", response=DETAIL, summary="回访复核重新办理")
def reopen(request: HttpRequest, item_id: int, payload: s.ReasonIn) -> Item:
    return run_action(request, item_id, payload.version, actions.reopen, reason=payload.reason)


@router.post("/items/{item_id}/cancel", response=DETAIL, summary="撤销")
def cancel(request: HttpRequest, item_id: int, payload: s.ReasonIn) -> Item:
    return run_action(request, item_id, payload.version, actions.cancel, reason=payload.reason)
