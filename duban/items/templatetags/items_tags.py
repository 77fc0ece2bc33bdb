"""Small display helpers for the item pages."""

from __future__ import annotations

from django import template

register = template.Library()

STATE_BADGES = {
    "draft": "bg-secondary-lt",
    "pending_approval": "bg-purple-lt",
    "assigned": "bg-azure-lt",
    "in_progress": "bg-blue-lt",
    "submitted": "bg-orange-lt",
    "completed": "bg-green-lt",
    "archived": "bg-teal-lt",
    "cancelled": "bg-dark-lt",
}


@register.filter
def state_badge(state: str) -> str:
    """The Tabler badge colour of a state, the same in 台账, the item page and 工作台."""
    return STATE_BADGES.get(state, "bg-secondary-lt")
