"""The org panel of 工作台: the signed-in person's units and roles."""

from __future__ import annotations

from django.http import HttpRequest

from duban.core.workbench import Panel, register
from duban.org.models import Membership


@register
def my_units(request: HttpRequest) -> Panel | None:
    if not request.user.is_authenticated:
        return None
    memberships = (
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("unit", "scope")
        .order_by("unit__path", "role")
    )
    return Panel("org/panel_my_units.html", {"memberships": list(memberships)}, order=10)
