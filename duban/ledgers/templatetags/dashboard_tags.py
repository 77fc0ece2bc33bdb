"""Nav entries for 统计分析 and 挂图作战, shown only to those the pages admit; small formats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from duban.core import clock
from duban.ledgers import dashboard_access  # noqa: F401  (registers the page permissions)
from duban.org.access import can

register = template.Library()


@register.filter
def sees_dashboard(user: Any) -> bool:
    return can(user, "dashboard", "view")


@register.filter
def sees_wallchart(user: Any) -> bool:
    return can(user, "wallchart", "view")


@register.filter
def days_late(due: dt.date | None) -> int:
    """Calendar days past the due date (the 台账 shows the date; this is how long ago)."""
    return (clock.today() - due).days if due else 0
