"""Who may see and change calendars and deadline rules (shared/DESIGN.md principle 4)."""

from __future__ import annotations

from duban.org.access import ALL_ROLES, register
from duban.org.models import Role

# Everyone counts deadlines; only administrators change the calendar (issue 3 item 3), while
# rules are also edited by office heads (issue 3 item 8).
register("calendar", {"view": ALL_ROLES, "manage": frozenset({Role.ADMIN})})
register(
    "deadline_rule",
    {"view": ALL_ROLES, "manage": frozenset({Role.ADMIN, Role.OFFICE_HEAD})},
)
# The calendar and rule pages are for those who run supervision (issue 3 item 8).
register("calendar_pages", {"view": frozenset({Role.ADMIN, Role.OFFICE_HEAD})})
