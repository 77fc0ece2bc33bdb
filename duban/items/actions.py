"""The only code that changes supervision items (shared/DESIGN.md principle 2).

Each action checks the transition table and the person's jurisdiction (items/access.py), validates,
claims the item with `UPDATE ... WHERE version = <the version the caller read>`, and records its
audit event, all in one transaction. A stale version means someone else acted first: the action
refuses with a conflict message instead of overwriting (issue 4 item 9). `actor=None` is the
system itself (importer, demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items import intake, notices, states, tagging
from duban.items.access import acting_row, active_units, check, may_see_secret
from duban.items.models import (
    CHECK_AT_ONCE,
    Confidentiality,
    Item,
    ItemScope,
    ItemSource,
    ItemState,
    ItemUnit,
    MeetingKind,
    Milestone,
    SourceRule,
    UnitRole,
    Urgency,
)
from duban.org.access import can, require
from duban.org.models import Unit, User
from duban.org.validation import check_optional, check_required, fail
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import Deadline, DeadlineError
from duban.workdays.models import DeadlineRule
from duban.workdays.rules import rule_deadline

atomic = transaction.atomic

EVENTS: dict[str, EventType] = {
    "submit": EventType.ITEM_SUBMITTED,
    "approve": EventType.ITEM_APPROVED,
    "send_back": EventType.ITEM_SENT_BACK,
    "assign": EventType.ITEM_ASSIGNED,
    "acknowledge": EventType.ITEM_ACKNOWLEDGED,
    "acknowledge_part": EventType.ITEM_PART_ACKNOWLEDGED,
    "decline": EventType.ITEM_DECLINED,
    "decline_part": EventType.ITEM_DECLINED,
    "report_progress": EventType.ITEM_PROGRESS_REPORTED,
    "submit_final": EventType.ITEM_FINAL_SUBMITTED,
    "request_extension": EventType.ITEM_EXTENSION_REQUESTED,
    "accept": EventType.ITEM_ACCEPTED,
    "return_for_redo": EventType.ITEM_RETURNED,
    "archive": EventType.ITEM_ARCHIVED,
    "reopen": EventType.ITEM_REOPENED,
    "cancel": EventType.ITEM_CANCELLED,
}


# Default rule per source, by the rule's name in workdays (seed 004 第十六条). The rule rows are
# data an administrator edits; sources without an entry need an explicit time limit.
class Conflict(ValidationError):
    """Someone else changed the item since the caller read it."""


# Helpers -------------------------------------------------------------------------------------


def _choice(value: str, field: str, choices: Any, label: str) -> str:
    if value not in choices.values:
        names = "、".join(str(name) for name in choices.labels)
        raise fail(field, _("%(label)s须为以下之一:%(names)s。") % {"label": label, "names": names})
    return value


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise fail("reason", _("请填写理由。"))
    return reason


def _search_text(item: Item) -> str:
    return " ".join(part for part in (item.title, item.doc_number, item.content) if part)


def _claim(item: Item, **fields: Any) -> None:
    """Write `fields` only if nobody changed the item since it was read; else refuse.

    Any change may move the item's light, so the lights sweep looks at it next time."""
    changed = Item.objects.filter(pk=item.pk, version=item.version).update(
        version=F("version") + 1, updated_at=clock.now(), next_check_at=CHECK_AT_ONCE, **fields
    )
    if changed != 1:
        raise Conflict(
            {"version": [_("事项「%(title)s」已被他人修改,请刷新后重试。") % {"title": item.title}]}
        )
    item.refresh_from_db()


