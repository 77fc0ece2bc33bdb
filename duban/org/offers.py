"""Named unit offers: which units a unit field may offer a person, recomputed from a name alone.

A form fills its unit field from `offered(user, name)`, and the picker endpoint
(org/pick_views.py) searches the set of the same name for the same person: what a search finds
is exactly what the form accepts, and the browser sends only the name and what was typed, never a
list of units or a scope. An offer tied to one object (the units a group may still seat) carries
that object's id after a colon, and its function checks the person's right to it again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Exists, QuerySet

from duban.org.access import scope_q
from duban.org.models import GroupMember, LeadingGroup, Unit, User

Offer = Callable[[User], QuerySet[Unit]]
ObjectOffer = Callable[[User, int], QuerySet[Unit]]

_OFFERS: dict[str, Offer] = {}
_OBJECT_OFFERS: dict[str, ObjectOffer] = {}
# An id of at most ten digits: a longer one is no row's, and PostgreSQL refuses what overflows.
_OBJECT_NAME = re.compile(r"([a-z_.]+):(\d{1,10})", re.ASCII)


class UnknownOffer(LookupError):
    """No offer of that name: the page is older than the code, or the name was made up."""


def register(name: str, offer: Offer) -> None:
    """Apps add their offers here from modules their AppConfig.ready imports."""
    _OFFERS[name] = offer


def register_for_object(name: str, offer: ObjectOffer) -> None:
    _OBJECT_OFFERS[name] = offer


def offered(user: User, name: str) -> QuerySet[Unit]:
    """The units offer `name` gives `user`, in tree order; UnknownOffer if there is none."""
    if name in _OFFERS:
        return _OFFERS[name](user).order_by("path")
    match = _OBJECT_NAME.fullmatch(name)
    if match and match[1] in _OBJECT_OFFERS:
        return _OBJECT_OFFERS[match[1]](user, int(match[2])).order_by("path")
    raise UnknownOffer(name)


def managed_units(user: User, resource: str = "unit") -> QuerySet[Unit]:
    """Units where `user` may manage `resource`: the only units a management form may offer."""
    return Unit.objects.filter(scope_q(user, "manage", resource, path_field="path")).order_by(
        "path"
    )


def unseated_units(user: User, group_id: int) -> QuerySet[Unit]:
    """Units the office may seat in a group it manages: any it can see, except those seated."""
    managed = LeadingGroup.objects.restrict(user, "manage").filter(pk=group_id)
    seated = GroupMember.objects.filter(group_id=group_id).values("unit")
    visible = Unit.objects.restrict(user, "view").filter(Exists(managed), active=True)
    return visible.exclude(pk__in=seated)


register("unit.view", lambda user: Unit.objects.restrict(user, "view"))
register("unit.manage", managed_units)
register("user.manage", lambda user: managed_units(user, "user"))
register("group.manage", lambda user: managed_units(user, "group"))
register_for_object("group.member", unseated_units)
