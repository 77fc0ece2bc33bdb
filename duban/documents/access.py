"""Who drafts, issues and reads 督查文书 (shared/DESIGN.md 「Who uses it」, principle 4).

- `document`: over the issuing office. Office staff and the office head draft and edit the
  office's templates; only the office head (who signs documents) issues; leaders and auditors
  of the jurisdiction read.
- `document_unit`: a unit's liaison and leader read the issued documents addressed to their unit
  (主送), never drafts.
A document about a 涉密 item stays with the people who may see that item.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from duban.org.access import register, scope_q
from duban.org.models import Membership, Role, Unit

ADMIN = frozenset({Role.ADMIN})
DRAFTERS = frozenset({Role.OFFICE, Role.OFFICE_HEAD}) | ADMIN
ISSUERS = frozenset({Role.OFFICE_HEAD}) | ADMIN
READERS = DRAFTERS | {Role.LEADER, Role.AUDITOR}

register(
    "document",
    {"view": READERS, "draft": DRAFTERS, "issue": ISSUERS, "template": DRAFTERS},
)
register("document_unit", {"view": frozenset({Role.LIAISON, Role.UNIT_LEADER})})


def document_q(user: Any, action: str = "view") -> Q:
    """The one filter behind `Document.objects.restrict`."""
    from duban.documents.models import DocState, Document
    from duban.items.models import Confidentiality, Item

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = scope_q(user, action, "document", path_field="office_unit__path")
    if action == "view":
        addressed = Document.addressees.through.objects.filter(
            scope_q(user, "view", "document_unit", path_field="unit__path")
        )
        q |= Q(state=DocState.ISSUED, pk__in=addressed.values("document_id"))
    secret = Document.items.through.objects.filter(item__confidentiality=Confidentiality.SECRET)
    # Each 涉密 link's item looked up by id (an anti-join): as NOT IN over every item the person
    # sees, a province's million did not fit in memory to be hashed, and each link would have
    # scanned them all.
    seen = Item.objects.restrict(user, "view").filter(pk=OuterRef("item_id"))
    hidden = secret.exclude(Exists(seen))
    return q & ~Q(pk__in=hidden.values("document_id"))


def offices_for(user: Any, action: str = "draft") -> list[Unit]:
    """The office units a person works in with the right to `action` documents there."""
    from duban.org.access import can

    roles = {Role.OFFICE, Role.OFFICE_HEAD, Role.ADMIN}
    units = Unit.objects.filter(
        pk__in=Membership.objects.active().filter(user=user, role__in=roles).values("unit_id")
    ).order_by("path")
    return [unit for unit in units if can(user, "document", action, unit)]