def _transition(
    item: Item,
    action: str,
    *,
    actor: User | None,
    reason: str = "",
    unit: Unit | None = None,
    fields: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> Item:
    row = check(actor, item, action)
    if row.reason_required:
        reason = _reason(reason)
    _claim(item, state=row.target, **(fields or {}))
    extra = {"reason": reason} if reason else {}
    record(
        EVENTS[action],
        actor=actor,
        unit=unit or item.owner_unit,
        target=item,
        details={
            "action": action,
            "from": row.source,
            "to": row.target,
            **extra,
            **(details or {}),
        },
    )
    return item


# Intake --------------------------------------------------------------------------------------

DRAFT_FIELDS = (
    "title",
    "source",
    "doc_number",
    "scope",
    "urgency",
    "confidentiality",
    "content",
    "responsible_leader",
    "owner_name",
    "time_limit",
    # The source's own facts (issue 4 item 1); which ones a source uses is in items/intake.py.
    *intake.COLUMNS,
)
# Free-text source facts and their length limits (the model's max_length; 批示内容 is a TextField).
SOURCE_TEXTS = (
    ("source_person", 100),
    ("source_number", 50),
    ("source_text", 2000),
)


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    out = dict(changes)
    if "title" in out:
        out["title"] = check_required(out["title"], "title", _("事项名称"), 200)
    if "source" in out:
        _choice(out["source"], "source", ItemSource, _("来源"))
    if "scope" in out:
        _choice(out["scope"], "scope", ItemScope, _("督查类别"))
    if "urgency" in out:
        _choice(out["urgency"], "urgency", Urgency, _("紧急程度"))
    if "confidentiality" in out:
        _choice(out["confidentiality"], "confidentiality", Confidentiality, _("密级"))
    for field, label, size in (
        ("doc_number", _("文号"), 50),
        ("responsible_leader", _("责任领导"), 50),
        ("owner_name", _("责任人"), 50),
    ):
        if field in out:
            out[field] = check_optional(out[field], field, label, size)
    return _clean_source_facts(out)


def _clean_source_facts(out: dict[str, Any]) -> dict[str, Any]:
    """Lengths and choices; which facts a source needs is checked once merged (`intake.settle`)."""
    for field, size in SOURCE_TEXTS:
        if field in out:
            label = intake.column_label(field)
            out[field] = check_optional(out[field] or "", field, label, size)
    if out.get("meeting_kind"):
        _choice(out["meeting_kind"], "meeting_kind", MeetingKind, _("会议类型"))
    elif "meeting_kind" in out:
        out["meeting_kind"] = ""
    date = out.get("source_date")
    if date is not None and not isinstance(date, dt.date):
        raise fail("source_date", _("批示或会议日期须为日期。"))
    return out


@atomic
def create_item(
    *,
    actor: User | None,
    owner_unit: Unit,
    title: str,
    source: str,
    parent: Item | None = None,
    named_people: Iterable[User] = (),
    strict: bool = True,
    tags: str | Iterable[str] = "",
    **fields: Any,
) -> Item:
    """Register an item as a draft (拟办) of `owner_unit`, the registering office's unit.

    `strict` (the form and the API) requires the facts its source must record (items/intake.py);
    the spreadsheet import passes False, as its columns cannot carry them. Either way a 重要文件
    needs a well-formed 文号 and the facts of other sources are dropped.
    """
    require(actor, "item", "change", owner_unit)
    data = _clean({"title": title, "source": source, **fields})
    data |= intake.settle(data, strict=strict)
    names = tagging.parse_tags(tags)
    item = Item(owner_unit=owner_unit, parent=parent, created_by=actor, **data)
    item.search_text = _search_text(item)
    item.save()
    item.named_people.set(list(named_people))
    tagging.write_tags(item, names)
    record(
        EventType.ITEM_CREATED,
        actor=actor,
        unit=owner_unit,
        target=item,
        details={
            "title": item.title,
            "source": item.source,
            "to": item.state,
            **intake.recorded(item),
            **({"tags": ["", "、".join(names)]} if names else {}),
        },
    )
    return item


def _settled(item: Item, data: dict[str, Any]) -> dict[str, Any]:
    """An edit of the source or its facts is checked against the item's values merged with it.

    A new source starts from none of the old one's facts, even where it uses the same column
    (a 批示领导 is no 人大代表): what the edit does not send is cleared. Edits that touch none of
    them (the assign page updating 责任领导) leave an imported item's incomplete facts alone:
    they are the office's to complete, not a reason to refuse 交办.
    """
    if not set(data) & set(intake.FIELDS):
        return data
    if data.get("source", item.source) != item.source:
        data = intake.BLANK | data
    merged = {field: getattr(item, field) for field in intake.FIELDS} | data
    return data | intake.settle(merged, strict=True)


@atomic
def update_draft(item: Item, *, actor: User | None, **changes: Any) -> Item:
    check(actor, item, "edit")
    data = _settled(item, _clean(changes))
    diff = {k: [str(getattr(item, k) or ""), str(v or "")] for k, v in data.items()}
    diff = {k: pair for k, pair in diff.items() if pair[0] != pair[1]}
    for key, value in data.items():
        setattr(item, key, value)
    _claim(item, search_text=_search_text(item), **data)
    record(EventType.ITEM_UPDATED, actor=actor, unit=item.owner_unit, target=item, details=diff)
    return item


# Approval (拟办送审, seed 001 第七条) ------------------------------------------------------------


@atomic
def submit_for_approval(item: Item, *, actor: User | None) -> Item:
    return _transition(item, "submit", actor=actor)


@atomic
def approve(item: Item, *, actor: User | None, comment: str = "") -> Item:
    details = {"comment": comment.strip()} if comment.strip() else {}
    return _transition(item, "approve", actor=actor, details=details)


@atomic
def send_back(item: Item, *, actor: User | None, reason: str) -> Item:
    return _transition(item, "send_back", actor=actor, reason=reason)


# Assignment (督查交办, seed 004 第七条) -------------------------------------------------------


def source_rule(source: str) -> DeadlineRule | None:
    link = SourceRule.objects.filter(source=source, rule__active=True).select_related("rule")
    found = link.first()
    return found.rule if found else None


def compute_deadline(
    source: str, start: dt.date, *, rule: DeadlineRule | None, time_limit: dt.date | None
) -> tuple[Deadline, DeadlineRule | None]:
    """An explicit time limit overrides the source's rule (seed 004 第十六条(一)(三))."""
    cal = calendar_for()
    if time_limit is not None:
        if time_limit <= start:
            raise fail("time_limit", _("完成时限须晚于交办日期 %(d)s。") % {"d": start.isoformat()})
        provisional = cal.is_provisional(start + dt.timedelta(days=1), time_limit)
        text = _("交办时明确完成时限为 %(d)s,以明确时限为准。") % {"d": time_limit.isoformat()}
        return Deadline(time_limit, provisional, cal.version, text), None
    rule = rule or source_rule(source)
    if rule is None:
        raise fail("time_limit", _("该来源没有适用的期限规则,请填写完成时限。"))
    try:
        return rule_deadline(rule, cal, start), rule
    except DeadlineError as error:
        raise fail("time_limit", error.message) from None


def _check_units(actor: User | None, lead: Unit | None, co: Iterable[Unit]) -> list[Unit]:
    if lead is None:
        raise fail("lead_unit", _("请选择主办单位。"))
    co_units = list(dict.fromkeys(unit for unit in co if unit.pk != lead.pk))
    for field, unit in [("lead_unit", lead)] + [("co_units", u) for u in co_units]:
        if not unit.active:
            raise fail(field, _("单位「%(unit)s」已停用。") % {"unit": unit.name})
        if actor is not None and not can(actor, "item", "assign", unit):
            raise fail(field, _("单位「%(unit)s」不在您的管辖范围内。") % {"unit": unit.name})
    return co_units


@atomic
def assign(
    item: Item,
    *,
    actor: User | None,
    lead_unit: Unit | None,
    co_units: Iterable[Unit] = (),
    rule: DeadlineRule | None = None,
    time_limit: dt.date | None = None,
    start: dt.date | None = None,
) -> Item:
    """交办: name the units and fix the deadline with its explanation (DESIGN principle 5)."""
    check(actor, item, "assign")
    co = _check_units(actor, lead_unit, co_units)
    assert lead_unit is not None  # noqa: S101  (checked above; narrows the type)
    start = start or clock.today()
    limit = time_limit if time_limit is not None else item.time_limit
    result, used_rule = compute_deadline(
        item.source, start, rule=rule or item.deadline_rule, time_limit=limit
    )
    now = clock.now()
    fields = {
        "lead_unit": lead_unit,
        "time_limit": limit,
        "deadline_rule": used_rule,
        "deadline_start": start,
        "due_date": result.due,
        "provisional": result.provisional,
        "calendar_version": result.calendar_version,
        "deadline_explanation": result.explanation,
        "assigned_at": now,
    }
    _transition(
        item,
        "assign",
        actor=actor,
        fields=fields,
        details={
            "lead_unit": lead_unit.pk,
            "co_units": [unit.pk for unit in co],
            "due_date": result.due.isoformat(),
            "provisional": result.provisional,
        },
    )
    # Units of an earlier routing that did not decline are replaced by this one.
    item.units.filter(declined_at__isnull=True).delete()
    ItemUnit.objects.bulk_create(
        [ItemUnit(item=item, unit=lead_unit, role=UnitRole.LEAD, assigned_at=now)]
        + [ItemUnit(item=item, unit=unit, role=UnitRole.CO, assigned_at=now) for unit in co]
    )
    notices.assigned(item)
    return item


# The units' side ----------------------------------------------------------------------------


def _row_for(actor: User | None, item: Item, action: str, unit: Unit | None) -> ItemUnit:
    row = states.transition(item.state, action)
    found = acting_row(actor, item, row, _only(item, unit))
    if found is None:
        _refuse_signed(actor, item, row, unit)
        check(actor, item, action)  # raises the Chinese refusal
        raise fail("unit", _("该单位不是此事项的承办单位。"))
    return found


def _refuse_signed(
    actor: User | None, item: Item, row: states.Transition, unit: Unit | None
) -> None:
    """Signing or sending back again, by a unit of the person's that has signed: say so."""
    if row.action not in states.UNSIGNED_ONLY:
        return
    for unit_row in _only(item, unit):
        mine = actor is None or can(actor, "item", row.action, unit_row.unit)
        if unit_row.role in row.unit_roles and unit_row.acknowledged_at is not None and mine:
            raise fail("unit", _("「%(unit)s」已签收。") % {"unit": unit_row.unit.name})


@atomic
def acknowledge(item: Item, *, actor: User | None, unit: Unit | None = None) -> Item:
    """签收: the lead unit's signature starts the work; a co-unit signs only for its part."""
    lead_row = states.TABLE.get((item.state, "acknowledge"))
    action = "acknowledge_part"
    if lead_row is not None and acting_row(actor, item, lead_row, _only(item, unit)):
        action = "acknowledge"
    found = _row_for(actor, item, action, unit)  # refuses a unit that has signed already
    _transition(item, action, actor=actor, unit=found.unit, details={"unit": found.unit_id})
    ItemUnit.objects.filter(pk=found.pk).update(acknowledged_at=clock.now(), acknowledged_by=actor)
    return item


def _only(item: Item, unit: Unit | None) -> list[ItemUnit]:
    return [u for u in active_units(item) if unit is None or u.unit_id == unit.pk]


@atomic
def decline(item: Item, *, actor: User | None, reason: str, unit: Unit | None = None) -> Item:
    """退回: the unit disputes responsibility. The lead's sends the item back to the office to
    re-route; a co-unit's takes only that unit off (协办退回). Counted per unit."""
    lead_row = states.TABLE.get((item.state, "decline"))
    action = "decline_part"
    if lead_row is not None and acting_row(actor, item, lead_row, _only(item, unit)):
        action = "decline"
    found = _row_for(actor, item, action, unit)
    reason = _reason(reason)
    details = {"unit": found.unit_id, "role": found.role}
    _transition(item, action, actor=actor, reason=reason, unit=found.unit, details=details)
    ItemUnit.objects.filter(pk=found.pk).update(
        declined_at=clock.now(), declined_by=actor, decline_reason=reason
    )
    if found.role == UnitRole.LEAD:
        Item.objects.filter(pk=item.pk).update(lead_unit=None)
        item.lead_unit = None
    return item


def decline_count(unit: Unit) -> int:
    return ItemUnit.objects.filter(unit=unit, declined_at__isnull=False).count()


@atomic
def submit_final(item: Item, *, actor: User | None, text: str = "") -> Item:
    """The liaison sends the final report the unit's leader has signed (seed 004 第十七条)."""
    from duban.items.reporting import require_signed_final  # reporting imports this module

    text = check_optional(text, "text", _("报送说明"), 2000)
    check(actor, item, "submit_final")
    found = _row_for(actor, item, "submit_final", None)
    report = require_signed_final(item, found.unit)
    details = {"report": report.pk, **({"text": text} if text else {})}
    return _transition(item, "submit_final", actor=actor, unit=found.unit, details=details)


# The office's side --------------------------------------------------------------------------


@atomic
def accept(
    item: Item, *, actor: User | None, outcome: str = "", follow_up_date: dt.date | None = None
) -> Item:
    """审核通过: on time or late is fixed here (shared/DESIGN.md lifecycle table)."""
    from duban.items.progress import refuse_open_children  # progress imports this module
    from duban.items.reporting import outcome_fields  # reporting imports this module

    refuse_open_children(item)
    today = clock.today()
    late = bool(item.due_date and today > item.due_date)
    fields: dict[str, Any] = {"completed_at": clock.now(), "completed_late": late}
    # 办理结果 A/B/C/D; B and C come back for 跟踪办理 on follow_up_date.
    answer = outcome_fields(outcome, follow_up_date) if outcome or follow_up_date else {}
    details = {"late": late, **{k: str(v) for k, v in answer.items() if v}}
    return _transition(item, "accept", actor=actor, fields=fields | answer, details=details)


@atomic
def return_for_redo(item: Item, *, actor: User | None, reason: str) -> Item:
    from duban.items.reporting import final_returned  # reporting imports this module

    fields = {"return_count": F("return_count") + 1}
    _transition(item, "return_for_redo", actor=actor, reason=reason, fields=fields)
    final_returned(item)  # the redo needs a newly drafted and signed final report
    return item


@atomic
def archive(item: Item, *, actor: User | None) -> Item:
    return _transition(item, "archive", actor=actor)


@atomic
def reopen(item: Item, *, actor: User | None, reason: str) -> Item:
    """回访复核 found the work not done (seed 001 第二十一条)."""
    fields = {"completed_at": None, "completed_late": None}
    return _transition(item, "reopen", actor=actor, reason=reason, fields=fields)


@atomic
def cancel(item: Item, *, actor: User | None, reason: str) -> Item:
    return _transition(item, "cancel", actor=actor, reason=reason)


# Decomposition (分解立项, seed 001 第二十条) and milestones ------------------------------------

DECOMPOSABLE = (ItemState.DRAFT, ItemState.ASSIGNED, ItemState.IN_PROGRESS)
INHERITED = (
    "source",
    "doc_number",
    *intake.COLUMNS,
    "scope",
    "urgency",
    "confidentiality",
    "responsible_leader",
)


def _office_change(actor: User | None, item: Item, states_ok: Iterable[str], what: str) -> None:
    """The registering office may change an open item's structure; others get a Chinese refusal."""
    require(actor, "item", "change", item.owner_unit)
    if actor is not None and not may_see_secret(actor, item):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    if item.state not in states_ok:
        raise fail(
            "state",
            _("事项当前状态为「%(state)s」,不能%(what)s。")
            % {"state": states.state_label(item.state), "what": what},
        )


@atomic
def create_child(
    parent: Item,
    *,
    actor: User | None,
    title: str,
    time_limit: dt.date | None,
    owner_name: str,
    content: str = "",
    basis: str = "unit",
    lead_unit: Unit | None = None,
) -> Item:
    """A 四定 sub-item (target, content, deadline, owner); assigned at once if a unit is named."""
    _office_change(actor, parent, DECOMPOSABLE, _("分解"))
    if basis not in ("unit", "milestone"):
        raise fail("basis", _("分解方式须为按单位或按节点。"))
    if basis == "unit" and lead_unit is None:
        raise fail("lead_unit", _("按单位分解须选择主办单位。"))
    if time_limit is None:
        raise fail("time_limit", _("完成时限不能为空。"))
    owner_name = check_required(owner_name, "owner_name", _("责任人"), 50)
    inherited = {field: getattr(parent, field) for field in INHERITED}
    child = create_item(
        actor=actor,
        owner_unit=parent.owner_unit,
        parent=parent,
        named_people=list(parent.named_people.all()),
        **{**inherited, "title": title, "content": content, "owner_name": owner_name},
        time_limit=time_limit,
        # The parent's source facts were checked when it was registered (or it was imported).
        strict=False,
    )
    _claim(parent)  # a concurrent change to the parent refuses the split
    record(
        EventType.ITEM_DECOMPOSED,
        actor=actor,
        unit=parent.owner_unit,
        target=parent,
        details={"child": child.pk, "title": child.title, "basis": basis},
    )
    if lead_unit is not None:
        assign(child, actor=actor, lead_unit=lead_unit, time_limit=time_limit)
    return child


@atomic
def add_milestone(item: Item, *, actor: User | None, title: str, due_date: dt.date | None) -> Item:
    """节点任务: a dated step; bumps the item's version like any other change."""
    _office_change(actor, item, DECOMPOSABLE, _("增加节点任务"))
    title = check_required(title, "title", _("节点任务"), 200)
    if due_date is None:
        raise fail("due_date", _("完成时限不能为空。"))
    _claim(item)
    order = item.milestones.count()
    Milestone.objects.create(item=item, title=title, due_date=due_date, sort_order=order)
    record(
        EventType.ITEM_MILESTONE_ADDED,
        actor=actor,
        unit=item.owner_unit,
        target=item,
        details={"title": title, "due_date": due_date.isoformat()},
    )
    return item
