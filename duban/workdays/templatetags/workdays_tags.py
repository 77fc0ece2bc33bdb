"""`user|sees_calendar`: the nav shows 日历与规则 only to those the pages admit."""

from __future__ import annotations

from typing import Any

from django import template

from duban.org.access import can

register = template.Library()


@register.filter
def sees_calendar(user: Any) -> bool:
    return can(user, "calendar_pages", "view")
