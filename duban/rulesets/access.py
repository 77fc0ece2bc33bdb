"""Who may see and change the rules set as data (shared/DESIGN.md principle 4).

Like deadline rules (workdays/access.py), the item rules — lights, reminders, which deadline rule
a source uses — are edited by administrators and office heads. The escalation and accountability
ladders propose measures against units, so only administrators change them, as only they choose
the active preset (assessment/actions.py activate_preset).
"""

from __future__ import annotations

from duban.org.access import ALL_ROLES, register
from duban.org.models import Role

ADMIN = frozenset({Role.ADMIN})
RUNNERS = frozenset({Role.ADMIN, Role.OFFICE_HEAD})

register("item_rule", {"view": ALL_ROLES, "manage": RUNNERS})
register("assessment_rule", {"view": ALL_ROLES, "manage": ADMIN})
# The pages are for those who run supervision, as the calendar pages are.
register("rule_settings", {"view": RUNNERS})
