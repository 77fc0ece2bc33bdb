"""What the handling units hear about an item: the notify calls of the item actions.

Called at the end of the action, inside its transaction (notify/actions.py), so the inbox and
outbox rows commit with the state change. The liaisons (联络员) of the units receive them: they
sign for items and answer reminders. A 涉密 item's title never leaves the platform (`private`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.items.access import active_units
from duban.items.models import Confidentiality, Item
from duban.notify.actions import notify_units
from duban.org.models import Role, Unit

RECIPIENT_ROLES = (Role.LIAISON,)


def _url(item: Item) -> str:
    return reverse("items:detail", args=[item.pk])


def assigned(item: Item) -> int:
    """交办: each active handling unit's liaisons get the item and its deadline."""
    units = [row.unit for row in active_units(item)]
    due = item.due_date.isoformat() if item.due_date else _("未定")
    return notify_units(
        units,
        RECIPIENT_ROLES,
        kind="item_assigned",
        title=_("新交办事项:%(title)s") % {"title": item.title},
        body=_("办理时限:%(due)s。请及时签收。") % {"due": due},
        target=item,
        url=_url(item),
        private=item.confidentiality == Confidentiality.SECRET,
    )


def reminded(item: Item, units: Iterable[Unit], message: str) -> int:
    """催办: the reminded units' liaisons get the office's message."""
    return notify_units(
        list(units),
        RECIPIENT_ROLES,
        kind="item_reminded",
        title=_("催办:%(title)s") % {"title": item.title},
        body=message,
        target=item,
        url=_url(item),
        private=item.confidentiality == Confidentiality.SECRET,
    )
