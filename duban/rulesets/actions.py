"""The only code that changes the rules set as data; each change is one audit event.

Every function checks its permission (rulesets/access.py), validates with Chinese messages that
name the field, and records the changed fields as [before, after] (like workdays.update_rule).
The rows carry no version: two administrators editing one rule at once is last-write-wins, as for
deadline rules; the audit log keeps both writes.
"""

from __future__ import annotations

import string
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from duban.assessment.models import (
    AccountabilityRule,
    Applier,
    LadderRule,
    LadderTrigger,
    Measure,
    Preset,
    ProposalTrigger,
)
from duban.audit.log import record
from duban.audit.types import EventType
from duban.items.actions import atomic
from duban.items.models import (
    REMINDER_PLACEHOLDERS,
    ItemSource,
    LightRule,
    ReminderKind,
    ReminderRecipient,
    ReminderRule,
    SourceRule,
)
from duban.ledgers.dashboard_rules import DashboardRule
from duban.org.access import require
from duban.org.validation import check_optional, check_required, fail
from duban.rulesets import access as _access  # noqa: F401  (registers the resources)
from duban.workdays.models import DeadlineRule

# Thresholds are working days or counts; a year of working days is a generous ceiling.
MAX_DAYS = 250


def _plain(value: Any) -> Any:
    """A JSON-safe value for the audit details: a related row by its name."""
    return str(value) if isinstance(value, models.Model) else value


