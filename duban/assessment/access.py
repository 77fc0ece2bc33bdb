"""Who sees and decides escalations and accountability proposals (shared/DESIGN.md principle 4).

- `escalation`: an escalation is seen by whoever may see its item (Item.objects.restrict, which
  keeps 涉密 items to the people named on them); it is applied or dismissed by the rule's
  `applier` or a higher role, over the item's registering office.
- `accountability`: office staff, office heads and leaders see the proposals about units in their
  jurisdiction; office heads and leaders decide them (issue 5 item 4).
- `accountability_decided`: `auditor` (组织部/纪检监察) reads the decisions in its jurisdiction, and
  a unit's liaison and leader read the decisions about their own unit — never open proposals.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from duban.assessment.models import DECIDED, Applier
from duban.org.access import is_unrestricted, register, scope_q
from duban.org.models import Role

ADMIN = frozenset({Role.ADMIN})
OFFICE_SIDE = frozenset({Role.OFFICE, Role.OFFICE_HEAD, Role.LEADER}) | ADMIN
DECIDERS = frozenset({Role.OFFICE_HEAD, Role.LEADER}) | ADMIN
# A higher role may apply a lower role's step (the office head what the office may, ...).
APPLIERS: dict[str, frozenset[Role]] = {
    Applier.OFFICE: OFFICE_SIDE,
    Applier.OFFICE_HEAD: DECIDERS,
    Applier.LEADER: frozenset({Role.LEADER}) | ADMIN,
}

register(
    "escalation",
    {"view": OFFICE_SIDE, **{f"apply_{applier}": roles for applier, roles in APPLIERS.items()}},
)
register("accountability", {"view": OFFICE_SIDE, "decide": DECIDERS})
register(
    "accountability_decided",
    {"view": frozenset({Role.AUDITOR, Role.LIAISON, Role.UNIT_LEADER})},
)


def escalation_q(user: Any, action: str = "view") -> Q:
    from duban.items.models import Item

    return Q(item__in=Item.objects.restrict(user, "view"))


def proposal_q(user: Any, action: str = "view") -> Q:
    """The one filter behind `Proposal.objects.restrict`."""
    if is_unrestricted(user):
        return Q()  # (an empty Q would vanish from the OR below and leave only `decided`)
    office = scope_q(user, action, "accountability", path_field="unit__path")
    if action != "view":
        return office
    decided = scope_q(user, "view", "accountability_decided", path_field="unit__path")
    return office | (Q(state__in=DECIDED) & decided)
