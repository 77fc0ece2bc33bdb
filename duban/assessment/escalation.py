"""The escalation sweep: propose each ladder step once for every item that has reached it.

Ladder rules are rows of the active preset (models.Preset): 催办 → 督办 → 通报 → 约谈 …, each at
a number of working days overdue or of times returned for redo (shared/DESIGN.md "Warnings,
escalation, accountability"). `escalate(today)` is set-based: the threshold date of each rule is
computed once with the calendar (a bisect), then one INSERT ... SELECT per rule writes the new
escalations, the unique (item, rule) skipping those already proposed. The office is told once per
registering office per run, never once per item.
"""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_right

from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.fields import CharField, DateTimeField, IntegerField
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.assessment.models import (
    DecisionState,
    Escalation,
    LadderRule,
    LadderTrigger,
    Measure,
    Preset,
)
from duban.audit.log import record
from duban.audit.marks import Mark, head_seq, last_mark, mark_key, save_mark, since_mark
from duban.audit.types import EventType
from duban.core import clock
from duban.core.setsql import insert_annotated
from duban.items.models import Item, ItemState
from duban.notify.actions import notify_units
from duban.org.models import Role, Unit
from duban.workdays.arrays import Calendar, DeadlineError
from duban.workdays.calendars import calendar_for

# The unit holds the item in these states; an item sent for review waits on the office instead.
ESCALATING = (ItemState.ASSIGNED, ItemState.IN_PROGRESS)


def overdue_since(cal: Calendar, today: dt.date, n: int) -> dt.date:
    """Items due before this date are at least `n` working days overdue on `today`.

    An item due on D is n working days overdue once the n-th working day after D (民法典 第二百零
    一条: D itself not counted) is on or before today. With W the sorted working days, that is
    D < W[(number of working days ≤ today) − n]. n = 0 means overdue at all: D < today.
    """
    if n <= 0:
        return today
    i = bisect_right(cal.workdays, today.toordinal()) - n
    if i < 0:
        raise DeadlineError("threshold", _("逾期工作日数超出日历范围。"))
    return dt.date.fromordinal(cal.workdays[i])


def candidates(rule: LadderRule, today: dt.date, cal: Calendar) -> Q:
    """The items on which `rule` fires today, as one SQL condition."""
    held = Q(state__in=ESCALATING, lead_unit__isnull=False)
    if rule.trigger == LadderTrigger.RETURNED:
        return held & Q(return_count__gte=max(rule.threshold, 1))
    return held & Q(due_date__lt=overdue_since(cal, today, rule.threshold))


def escalate(today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Propose every step of the active ladder that items have reached; the number proposed."""
    preset = Preset.objects.current()
    if preset is None:
        return 0
    rules = list(preset.ladder.filter(active=True).order_by("step"))
    cal = calendar_for()
    now = now or clock.now()
    batch = uuid.uuid4().hex
    with transaction.atomic():
        seq = head_seq()
        inserted = 0
        for rule in rules:
            settings = (preset.pk, rule.pk, rule.trigger, rule.threshold, rule.step, cal.version)
            key = mark_key("ladder", *settings)
            condition = candidates(rule, today, cal) & _fresh(rule, today, cal, last_mark(key))
            inserted += _insert(rule, condition, now, batch)
            save_mark(key, today, seq)
        if inserted:
            _announce(batch, inserted)
    return inserted


def _fresh(rule: LadderRule, today: dt.date, cal: Calendar, mark: Mark | None) -> Q:
    if rule.trigger == LadderTrigger.RETURNED:
        # return_count moves only with an action, and so with an event.
        return since_mark("due_date", [], mark) if mark is not None else Q()
    return crossed_since(rule.threshold, today, cal, mark)


def crossed_since(threshold: int, today: dt.date, cal: Calendar, mark: Mark | None) -> Q:
    """The items that may have become `threshold` working days overdue since the sweep's mark
    (audit/marks.py): due dates that crossed the line since the mark's day, or items an event
    touched since. No mark (a new or edited rule): everything, once."""
    if mark is None:
        return Q()
    span = (overdue_since(cal, mark.day, threshold), overdue_since(cal, today, threshold))
    return since_mark("due_date", [span], mark)


def _insert(rule: LadderRule, condition: Q, now: dt.datetime, batch: str) -> int:
    return insert_annotated(
        Escalation,
        Item.objects.filter(condition),
        {
            "item": F("pk"),
            "unit": F("lead_unit_id"),
            "rule": Value(rule.pk, output_field=IntegerField()),
            "step": Value(rule.step, output_field=IntegerField()),
            "measure": Value(rule.measure, output_field=CharField()),
            "proposed_at": Value(now, output_field=DateTimeField()),
            "batch": Value(batch, output_field=CharField()),
            "state": Value(DecisionState.PROPOSED.value, output_field=CharField()),
            "reason": Value("", output_field=CharField()),
            "version": Value(1, output_field=IntegerField()),
        },
    )


def _announce(batch: str, inserted: int) -> None:
    """One audit event for the run; one notice per registering office (not per item)."""
    rows = (
        Escalation.objects.filter(batch=batch)
        .values("item__owner_unit", "measure")
        .annotate(n=Count("pk"))
        .order_by("item__owner_unit", "measure")
    )
    by_office: dict[int, list[str]] = {}
    by_measure: dict[str, int] = {}
    for row in rows:
        label = Measure(row["measure"]).label
        by_office.setdefault(row["item__owner_unit"], []).append(f"{label} {row['n']} 项")
        by_measure[str(label)] = by_measure.get(str(label), 0) + row["n"]
    url = reverse("assessment:escalations") + "?state=proposed"
    for office, lines in by_office.items():
        notify_units(
            Unit.objects.filter(pk=office),
            [Role.OFFICE, Role.OFFICE_HEAD],
            kind="escalation_proposed",
            title=_("督办升级建议:%(text)s") % {"text": "、".join(lines)},
            body=_("以下事项逾期或多次退回,已达到督办升级条件,请决定是否采取:%(text)s。")
            % {"text": "、".join(lines)},
            url=url,
            dedupe_key=f"escalate:{batch}:{office}",
        )
    record(
        EventType.ESCALATIONS_PROPOSED,
        actor=None,
        details={"count": inserted, "batch": batch, "by_measure": by_measure},
    )
