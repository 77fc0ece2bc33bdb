"""Who may see and retry the outbox: administrators, over the people in their jurisdiction.

The inbox needs no table: a person sees only their own notifications (models.Notification).
"""

from __future__ import annotations

from duban.org.access import register
from duban.org.models import Role

ADMINS = frozenset({Role.ADMIN})
register("outbox", {"view": ADMINS, "manage": ADMINS})