def _check_only(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not a rule field: {sorted(unknown)}")


def _check_number(value: Any, field: str, label: str, low: int = 0) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise fail(field, _("%(label)s须为整数。") % {"label": label}) from None
    if not low <= number <= MAX_DAYS:
        raise fail(
            field,
            _("%(label)s须为 %(low)d 至 %(high)d 之间的整数。")
            % {"label": label, "low": low, "high": MAX_DAYS},
        )
    return number


def _check_choice(value: Any, field: str, label: str, choices: list[str]) -> str:
    if value not in choices:
        raise fail(field, _("请从列表中选择%(label)s。") % {"label": label})
    return str(value)


def _check_source(value: Any, field: str = "source", *, blank: bool = True) -> str:
    value = (value or "").strip()
    if value == "" and blank:
        return ""
    return _check_choice(value, field, _("来源"), list(ItemSource.values))


def _save(row: models.Model, cleaned: dict[str, Any], event: EventType, actor: Any) -> None:
    """Write the changed fields and record them as [before, after]; nothing when none changed."""
    diff = {k: (getattr(row, k), v) for k, v in cleaned.items() if getattr(row, k) != v}
    if not diff:
        return
    for field, (_old, new) in diff.items():
        setattr(row, field, new)
    row.save(update_fields=list(diff))
    details = {k: [_plain(old), _plain(new)] for k, (old, new) in diff.items()}
    record(event, actor=actor, target=row, details=details)


def _created(row: models.Model, cleaned: dict[str, Any], event: EventType, actor: Any) -> None:
    record(event, actor=actor, target=row, details={k: _plain(v) for k, v in cleaned.items()})


# 红黄绿灯规则 (items/lights.py) -----------------------------------------------------------------

LIGHT_FIELDS = ("yellow_within", "note")


def _clean_light(fields: dict[str, Any]) -> dict[str, Any]:
    _check_only(fields, LIGHT_FIELDS)
    cleaned = dict(fields)
    if "yellow_within" in cleaned:
        cleaned["yellow_within"] = _check_number(
            cleaned["yellow_within"], "yellow_within", _("黄灯提前工作日数")
        )
    if "note" in cleaned:
        cleaned["note"] = check_optional(cleaned["note"] or "", "note", _("说明"), 200)
    return cleaned


@atomic
def update_light_rule(rule: LightRule, *, actor: Any, **changes: Any) -> LightRule:
    require(actor, "item_rule", "manage")
    _save(rule, _clean_light(changes), EventType.LIGHT_RULE_UPDATED, actor)
    return rule


@atomic
def create_light_rule(*, actor: Any, source: str, yellow_within: int, note: str = "") -> LightRule:
    """A source's own threshold, overriding the default row (empty source)."""
    require(actor, "item_rule", "manage")
    cleaned = {
        "source": _check_source(source),
        **_clean_light({"yellow_within": yellow_within, "note": note}),
    }
    if LightRule.objects.filter(source=cleaned["source"]).exists():
        raise fail("source", _("该来源已有红黄绿灯规则,请修改原规则。"))
    rule = LightRule.objects.create(**cleaned)
    _created(rule, cleaned, EventType.LIGHT_RULE_CREATED, actor)
    return rule


# 统计分析规则 (ledgers/dashboard_rules.py) ----------------------------------------------------

DASHBOARD_FIELDS = ("min_sample", "overdue_top", "report_load_warn", "note")


def _clean_dashboard(fields: dict[str, Any]) -> dict[str, Any]:
    _check_only(fields, DASHBOARD_FIELDS)
    cleaned = dict(fields)
    labels = {
        "min_sample": _("排名最少办结件数"),
        "overdue_top": _("逾期清单显示条数"),
        "report_load_warn": _("报送负担提示线"),
    }
    for name, label in labels.items():
        if name in cleaned:
            cleaned[name] = _check_number(cleaned[name], name, label, low=1)
    if "note" in cleaned:
        cleaned["note"] = check_optional(cleaned["note"] or "", "note", _("说明"), 200)
    return cleaned


@atomic
def update_dashboard_rule(rule: DashboardRule, *, actor: Any, **changes: Any) -> DashboardRule:
    require(actor, "item_rule", "manage")
    _save(rule, _clean_dashboard(changes), EventType.DASHBOARD_RULE_UPDATED, actor)
    return rule


# 提醒规则 (items/sweeps.py) ---------------------------------------------------------------------

REMINDER_FIELDS = ("source", "kind", "days", "recipients", "message", "active", "note")
# These kinds repeat every `days` working days: zero would never end a period (sweeps._period).
EVERY = (ReminderKind.OVERDUE_EVERY, ReminderKind.REPORT_OVERDUE)


def check_message(value: Any, field: str = "message") -> str:
    """The template, with only the placeholders sweeps.render knows and no stray braces."""
    message = check_required(value or "", field, _("提醒内容"), 500)
    try:
        parsed = list(string.Formatter().parse(message))
    except ValueError:
        raise fail(field, _("提醒内容中的花括号不成对。")) from None
    unknown = sorted(
        {name for _lit, name, _s, _c in parsed if name is not None} - set(REMINDER_PLACEHOLDERS)
    )
    if unknown:
        known = "、".join(f"{{{name}}}" for name in REMINDER_PLACEHOLDERS)
        raise fail(
            field,
            _("提醒内容含未知占位符 %(unknown)s;可用的占位符为 %(known)s。")
            % {"unknown": "、".join(f"{{{name}}}" for name in unknown), "known": known},
        )
    return message


def _clean_reminder(fields: dict[str, Any], current: ReminderRule | None) -> dict[str, Any]:
    _check_only(fields, REMINDER_FIELDS)
    cleaned = dict(fields)
    if "source" in cleaned:
        cleaned["source"] = _check_source(cleaned["source"])
    if "kind" in cleaned:
        cleaned["kind"] = _check_choice(
            cleaned["kind"], "kind", _("提醒类型"), list(ReminderKind.values)
        )
    if "recipients" in cleaned:
        cleaned["recipients"] = _check_choice(
            cleaned["recipients"], "recipients", _("提醒对象"), list(ReminderRecipient.values)
        )
    kind = cleaned.get("kind", current.kind if current else "")
    if "days" in cleaned:
        cleaned["days"] = _check_number(
            cleaned["days"], "days", _("工作日数"), 1 if kind in EVERY else 0
        )
    if "message" in cleaned:
        cleaned["message"] = check_message(cleaned["message"])
    if "active" in cleaned:
        cleaned["active"] = bool(cleaned["active"])
    if "note" in cleaned:
        cleaned["note"] = check_optional(cleaned["note"] or "", "note", _("说明"), 200)
    return cleaned


@atomic
def update_reminder_rule(rule: ReminderRule, *, actor: Any, **changes: Any) -> ReminderRule:
    """Change a reminder rule; `active=False` retires it (sent reminders keep pointing at it)."""
    require(actor, "item_rule", "manage")
    cleaned = _clean_reminder(changes, rule)
    if cleaned.get("kind", rule.kind) in EVERY and cleaned.get("days", rule.days) < 1:
        raise fail("days", _("逾期催办须每隔至少 1 个工作日,工作日数不能为 0。"))
    _save(rule, cleaned, EventType.REMINDER_RULE_UPDATED, actor)
    return rule


@atomic
def create_reminder_rule(
    *, actor: Any, kind: str, days: int, recipients: str, message: str, **fields: Any
) -> ReminderRule:
    require(actor, "item_rule", "manage")
    given = {"kind": kind, "days": days, "recipients": recipients, "message": message, **fields}
    cleaned = _clean_reminder(given, None)
    rule = ReminderRule.objects.create(**cleaned)
    _created(rule, cleaned, EventType.REMINDER_RULE_CREATED, actor)
    return rule


# 来源期限规则 (seed 004 第十六条) -----------------------------------------------------------------


def _check_deadline_rule(value: Any) -> DeadlineRule:
    if not isinstance(value, DeadlineRule) or not value.active:
        raise fail("rule", _("请选择一条启用的期限规则。"))
    return value


@atomic
def update_source_rule(link: SourceRule, *, actor: Any, rule: DeadlineRule) -> SourceRule:
    require(actor, "item_rule", "manage")
    _save(link, {"rule": _check_deadline_rule(rule)}, EventType.SOURCE_RULE_UPDATED, actor)
    return link


@atomic
def create_source_rule(*, actor: Any, source: str, rule: DeadlineRule) -> SourceRule:
    """Give a source without a row its deadline rule (until then a time limit is required)."""
    require(actor, "item_rule", "manage")
    cleaned = {"source": _check_source(source, blank=False), "rule": _check_deadline_rule(rule)}
    if SourceRule.objects.filter(source=cleaned["source"]).exists():
        raise fail("source", _("该来源已有期限规则,请修改原规则。"))
    link = SourceRule.objects.create(**cleaned)
    _created(link, cleaned, EventType.SOURCE_RULE_CREATED, actor)
    return link


# 督办升级规则与问责规则 (assessment; seed 004 第七条(五)、第二十条) ----------------------

LADDER_FIELDS = ("measure", "trigger", "threshold", "applier", "veto", "article", "active")
ACCOUNTABILITY_FIELDS = (
    "trigger",
    "threshold",
    "counted_measure",
    "measure",
    "refer_to_discipline",
    "basis",
    "article",
    "active",
)


def _check_increasing(rows: list[Any], label: str) -> None:
    """Within one preset, active steps of one kind must ask for more as the step number grows."""
    last: tuple[int, int] | None = None
    for row in sorted(rows, key=lambda r: r.step):
        if not row.active:
            continue
        if last is not None and row.threshold <= last[1]:
            raise fail(
                "threshold",
                _(
                    "阈值须随步骤递增:第 %(step)d 步的阈值 %(n)d "
                    "不大于第 %(prev)d 步的 %(m)d(%(kind)s)。"
                )
                % {
                    "step": row.step,
                    "n": row.threshold,
                    "prev": last[0],
                    "m": last[1],
                    "kind": label,
                },
            )
        last = (row.step, row.threshold)


def _clean_ladder(fields: dict[str, Any]) -> dict[str, Any]:
    _check_only(fields, LADDER_FIELDS)
    cleaned = dict(fields)
    if "measure" in cleaned:
        cleaned["measure"] = _check_choice(
            cleaned["measure"], "measure", _("措施"), list(Measure.values)
        )
    if "trigger" in cleaned:
        cleaned["trigger"] = _check_choice(
            cleaned["trigger"], "trigger", _("触发条件"), list(LadderTrigger.values)
        )
    if "threshold" in cleaned:
        cleaned["threshold"] = _check_number(cleaned["threshold"], "threshold", _("阈值"))
    if "applier" in cleaned:
        cleaned["applier"] = _check_choice(
            cleaned["applier"], "applier", _("决定人"), list(Applier.values)
        )
    for flag in ("veto", "active"):
        if flag in cleaned:
            cleaned[flag] = bool(cleaned[flag])
    if "article" in cleaned:
        cleaned["article"] = check_optional(cleaned["article"] or "", "article", _("条款依据"), 100)
    return cleaned


@atomic
def update_ladder_rule(rule: LadderRule, *, actor: Any, **changes: Any) -> LadderRule:
    """Change one escalation step; the preset's steps must still escalate (thresholds rise)."""
    require(actor, "assessment_rule", "manage")
    cleaned = _clean_ladder(changes)
    _check_ladder(_siblings_as_changed(rule, cleaned))
    _save(rule, cleaned, EventType.LADDER_RULE_UPDATED, actor)
    return rule


def _siblings_as_changed(rule: Any, cleaned: dict[str, Any]) -> list[Any]:
    """The rule's preset's rows, locked so two edits cannot each pass the check against the old
    other, with `cleaned` applied to the one being edited."""
    rows = list(type(rule).objects.select_for_update().filter(preset_id=rule.preset_id))
    for row in rows:
        if row.pk == rule.pk:
            for field, value in cleaned.items():
                setattr(row, field, value)
    return rows


def _check_ladder(steps: list[LadderRule]) -> None:
    labels = dict(LadderTrigger.choices)
    for trigger in {row.trigger for row in steps}:
        same = [row for row in steps if row.trigger == trigger]
        _check_increasing(same, str(labels.get(trigger, trigger)))


def _check_given(fields: dict[str, Any], labels: dict[str, Any]) -> None:
    for field, label in labels.items():
        if fields.get(field) in (None, ""):
            raise fail(field, _("请填写%(label)s。") % {"label": label})


def _check_preset(preset: Any) -> Preset:
    if not isinstance(preset, Preset):
        raise fail("preset", _("请选择预设。"))
    return preset


def _check_new_step(step: Any, taken: list[Any]) -> int:
    number = _check_number(step, "step", _("步骤"), 1)
    if any(row.step == number for row in taken):
        raise fail("step", _("该预设已有第 %(step)d 步,请换一个步骤号。") % {"step": number})
    return number


@atomic
def create_ladder_rule(*, actor: Any, preset: Any, step: Any, **fields: Any) -> LadderRule:
    """Add a step to a preset's ladder (e.g. 约谈 after 通报); thresholds must still rise."""
    require(actor, "assessment_rule", "manage")
    _check_given(fields, {"measure": _("措施"), "trigger": _("触发条件"), "threshold": _("阈值")})
    cleaned = _clean_ladder(fields)
    preset = _check_preset(preset)
    steps = list(LadderRule.objects.select_for_update().filter(preset=preset))
    number = _check_new_step(step, steps)
    row = LadderRule(preset=preset, step=number, **cleaned)
    _check_ladder([*steps, row])
    row.save()
    details = {"preset": preset, "step": number, **cleaned}
    _created(row, details, EventType.LADDER_RULE_CREATED, actor)
    return row


def _clean_accountability(fields: dict[str, Any], trigger: str) -> dict[str, Any]:
    _check_only(fields, ACCOUNTABILITY_FIELDS)
    cleaned = dict(fields)
    if "trigger" in cleaned:
        cleaned["trigger"] = _check_choice(
            cleaned["trigger"], "trigger", _("触发条件"), list(ProposalTrigger.values)
        )
    trigger = cleaned.get("trigger", trigger)
    if "threshold" in cleaned:
        low = 1 if trigger == ProposalTrigger.COUNT else 0
        cleaned["threshold"] = _check_number(cleaned["threshold"], "threshold", _("阈值"), low)
    for field, label in (("measure", _("建议措施")), ("counted_measure", _("所计措施"))):
        if field in cleaned and not (field == "counted_measure" and not cleaned[field]):
            cleaned[field] = _check_choice(cleaned[field], field, label, list(Measure.values))
    for flag in ("refer_to_discipline", "active"):
        if flag in cleaned:
            cleaned[flag] = bool(cleaned[flag])
    if "basis" in cleaned:
        cleaned["basis"] = check_required(cleaned["basis"] or "", "basis", _("依据条文"), 2000)
    if "article" in cleaned:
        cleaned["article"] = check_required(cleaned["article"] or "", "article", _("条款依据"), 100)
    return cleaned


@atomic
def update_accountability_rule(
    rule: AccountabilityRule, *, actor: Any, **changes: Any
) -> AccountabilityRule:
    """Change one rung; counting rungs name what they count, and their counts rise."""
    require(actor, "assessment_rule", "manage")
    cleaned = _clean_accountability(changes, rule.trigger)
    trigger = cleaned.get("trigger", rule.trigger)
    counted = cleaned.get("counted_measure", rule.counted_measure)
    if trigger in (ProposalTrigger.COUNT, ProposalTrigger.UNIMPROVED) and not counted:
        raise fail("counted_measure", _("按次数或未改进触发的规则须选择所计措施。"))
    _check_rungs(_siblings_as_changed(rule, cleaned))
    _save(rule, cleaned, EventType.ACCOUNTABILITY_RULE_UPDATED, actor)
    return rule


def _check_rungs(rungs: list[AccountabilityRule]) -> None:
    labels = dict(ProposalTrigger.choices)
    for key in {(row.trigger, row.counted_measure) for row in rungs}:
        same = [row for row in rungs if (row.trigger, row.counted_measure) == key]
        _check_increasing(same, str(labels.get(key[0], key[0])))


@atomic
def create_accountability_rule(
    *, actor: Any, preset: Any, step: Any, **fields: Any
) -> AccountabilityRule:
    """Add a rung to a preset's accountability rules; counting rungs name what they count."""
    require(actor, "assessment_rule", "manage")
    given = {"trigger": _("触发条件"), "threshold": _("阈值"), "measure": _("建议措施")}
    _check_given(fields, {**given, "basis": _("依据条文"), "article": _("条款依据")})
    cleaned = _clean_accountability(fields, str(fields["trigger"]))
    counted = cleaned.get("counted_measure", "")
    if cleaned["trigger"] in (ProposalTrigger.COUNT, ProposalTrigger.UNIMPROVED) and not counted:
        raise fail("counted_measure", _("按次数或未改进触发的规则须选择所计措施。"))
    preset = _check_preset(preset)
    rungs = list(AccountabilityRule.objects.select_for_update().filter(preset=preset))
    number = _check_new_step(step, rungs)
    row = AccountabilityRule(preset=preset, step=number, **cleaned)
    _check_rungs([*rungs, row])
    row.save()
    details = {"preset": preset, "step": number, **cleaned}
    _created(row, details, EventType.ACCOUNTABILITY_RULE_CREATED, actor)
    return row
