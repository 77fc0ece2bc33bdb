"""The only code that changes escalations, proposals and the active preset (principle 2).

Each action checks the person's right over the unit concerned, claims the row with `UPDATE ...
WHERE version = <the version the person saw>` (a stale page is a Conflict, nothing changes),
and records its audit event in the same transaction. Nothing here runs on its own: the sweeps
(escalation.py, proposals.py) only propose; these actions are a person deciding.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.assessment.models import (
    DecisionState,
    Escalation,
    Measure,
    Preset,
    Proposal,
    ProposalState,
)
from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.items.actions import Conflict
from duban.notify.actions import notify_units
from duban.org.access import require
from duban.org.models import Membership, Role, Unit, User
from duban.org.validation import check_required, fail

atomic = transaction.atomic
REASON_MAX = 2000
DECISIONS = {
    "accept": (ProposalState.ACCEPTED, EventType.PROPOSAL_ACCEPTED),
    "change": (ProposalState.CHANGED, EventType.PROPOSAL_CHANGED),
    "reject": (ProposalState.REJECTED, EventType.PROPOSAL_REJECTED),
}


def _claim(rows: QuerySet[Any], row: Model, version: int, label: str, **fields: Any) -> None:
    """Write `fields` only if the row is still open at the version the person saw."""
    changed = rows.filter(pk=row.pk, version=version).update(version=F("version") + 1, **fields)
    if changed != 1:
        raise Conflict({"version": [_("%(label)s已被他人处理,请刷新后重试。") % {"label": label}]})
    row.refresh_from_db()


def _reason(reason: str) -> str:
    return check_required(reason or "", "reason", _("理由"), REASON_MAX)


# Accountability proposals ---------------------------------------------------------------------


@atomic
def decide(
    proposal: Proposal,
    *,
    actor: User | None,
    decision: str,
    reason: str,
    measure: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """Accept, change (to another measure) or reject a proposal, always with a reason.

    A taken measure (accepted or changed) is recorded against the unit in the calendar year of
    the decision — the year the yearly ladder counts — and sent to the auditors over the unit.
    """
    require(actor, "accountability", "decide", proposal.unit)
    if decision not in DECISIONS:
        raise fail("decision", _("决定须为同意、变更措施或不予问责。"))
    reason = _reason(reason)
    decided_measure = _decided_measure(proposal, decision, measure)
    state, event = DECISIONS[decision]
    now = now or clock.now()
    _claim(
        Proposal.objects.filter(state=ProposalState.PROPOSED),
        proposal,
        proposal.version if version is None else version,
        _("问责建议"),
        state=state,
        decided_measure=decided_measure,
        reason=reason,
        decided_by=actor,
        decided_at=now,
        year=timezone.localdate(now).year if decided_measure else proposal.year,
    )
    record(
        event,
        actor=actor,
        unit=proposal.unit,
        target=proposal,
        details={
            "measure": str(Measure(proposal.measure).label),
            "decided_measure": str(Measure(decided_measure).label) if decided_measure else "",
            "reason": reason,
            "year": proposal.year,
        },
    )
    if decided_measure:
        _tell_auditors(proposal)
    return proposal


def _decided_measure(proposal: Proposal, decision: str, measure: str) -> str:
    if decision == "reject":
        return ""
    if decision == "accept":
        return proposal.measure
    if measure not in Measure.values:
        raise fail("measure", _("变更措施须选择一项问责措施。"))
    if measure == proposal.measure:
        raise fail("measure", _("变更措施须不同于建议措施;同意原措施请选择「同意」。"))
    return measure


def auditor_units(unit: Unit) -> list[int]:
    """The units where auditors sit whose jurisdiction covers `unit` (ancestors' paths)."""
    covering = [unit.path[:end] for end in range(10, len(unit.path) + 1, 9)]
    auditors = Membership.objects.active().filter(role=Role.AUDITOR, scope__path__in=covering)
    return sorted(set(auditors.values_list("unit_id", flat=True)))


def _tell_auditors(proposal: Proposal) -> None:
    units = auditor_units(proposal.unit)
    if not units:
        return
    label = Measure(proposal.decided_measure).label
    notify_units(
        Unit.objects.filter(pk__in=units),
        [Role.AUDITOR],
        kind="accountability_decided",
        title=_("问责决定:%(unit)s %(measure)s") % {"unit": proposal.unit.name, "measure": label},
        body=_("%(year)d 年度对%(unit)s决定采取「%(measure)s」。理由:%(reason)s")
        % {
            "year": proposal.year,
            "unit": proposal.unit.name,
            "measure": label,
            "reason": proposal.reason,
        },
        url=reverse("assessment:proposal", args=[proposal.pk]),
        dedupe_key=f"accountability:{proposal.pk}",
    )


# Escalations ------------------------------------------------------------------------------------


@atomic
def apply_escalation(
    escalation: Escalation,
    *,
    actor: User | None,
    reason: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Escalation:
    return _decide_escalation(
        escalation, DecisionState.APPLIED, EventType.ESCALATION_APPLIED, actor, reason, version, now
    )


@atomic
def dismiss_escalation(
    escalation: Escalation,
    *,
    actor: User | None,
    reason: str,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Escalation:
    return _decide_escalation(
        escalation,
        DecisionState.DISMISSED,
        EventType.ESCALATION_DISMISSED,
        actor,
        reason,
        version,
        now,
    )


def _decide_escalation(
    escalation: Escalation,
    state: str,
    event: EventType,
    actor: User | None,
    reason: str,
    version: int | None,
    now: dt.datetime | None,
) -> Escalation:
    """The rule's applier, or a higher role, over the item's registering office decides."""
    require(actor, "escalation", f"apply_{escalation.rule.applier}", escalation.item.owner_unit)
    reason = _reason(reason)
    _claim(
        Escalation.objects.filter(state=DecisionState.PROPOSED),
        escalation,
        escalation.version if version is None else version,
        _("督办升级建议"),
        state=state,
        reason=reason,
        decided_by=actor,
        decided_at=now or clock.now(),
    )
    record(
        event,
        actor=actor,
        unit=escalation.unit,
        target=escalation.item,
        details={"measure": str(Measure(escalation.measure).label), "reason": reason},
    )
    return escalation


# Presets --------------------------------------------------------------------------------------


@atomic
def activate_preset(preset: Preset, *, actor: User | None) -> Preset:
    """Make `preset` the one the sweeps use (an administrator's choice, audited)."""
    require(actor, "unit", "manage")
    before = Preset.objects.current()
    Preset.objects.filter(active=True).exclude(pk=preset.pk).update(active=False)
    Preset.objects.filter(pk=preset.pk).update(active=True)
    preset.refresh_from_db()
    record(
        EventType.ASSESSMENT_PRESET_ACTIVATED,
        actor=actor,
        target=preset,
        details={"preset": [str(before) if before else "", str(preset)]},
    )
    return preset
