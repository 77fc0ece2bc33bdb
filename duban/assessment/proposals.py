"""The accountability sweep: propose measures against units; people decide (actions.py).

The Jinan preset follows seed 004 第二十条: a unit late on its task → 通报批评 (一); criticised
twice in a calendar year, or no improvement after criticism → 诫勉谈话 (二); three times → 组织处
理或纪律处分, referred to the discipline body when discipline is breached (三). Each rule is a
row; each trigger is one INSERT ... SELECT with a unique key per ground, so a ground is proposed
once:

- late: "r<rule>:i<item>" — an item held by the unit overdue by the threshold in working days, or
  completed late (`Item.completed_late`) this calendar year;
- count: "r<rule>:u<unit>:y<year>" — the unit's taken measures of one kind in the year (exact:
  GROUP BY unit over the decided rows of that year) reached the threshold;
- unimproved: "r<rule>:p<proposal>" — a measure was taken on an item, and the item is still open
  the threshold of working days after the decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.fields import DateTimeField, IntegerField
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.assessment.escalation import ESCALATING, crossed_since, overdue_since
from duban.assessment.models import (
    TAKEN,
    AccountabilityRule,
    Measure,
    Preset,
    Proposal,
    ProposalState,
    ProposalTrigger,
)
from duban.audit.log import record
from duban.audit.marks import Mark, head_seq, last_mark, mark_key, save_mark
from duban.audit.types import EventType
from duban.core import clock
from duban.core.setsql import insert_annotated
from duban.items.models import Item
from duban.notify.actions import notify
from duban.org.models import Membership, Role, User
from duban.workdays.arrays import Calendar
from duban.workdays.calendars import calendar_for


def propose(today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Propose what the active preset's accountability rules call for; the number proposed."""
    preset = Preset.objects.current()
    if preset is None:
        return 0
    rules = list(preset.accountability.filter(active=True).order_by("step"))
    cal = calendar_for()
    now = now or clock.now()
    batch = uuid.uuid4().hex
    with transaction.atomic():
        # In step order: a criticism accepted earlier counts before the rule that counts it.
        seq = head_seq()
        inserted = 0
        for rule in rules:
            settings = (preset.pk, rule.pk, rule.trigger, rule.threshold, rule.step, cal.version)
            key = mark_key("accountability", *settings)
            inserted += _insert(rule, today, cal, now, batch, last_mark(key))
            save_mark(key, today, seq)
        if inserted:
            record(
                EventType.PROPOSALS_GENERATED,
                actor=None,
                details={"count": inserted, "batch": batch},
            )
            _tell_deciders(batch)
    return inserted


def _tell_deciders(batch: str) -> int:
    """Office heads and leaders whose jurisdiction holds a unit of this run's proposals are told
    once per run (in the run's transaction, through the outbox): the system proposes, they decide.

    One query finds them: a decider's jurisdiction is its scope (or its unit), and it covers a
    proposal when the proposal's unit path starts with the jurisdiction's path.
    """
    covered = Proposal.objects.filter(batch=batch, unit__path__startswith=OuterRef("reach"))
    deciders = (
        Membership.objects.active()
        .filter(role__in=[Role.OFFICE_HEAD, Role.LEADER])
        .annotate(reach=Coalesce("scope__path", "unit__path"))
        .filter(Exists(covered))
        .values("user_id")
    )
    people = User.objects.filter(pk__in=deciders)
    return notify(
        people,
        kind="accountability_proposed",
        title=_("有新的问责建议待决定"),
        body=_("系统依据问责规则生成了新的问责建议,请在「督办与问责」中逐项同意、变更或不予问责。"),
        url=reverse("assessment:proposals") + "?state=proposed",
        dedupe_key=f"propose:{batch}",
    )


def _text(value: Any) -> Cast:
    return Cast(value, output_field=CharField())


def _insert(
    rule: AccountabilityRule,
    today: dt.date,
    cal: Calendar,
    now: dt.datetime,
    batch: str,
    mark: Mark | None,
) -> int:
    rows, key, item, unit = _ground(rule, today, cal, mark)
    return insert_annotated(
        Proposal,
        rows,
        {
            "key": Concat(Value(f"r{rule.pk}:"), key, output_field=CharField()),
            "rule": Value(rule.pk, output_field=IntegerField()),
            "unit": unit,
            "item": item,
            "measure": Value(rule.measure, output_field=CharField()),
            "basis": Value(rule.basis, output_field=CharField()),
            "year": Value(today.year, output_field=IntegerField()),
            "proposed_at": Value(now, output_field=DateTimeField()),
            "batch": Value(batch, output_field=CharField()),
            "state": Value(ProposalState.PROPOSED.value, output_field=CharField()),
            "decided_measure": Value("", output_field=CharField()),
            "reason": Value("", output_field=CharField()),
            "version": Value(1, output_field=IntegerField()),
        },
    )


Ground = tuple[QuerySet[Any], Any, Any, Any]


def _ground(rule: AccountabilityRule, today: dt.date, cal: Calendar, mark: Mark | None) -> Ground:
    """(rows, key expression, item expression, unit expression) for one rule."""
    if rule.trigger == ProposalTrigger.COUNT:
        return _counted(rule, today)
    if rule.trigger == ProposalTrigger.UNIMPROVED:
        return _unimproved(rule, today, cal)
    return _late(rule, today, cal, mark)


def _late(rule: AccountabilityRule, today: dt.date, cal: Calendar, mark: Mark | None) -> Ground:
    overdue = Q(state__in=ESCALATING, due_date__lt=overdue_since(cal, today, rule.threshold))
    # Completed late is set by the acceptance, an action with its event: `crossed_since` has it.
    late = Q(completed_late=True, completed_at__year=today.year)
    fresh = crossed_since(rule.threshold, today, cal, mark)
    rows = Item.objects.filter(lead_unit__isnull=False).filter(overdue | late).filter(fresh)
    key = Concat(Value("i"), _text(F("pk")), output_field=CharField())
    return rows, key, F("pk"), F("lead_unit_id")


def _counted(rule: AccountabilityRule, today: dt.date) -> Ground:
    rows = (
        Proposal.objects.filter(
            state__in=TAKEN, decided_measure=rule.counted_measure, year=today.year
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=max(rule.threshold, 1))
    )
    key = Concat(
        Value("u"), _text(F("unit_id")), Value(f":y{today.year}"), output_field=CharField()
    )
    # A typed NULL: PostgreSQL would read a bare NULL in the subquery as text.
    return rows, key, Cast(Value(None), output_field=IntegerField()), F("unit_id")


def _unimproved(rule: AccountabilityRule, today: dt.date, cal: Calendar) -> Ground:
    since = overdue_since(cal, today, rule.threshold)
    start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = Proposal.objects.filter(
        state__in=TAKEN,
        decided_measure=rule.counted_measure,
        decided_at__lt=start,
        item__state__in=ESCALATING,
    )
    key = Concat(Value("p"), _text(F("pk")), output_field=CharField())
    return rows, key, F("item_id"), F("unit_id")


def yearly_counts(proposals: QuerySet[Proposal]) -> list[dict[str, Any]]:
    """Taken measures per unit, year and measure: exact GROUP BY counts of decided rows."""
    rows = (
        proposals.filter(state__in=TAKEN)
        .values("unit_id", "unit__name", "year", "decided_measure")
        .annotate(n=Count("pk"))
        .order_by("-year", "unit__name", "decided_measure")
    )
    return [{**row, "label": Measure(row["decided_measure"]).label} for row in rows]
