"""The item page's escalations, queried here so the items app need not know this app."""

from __future__ import annotations

from typing import Any

from django import template

from duban.assessment.models import Escalation

register = template.Library()


@register.simple_tag
def item_escalations(item: Any, user: Any) -> list[Escalation]:
    """The item's escalations, through `restrict` like every other lookup (principle 4)."""
    if item is None or user is None:
        return []
    rows = Escalation.objects.restrict(user).filter(item_id=item.pk)
    return list(rows.select_related("rule", "decided_by").order_by("step", "proposed_at"))
