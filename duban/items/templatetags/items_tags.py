"""Small display helpers for the item pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy

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


LIGHTS = {
    "red": ("bg-red", gettext_lazy("红灯")),
    "yellow": ("bg-yellow", gettext_lazy("黄灯")),
    "green": ("bg-green", gettext_lazy("绿灯")),
}


@register.inclusion_tag("items/_light.html")
def light_badge(light: str) -> dict[str, Any]:
    """红黄绿灯 as a Tabler status dot with its word (colour alone is not enough to read)."""
    css, word = LIGHTS.get(light, ("", ""))
    return {"light": light, "css": css, "word": word}
