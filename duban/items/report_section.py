"""What the item page's report section shows, and which report buttons make sense now.

The state table says who may report in which state; whether 审签 or 审批延期 makes sense also
depends on the item's reports (a draft awaiting sign-off, a pending request), so the page asks here
before it shows those buttons. The actions check the same facts again when pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from duban.items import extending, reminding, reporting
from duban.items.access import visible_reports
from duban.items.models import ExtensionRequest, Item, ItemState, ProgressReport, ReportState


@dataclass
class Facts:
    """What the item's reports say about which report buttons make sense now."""

    final: ProgressReport | None
    extension: ExtensionRequest | None
    plan: ProgressReport | None = None

    @classmethod
    def of(cls, item: Item) -> Facts:
        plan = reporting.current_plan(item) if item.state == ItemState.IN_PROGRESS else None
        return cls(reporting.open_final(item), extending.pending(item), plan)

    def offers(self, action: str) -> bool:
        final, waiting = self.final, ReportState.AWAITING_SIGNOFF
        if action == "sign_off":
            return final is not None and final.state == waiting and final.signed_off_at is None
        if action == "submit_final":
            # Only after a sign-off that left the sending to the liaison (API `send=false`).
            return final is not None and final.state == waiting and final.signed_off_at is not None
        if action == "request_extension":
            return self.extension is None
        if action == "decide_extension":
            return self.extension is not None
        return True

    def label(self, action: str, label: str) -> str:
        if action == "draft_final" and self.final is not None:
            return _("修改办结报告")
        if action == "submit_plan" and self.plan is not None:
            return _("修改工作方案")
        return label


def reports_context(user: Any, item: Item, facts: Facts, available: list[str]) -> dict[str, Any]:
    """The reports and extensions section of the item page."""
    reports = visible_reports(user, item).prefetch_related("attachments")
    extensions = item.extensions.select_related("unit", "requested_by", "decided_by")
    pending = facts.extension
    draft = facts.final if facts.final and facts.final.state == ReportState.DRAFT else None
    return {
        "reports": list(reports),
        "extensions": list(extensions.order_by("-requested_at", "-id")),
        "withdrawable": pending if pending and pending.requested_by_id == user.pk else None,
        "unsent_draft": draft if "draft_final" in available else None,
        "reminders": list(reminding.reminders_for(item)[:50]),
        # What the worker sent by rule (items/sweeps.py): the units see they were told.
        "auto_reminders": list(
            item.sent_reminders.select_related("rule").order_by("-sent_at", "-id")[:20]
        ),
    }
