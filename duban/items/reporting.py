"""Reports on an item: progress on a cadence, co-units' input, the final report and its sign-off.

Seed 004 第十二条: co-units give their input to the lead unit, whose report combines them, and the
lead unit signs (审签) and sends the report. 第十七条: long or complex items report weekly, each
written report signed by the unit's leader. 第十六条(二): 政府工作报告 tasks report each quarter.
A report on one item of a link group answers the whole group (一次填报、多方复用, principle 6).

Every action here follows actions.py: the state table and the person's scope (access.check),
a version claim on the item, and its audit event, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items import reminding
from duban.items.access import check
from duban.items.actions import _claim, _row_for, atomic, source_rule
from duban.items.attachments import check_upload, store_checked
from duban.items.models import (
    Item,
    ItemSource,
    ItemState,
    Outcome,
    ProgressReport,
    ReportCadence,
    ReportKind,
    ReportState,
)
from duban.org.access import require
from duban.org.models import User
from duban.org.validation import check_optional, check_required, fail
from duban.workdays.arrays import Kind
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import due_date

TEXT_MAX = 20000
# seed 004 第十六条(二) says "within 15 days of the quarter's end"; used only when no quarter
# rule is configured for 政府工作报告 (the rule row wins: rules are data).
QUARTER_DAYS_FALLBACK = 15
OPEN_FINAL = (ReportState.DRAFT, ReportState.AWAITING_SIGNOFF)


def _today() -> dt.date:
    return clock.today()


def _author(actor: User | None) -> User:
    """A report is written by a person: the system (actor None) cannot file one."""
    if actor is None:
        raise ValueError("reports need a person as actor")
    return actor


# Cadence ------------------------------------------------------------------------------------


def cadence_of(item: Item) -> str:
    """The item's own cadence; 政府工作报告 items report quarterly unless told otherwise."""
    if item.report_cadence != ReportCadence.NONE:
        return item.report_cadence
    if item.source == ItemSource.WORK_REPORT:
        return ReportCadence.QUARTERLY
    return ReportCadence.NONE


def _quarter_days() -> int:
    rule = source_rule(ItemSource.WORK_REPORT)
    if rule is not None and rule.kind == Kind.QUARTER_REPORT:
        return rule.count
    return QUARTER_DAYS_FALLBACK


def _step(cadence: str, anchor: dt.date) -> dt.date:
    """The next period's due date after `anchor`; a rest day rolls to the next working day."""
    cal = calendar_for()
    if cadence == ReportCadence.WEEKLY:
        return due_date(cal, anchor, Kind.DAYS, 7)
    if cadence == ReportCadence.MONTHLY:
        return due_date(cal, anchor, Kind.MONTHS, 1)
    return due_date(cal, anchor, Kind.QUARTER_REPORT, _quarter_days())


def next_due(cadence: str, anchor: dt.date, today: dt.date) -> dt.date | None:
    """First period due after both `anchor` and today: missed periods are not asked again
    one by one (light on the grassroots, DESIGN principle 6); the late report is marked late."""
    if cadence == ReportCadence.NONE:
        return None
    due = _step(cadence, anchor)
    while due <= today:
        due = _step(cadence, due)
    return due


@atomic
def set_cadence(
    item: Item, *, actor: User | None, cadence: str, first_due: dt.date | None = None
) -> Item:
    """The office sets how often the lead unit reports (seed 004 第十七条: long items weekly)."""
    require(actor, "item", "change", item.owner_unit)
    if cadence not in ReportCadence.values:
        raise fail("cadence", _("报告频次不正确。"))
    if not item.is_open:
        raise fail("state", _("事项已办结或撤销,不能设定报告频次。"))
    today = _today()
    if first_due is not None and first_due < today:
        raise fail("first_due", _("首次报告日期不能早于今天。"))
    first = first_due or next_due(cadence, today, today)
    _claim(item, report_cadence=cadence, next_report_due=first)
    details = {"cadence": cadence, "next_report_due": first.isoformat() if first else None}
    record(
        EventType.ITEM_CADENCE_SET, actor=actor, unit=item.owner_unit, target=item, details=details
    )
    return item


# Progress reports ---------------------------------------------------------------------------


