"""Who may do what, where: the one scoping chokepoint (shared/DESIGN.md principle 4).

A permission is a set of roles per (resource, action). A person holds it over the subtrees of the
scopes of their active memberships in those roles. Every `restrict(user, action)` ends here.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from duban.org.models import Membership, Role, Unit

Action = Literal["view", "change", "manage"]

ALL_ROLES = frozenset(Role)
PERMISSIONS: dict[str, dict[str, frozenset[Role]]] = {
    "unit": {"view": ALL_ROLES, "manage": frozenset({Role.ADMIN})},
    "user": {"view": ALL_ROLES, "manage": frozenset({Role.ADMIN})},
    "group": {
        "view": ALL_ROLES,
        "manage": frozenset({Role.ADMIN, Role.OFFICE, Role.OFFICE_HEAD}),
    },
    # The office reads the record of what it supervises (item timelines are this log).
    "audit": {
        "view": frozenset({Role.ADMIN, Role.AUDITOR, Role.OFFICE_HEAD, Role.OFFICE, Role.LEADER}),
    },
}

_CACHE_ATTR = "_duban_scopes"


def register(resource: str, table: dict[str, frozenset[Role]]) -> None:
    """Later apps add their own resources here from their access modules."""
    PERMISSIONS[resource] = table


def scopes(user: Any) -> list[tuple[str, str]]:
    """(role, scope path) of the user's active memberships, read once per user object."""
    cached: list[tuple[str, str]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = Membership.objects.active().filter(user=user, scope__active=True)
        cached = list(rows.values_list("role", "scope__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scopes(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_for(resource: str, action: str) -> frozenset[Role]:
    try:
        return PERMISSIONS[resource][action]
    except KeyError:
        return frozenset()


def scope_paths(user: Any, resource: str, action: str) -> list[str]:
    """The smallest set of subtree roots over which `user` may do `action` on `resource`."""
    allowed = roles_for(resource, action)
    paths = sorted({path for role, path in scopes(user) if role in allowed})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def is_unrestricted(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def scope_q(user: Any, action: str, resource: str, *, path_field: str) -> Q:
    """A filter keeping rows whose `path_field` lies inside the user's scope for the action."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if is_unrestricted(user):
        return Q()
    roots = scope_paths(user, resource, action)
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for root in roots:
        condition |= Q(**{f"{path_field}__startswith": root})
    return condition


def can(user: Any, resource: str, action: str, unit: Unit | None = None) -> bool:
    """Whether `user` may do `action` on `resource` at `unit` (anywhere, if unit is None)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_unrestricted(user):
        return True
    roots = scope_paths(user, resource, action)
    if unit is None:
        return bool(roots)
    return any(unit.path.startswith(root) for root in roots)


def require(user: Any, resource: str, action: str, unit: Unit | None = None) -> None:
    """Refuse with a Chinese message; `user` None is the system itself (CLI, demo, worker)."""
    if user is None:
        return
    if not can(user, resource, action, unit):
        raise PermissionDenied(_("您没有权限执行此操作。"))
