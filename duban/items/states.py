"""THE transition table of shared/DESIGN.md 「The item lifecycle」, as data.

Actions check it before changing an item, and pages render their buttons from it, so a button
can never offer what the server would refuse (the django-helpdesk counterexample, CODE-STYLE).
`side` says where the person's jurisdiction must reach: the office side is checked against the
item's registering unit, the unit side against the handling (lead or co) unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.items.models import OPEN_STATES, ItemState
from duban.org.models import Role

Side = Literal["office", "unit"]

OFFICE = frozenset({Role.OFFICE, Role.OFFICE_HEAD})
APPROVERS = frozenset({Role.OFFICE_HEAD, Role.LEADER})
HEAD = frozenset({Role.OFFICE_HEAD})
LIAISON = frozenset({Role.LIAISON})
CO = frozenset({"co"})
UNIT_LEADER = frozenset({Role.UNIT_LEADER})
ANY_UNIT = frozenset({"lead", "co"})
# Signing for an item or sending it back is done once, by a unit that has not signed yet.
UNSIGNED_ONLY = frozenset({"acknowledge", "acknowledge_part", "decline", "decline_part"})


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    roles: frozenset[Role]
    side: Side
    reason_required: bool = False
    # Unit side: which handling role may take it (the lead answers for the item).
    unit_roles: frozenset[str] = frozenset({"lead"})


ACTION_LABELS: dict[str, Any] = {
    "edit": gettext_lazy("修改"),
    "submit": gettext_lazy("送审"),
    "approve": gettext_lazy("审定同意"),
    "send_back": gettext_lazy("退回修改"),
    "assign": gettext_lazy("交办"),
    "acknowledge": gettext_lazy("签收"),
    "acknowledge_part": gettext_lazy("协办签收"),
    "decline": gettext_lazy("退回(退单)"),
    "decline_part": gettext_lazy("协办退回"),
    "submit_plan": gettext_lazy("报送工作方案"),
    "report_progress": gettext_lazy("报送进展"),
    "submit_final": gettext_lazy("报送办结报告"),
    "request_extension": gettext_lazy("申请延期"),
    "decide_extension": gettext_lazy("审批延期"),
    "remind": gettext_lazy("催办"),
    "co_input": gettext_lazy("报送协办意见"),
    "draft_final": gettext_lazy("起草办结报告"),
    "sign_off": gettext_lazy("审签办结报告"),
    "accept": gettext_lazy("审核通过"),
    "return_for_redo": gettext_lazy("退回重办"),
    "archive": gettext_lazy("归档"),
    "reopen": gettext_lazy("回访复核重新办理"),
    "cancel": gettext_lazy("撤销"),
}

S = ItemState
_ROWS: list[Transition] = [
    Transition("edit", S.DRAFT, S.DRAFT, OFFICE, "office"),
    # 拟办送审 (seed 001 第七条): optional, per rule set.
    Transition("submit", S.DRAFT, S.PENDING_APPROVAL, OFFICE, "office"),
    Transition("approve", S.PENDING_APPROVAL, S.DRAFT, APPROVERS, "office"),
    Transition("send_back", S.PENDING_APPROVAL, S.DRAFT, APPROVERS, "office", True),
    Transition("assign", S.DRAFT, S.ASSIGNED, OFFICE, "office"),
    Transition("acknowledge", S.ASSIGNED, S.IN_PROGRESS, LIAISON, "unit"),
    # Co-units sign for their part without moving the item (issue 4 item 4).
    Transition("acknowledge_part", S.ASSIGNED, S.ASSIGNED, LIAISON, "unit", unit_roles=CO),
    Transition("acknowledge_part", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit", unit_roles=CO),
    # The lead unit's 退回 sends the item back to the office for re-routing; a co-unit's only
    # takes that unit off the item, which the lead goes on handling (DESIGN: "counted per unit").
    Transition("decline", S.ASSIGNED, S.DRAFT, LIAISON, "unit", True),
    Transition("decline_part", S.ASSIGNED, S.ASSIGNED, LIAISON, "unit", True, CO),
    Transition("decline_part", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit", True, CO),
    # seed 004 第十一条: 第一时间拟定工作方案; a revised plan is sent the same way.
    Transition("submit_plan", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit"),
    Transition("report_progress", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit"),
    Transition("submit_final", S.IN_PROGRESS, S.SUBMITTED, LIAISON, "unit"),
    # seed 004 第十二条: co-units feed the lead; the lead's leader signs and sends (审签、报送).
    Transition("co_input", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit", unit_roles=CO),
    Transition("draft_final", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit"),
    Transition("sign_off", S.IN_PROGRESS, S.SUBMITTED, UNIT_LEADER, "unit"),
    # seed 004 第十八条: only before the deadline (checked by the extension action).
    Transition("request_extension", S.ASSIGNED, S.ASSIGNED, LIAISON, "unit"),
    Transition("request_extension", S.IN_PROGRESS, S.IN_PROGRESS, LIAISON, "unit"),
    Transition("decide_extension", S.ASSIGNED, S.ASSIGNED, HEAD, "office"),
    Transition("decide_extension", S.IN_PROGRESS, S.IN_PROGRESS, HEAD, "office"),
    # 催办督办 (seed 004 第七条(五)): the office reminds the handling units, a message required.
    Transition("remind", S.ASSIGNED, S.ASSIGNED, OFFICE, "office", True),
    Transition("remind", S.IN_PROGRESS, S.IN_PROGRESS, OFFICE, "office", True),
    Transition("accept", S.SUBMITTED, S.COMPLETED, OFFICE, "office"),
    Transition("return_for_redo", S.SUBMITTED, S.IN_PROGRESS, OFFICE, "office", True),
    Transition("archive", S.COMPLETED, S.ARCHIVED, OFFICE, "office"),
    # 回访复核 (seed 001 第二十一条): the revisit's finding is the reason.
    Transition("reopen", S.COMPLETED, S.IN_PROGRESS, OFFICE, "office", True),
    *[Transition("cancel", state, S.CANCELLED, HEAD, "office", True) for state in OPEN_STATES],
]

TABLE: dict[tuple[str, str], Transition] = {(row.source, row.action): row for row in _ROWS}
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(row.action for row in _ROWS))


class IllegalTransition(ValidationError):
    """The state table does not allow this action in this state."""


def roles_for(action: str) -> frozenset[Role]:
    """All roles that may take `action` in some state (feeds the permission registry)."""
    roles: frozenset[Role] = frozenset()
    for row in _ROWS:
        if row.action == action:
            roles |= row.roles
    return roles


def label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def state_label(state: str) -> str:
    return str(ItemState(state).label) if state in ItemState.values else state


def transition(state: str, action: str) -> Transition:
    """The row for (state, action), or a Chinese refusal naming both."""
    row = TABLE.get((state, action))
    if row is None:
        raise IllegalTransition(
            {
                "state": [
                    _("事项当前状态为「%(state)s」,不能执行「%(action)s」。")
                    % {"state": state_label(state), "action": label(action)}
                ]
            }
        )
    return row


def actions_from(state: str) -> list[Transition]:
    return [row for row in _ROWS if row.source == state]