def _text(content: str, problems: str, next_steps: str) -> dict[str, str]:
    return {
        "content": check_required(content, "content", _("进展情况"), TEXT_MAX),
        "problems": check_optional(problems, "problems", _("存在问题"), TEXT_MAX),
        "next_steps": check_optional(next_steps, "next_steps", _("下步打算"), TEXT_MAX),
    }


def _checked(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Check every file before anything is written: one bad file refuses the whole report."""
    return [(upload, *check_upload(upload)) for upload in files]


def _store(
    item: Item, report: ProgressReport, checked: list[tuple[UploadedFile, str, str]], actor: Any
) -> None:
    for upload, ext, content_type in checked:
        store_checked(item, upload, ext, content_type, actor=actor, report=report)


def _pending_co_inputs(item: Item) -> list[int]:
    """协办意见 received since the lead unit's last report: the ones this report combines."""
    last = (
        ProgressReport.objects.filter(item=item, kind=ReportKind.PROGRESS)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    inputs = ProgressReport.objects.filter(item=item, kind=ReportKind.CO_INPUT)
    if last is not None:
        inputs = inputs.filter(submitted_at__gt=last)
    return list(inputs.values_list("pk", flat=True))


@atomic
def report_progress(
    item: Item,
    *,
    actor: User | None,
    content: str,
    problems: str = "",
    next_steps: str = "",
    files: Iterable[UploadedFile] = (),
) -> ProgressReport:
    """进展报告 by the lead unit's liaison; answers the period due and every linked item."""
    row = check(actor, item, "report_progress")
    found = _row_for(actor, item, "report_progress", None)
    text, checked = _text(content, problems, next_steps), _checked(files)
    today, period_due = _today(), item.next_report_due
    late = period_due is not None and today > period_due
    co_inputs = _pending_co_inputs(item)
    _claim(item, next_report_due=next_due(cadence_of(item), period_due or today, today))
    report = ProgressReport.objects.create(
        item=item,
        unit=found.unit,
        kind=ReportKind.PROGRESS,
        state=ReportState.SUBMITTED,
        period_due=period_due,
        late=late,
        created_by=_author(actor),
        submitted_at=clock.now(),
        **text,
    )
    _store(item, report, checked, actor)
    linked = _answer_linked(item, report, actor, today)
    reminding.answer([item.pk, *linked], found.unit_id)
    details = {
        "action": row.action,
        "from": row.source,
        "to": row.target,
        "report": report.pk,
        "period_due": period_due.isoformat() if period_due else None,
        "late": late,
        "co_inputs": co_inputs,
        "linked": linked,
    }
    record(
        EventType.ITEM_PROGRESS_REPORTED,
        actor=actor,
        unit=found.unit,
        target=item,
        details=details,
    )
    return report


@dataclass(frozen=True)
class OneText:
    """A report that is one text sent at once: its action, kind, field name and audit event."""

    action: str
    kind: str
    label: Any
    event: EventType


PLAN = OneText(
    "submit_plan", ReportKind.PLAN, gettext_lazy("工作方案"), EventType.ITEM_PLAN_SUBMITTED
)
CO_INPUT = OneText(
    "co_input", ReportKind.CO_INPUT, gettext_lazy("协办意见"), EventType.ITEM_CO_INPUT_SENT
)


def _send_text(
    what: OneText, item: Item, actor: User | None, content: str, files: Iterable[UploadedFile]
) -> ProgressReport:
    row = check(actor, item, what.action)
    found = _row_for(actor, item, what.action, None)
    content = check_required(content, "content", str(what.label), TEXT_MAX)
    checked = _checked(files)
    _claim(item)
    report = ProgressReport.objects.create(
        item=item,
        unit=found.unit,
        kind=what.kind,
        state=ReportState.SUBMITTED,
        content=content,
        created_by=_author(actor),
        submitted_at=clock.now(),
    )
    _store(item, report, checked, actor)
    reminding.answer([item.pk], found.unit_id)
    details = {"action": row.action, "report": report.pk, "unit": found.unit_id}
    record(what.event, actor=actor, unit=found.unit, target=item, details=details)
    return report


@atomic
def submit_plan(
    item: Item,
    *,
    actor: User | None,
    content: str,
    files: Iterable[UploadedFile] = (),
) -> ProgressReport:
    """工作方案 by the lead unit's liaison (seed 004 第十一条): task requirements, measures,
    steps and who answers for each. A later plan revises it; the newest is the one in force."""
    return _send_text(PLAN, item, actor, content, files)


def current_plan(item: Item) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(item=item, kind=ReportKind.PLAN)
        .order_by("-created_at", "-id")
        .first()
    )


def _answer_linked(item: Item, report: ProgressReport, actor: Any, today: dt.date) -> list[int]:
    """The same report answers the group's other items this unit leads (一次填报、多方复用)."""
    if item.link_group_id is None:
        return []
    others = Item.objects.filter(
        link_group_id=item.link_group_id,
        lead_unit_id=report.unit_id,
        state=ItemState.IN_PROGRESS,
    ).exclude(pk=item.pk)
    answered = []
    for other in others:  # a link group is a handful of items, not a table scan
        upcoming = next_due(cadence_of(other), other.next_report_due or today, today)
        Item.objects.filter(pk=other.pk).update(
            next_report_due=upcoming, version=F("version") + 1, updated_at=clock.now()
        )
        details = {"report": report.pk, "via": item.pk}
        record(
            EventType.ITEM_PROGRESS_REPORTED,
            actor=actor,
            unit=report.unit,
            target=other,
            details=details,
        )
        answered.append(other.pk)
    return answered


@atomic
def co_input(
    item: Item,
    *,
    actor: User | None,
    content: str,
    files: Iterable[UploadedFile] = (),
) -> ProgressReport:
    """协办意见: a co-unit's input, sent to the lead unit (seed 004 第十二条)."""
    return _send_text(CO_INPUT, item, actor, content, files)


def co_inputs(item: Item) -> QuerySet[ProgressReport]:
    """The co-units' input the lead unit combines into its reports."""
    return ProgressReport.objects.filter(item=item, kind=ReportKind.CO_INPUT).select_related("unit")


# The final report: drafted by the liaison, signed off by the unit's leader -------------------


def open_final(item: Item) -> ProgressReport | None:
    """The final report being written or awaiting sign-off, if any."""
    return (
        ProgressReport.objects.filter(item=item, kind=ReportKind.FINAL, state__in=OPEN_FINAL)
        .order_by("-created_at", "-id")
        .first()
    )


@atomic
def draft_final(
    item: Item,
    *,
    actor: User | None,
    content: str,
    problems: str = "",
    next_steps: str = "",
    files: Iterable[UploadedFile] = (),
) -> ProgressReport:
    """办结报告草稿 by the lead unit's liaison; rewriting it withdraws it from sign-off."""
    row = check(actor, item, "draft_final")
    found = _row_for(actor, item, "draft_final", None)
    text, checked = _text(content, problems, next_steps), _checked(files)
    _claim(item)
    report = open_final(item)
    if report is None:
        report = ProgressReport(
            item=item, unit=found.unit, kind=ReportKind.FINAL, created_by=_author(actor)
        )
    for key, value in text.items():
        setattr(report, key, value)
    report.state, report.signed_off_by, report.signed_off_at = ReportState.DRAFT, None, None
    report.save()
    _store(item, report, checked, actor)
    reminding.answer([item.pk], found.unit_id)
    details = {"action": row.action, "report": report.pk}
    record(EventType.ITEM_FINAL_DRAFTED, actor=actor, unit=found.unit, target=item, details=details)
    return report


def _final_of(item: Item, state: str, message: str) -> ProgressReport:
    report = open_final(item)
    if report is None or report.state != state:
        raise fail("report", message)
    return report


@atomic
def submit_for_signoff(item: Item, *, actor: User | None) -> ProgressReport:
    """The liaison hands the draft to the unit's leader for 审签 (seed 004 第十七条)."""
    row = check(actor, item, "draft_final")
    found = _row_for(actor, item, "draft_final", None)
    report = _final_of(item, ReportState.DRAFT, _("没有待送审签的办结报告草稿。"))
    _claim(item)
    report.state = ReportState.AWAITING_SIGNOFF
    report.save(update_fields=["state"])
    details = {"action": row.action, "report": report.pk}
    record(
        EventType.ITEM_FINAL_SENT_FOR_SIGNOFF,
        actor=actor,
        unit=found.unit,
        target=item,
        details=details,
    )
    return report


@atomic
def sign_off(
    item: Item, *, actor: User | None, comment: str = "", send: bool = True
) -> ProgressReport:
    """审签 by the lead unit's leader. By default the leader's office also sends it (seed 004
    第十二条 审签、报送) and the item goes to review; with send=False the liaison sends it with
    actions.submit_final (DESIGN lifecycle: "liaison, after unit_leader sign-off")."""
    row = check(actor, item, "sign_off")
    found = _row_for(actor, item, "sign_off", None)
    report = _final_of(item, ReportState.AWAITING_SIGNOFF, _("没有待审签的办结报告。"))
    if report.signed_off_at is not None:
        raise fail("report", _("办结报告已审签,待联络员报送。"))
    comment = check_optional(comment, "comment", _("审签意见"), 2000)
    now = clock.now()
    signed: dict[str, Any] = {"signed_off_by": actor, "signed_off_at": now}
    if send:
        signed |= {"state": ReportState.SUBMITTED, "submitted_at": now}
    _claim(item, state=row.target if send else item.state)
    ProgressReport.objects.filter(pk=report.pk).update(**signed)
    report.refresh_from_db()
    reminding.answer([item.pk], found.unit_id)
    details = {"action": row.action, "from": row.source, "to": item.state, "report": report.pk}
    if comment:
        details["comment"] = comment
    record(
        EventType.ITEM_FINAL_SIGNED_OFF,
        actor=actor,
        unit=found.unit,
        target=item,
        details=details,
    )
    return report


def require_signed_final(item: Item, unit: Any) -> ProgressReport:
    """For actions.submit_final: the liaison sends only what the unit's leader has signed."""
    report = open_final(item)
    if report is None or report.unit_id != unit.pk:
        raise fail("report", _("请先起草办结报告并送单位领导审签。"))
    if report.signed_off_at is None:
        raise fail("report", _("办结报告尚未经单位领导审签,不能报送。"))
    ProgressReport.objects.filter(pk=report.pk).update(
        state=ReportState.SUBMITTED, submitted_at=clock.now()
    )
    return report


def final_returned(item: Item) -> None:
    """退回重办: the sent final report is marked returned; a new one must be drafted and signed."""
    ProgressReport.objects.filter(
        item=item, kind=ReportKind.FINAL, state=ReportState.SUBMITTED
    ).update(state=ReportState.RETURNED)


# Acceptance outcome (办理结果 A/B/C/D) --------------------------------------------------------


def outcome_fields(outcome: str, follow_up_date: dt.date | None) -> dict[str, Any]:
    """B 正在解决 and C 列入计划 come back for 跟踪办理 on a date; A and D do not."""
    if outcome not in Outcome.values:
        raise fail("outcome", _("办理结果须为 A 已解决、B 正在解决、C 列入计划或 D 留作参考。"))
    if outcome in (Outcome.SOLVING, Outcome.PLANNED):
        if follow_up_date is None:
            raise fail("follow_up_date", _("办理结果为 B 或 C 时须填写跟踪办理日期。"))
        if follow_up_date <= _today():
            raise fail("follow_up_date", _("跟踪办理日期须晚于今天。"))
        return {"outcome": outcome, "follow_up_date": follow_up_date}
    return {"outcome": outcome, "follow_up_date": None}


def follow_ups_due(today: dt.date | None = None) -> QuerySet[Item]:
    """Completed B/C items whose 跟踪办理 date has come: for the office's 工作台 and the worker."""
    return Item.objects.filter(
        state=ItemState.COMPLETED,
        outcome__in=[Outcome.SOLVING, Outcome.PLANNED],
        follow_up_date__lte=today or _today(),
    )


# Reading -----------------------------------------------------------------------------------


def reports_for(item: Item) -> QuerySet[ProgressReport]:
    """The item's reports, and those of every linked item: one report answers the group."""
    if item.link_group_id is None:
        reports = ProgressReport.objects.filter(item=item)
    else:
        reports = ProgressReport.objects.filter(item__link_group_id=item.link_group_id)
    return reports.select_related("unit", "item").order_by("-created_at", "-id")
