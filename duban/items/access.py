"""Who sees which items and may take which action on them (shared/DESIGN.md principle 4).

Two resources: `item` is the office side, reaching items registered by a unit in the person's
jurisdiction or handled by one; `item_unit` is the handling side, reaching only items on which a
unit in the person's jurisdiction is an active lead or co unit. A 涉密 item is further limited to
its creator and the people named on it (issue 4 item 1), whatever their role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Field, Lookup, Q, QuerySet
from django.utils.translation import gettext as _

from duban.items import reach, states
from duban.items.models import Confidentiality, Item, ItemUnit, ProgressReport, ReportState
from duban.org import offers
from duban.org.access import can, is_unrestricted, register, scope_paths, scope_q
from duban.org.models import Role, Unit

OFFICE_VIEW = frozenset({Role.OFFICE, Role.OFFICE_HEAD, Role.LEADER, Role.ADMIN, Role.AUDITOR})
UNIT_VIEW = OFFICE_VIEW | {Role.LIAISON, Role.UNIT_LEADER}

UnitIds = QuerySet[Unit, Any]

register(
    "item",
    {
        "view": OFFICE_VIEW,
        "change": states.OFFICE,
        **{action: states.roles_for(action) for action in states.ACTIONS},
    },
)
register("item_unit", {"view": UNIT_VIEW, "change": states.LIAISON | {Role.UNIT_LEADER}})


def units_where(user: Any, action: str) -> QuerySet[Unit]:
    """Active units in which `user` may take `action` on items: the only units a form offers."""
    units = Unit.objects.filter(scope_q(user, action, "item", path_field="path"), active=True)
    return units.order_by("path")


# The registering unit of a new item, and the units an item may be assigned to (org/offers.py).
offers.register("item.change", lambda user: units_where(user, "change"))
offers.register("item.assign", lambda user: units_where(user, "assign"))


def _named(user: Any) -> QuerySet[Any, Any]:
    return Item.named_people.through.objects.filter(user_id=user.pk).values("item_id")


def _named_q(user: Any) -> Q:
    return Q(created_by_id=user.pk) | Q(pk__in_once=_named(user))


@Field.register_lookup
class InOnce(Lookup):
    """`IN (subquery)` that PostgreSQL runs once, as `= ANY(ARRAY(subquery))`: an IN subquery in
    an OR is a subplan, which keeps PostgreSQL from scanning the items in parallel; an array
    computed up front (an InitPlan) does not. For short lists only (the items naming a person)."""

    lookup_name = "in_once"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return self._joined(compiler, connection, "{} IN {}")

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return self._joined(compiler, connection, "{} = ANY(ARRAY{})")

    def _joined(self, compiler: Any, connection: Any, form: str) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return form.format(lhs, rhs), (*lhs_params, *rhs_params)


@dataclass(frozen=True)
class Scope:
    """What a person's units let them reach, whoever they are: everything, or the items registered
    under `office_roots` or handled under `handling_roots` (unit path prefixes). Everyone holding
    the same roots shares it; the items a person reaches by name (`personal_q`) and the 涉密 rule
    are theirs alone."""

    everything: bool
    office_roots: tuple[str, ...] = ()
    handling_roots: tuple[str, ...] = ()


def scope_of(user: Any, action: str = "view") -> Scope | None:
    """The person's scope for `action` on items, None for a person who may reach none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if is_unrestricted(user):
        return Scope(everything=True)
    office_roots = scope_paths(user, "item", action)
    handling_roots = scope_paths(user, "item_unit", action) + office_roots
    return Scope(False, tuple(office_roots), tuple(handling_roots))


def item_q(user: Any, action: str = "view") -> Q:
    """The one filter behind `Item.objects.restrict`."""
    scope = scope_of(user, action)
    if scope is None:
        return Q(pk__in=[])
    secret = ~Q(confidentiality=Confidentiality.SECRET) | personal_q(user)
    whole_tree, units = _extent(user, scope)
    if whole_tree:
        # Every item is registered by some unit, all of them in scope: no subquery to test.
        return secret
    if _narrow(units):
        return _ways_in(scope, _personal_ways(user)) & secret
    if reach.available():
        return reach.reach_q(scope.office_roots, scope.handling_roots) | personal_q(user)
    return (units_q(scope, units) | personal_q(user)) & secret


def item_q_within(user: Any, action: str, within: Q) -> Q | None:
    """`item_q` with `within` asked of its reach branch alone, for a caller whose own filter
    implies `within` (a keyword's part an index holds with the reach, ledgers/search.py); None
    where the reach does not narrow the items (the whole tree) or is not kept (SQLite). A narrow
    scope takes it too: its union of ways in was read whole and each item looked up for its text
    (a district's 燃气: 5,100 items, 34 ms, against 2 ms from the one index).

    Restrict is shared ∨ personal, which is shared ∨ (personal ∧ ¬shared): the person's own
    items are here the ids of the latter, computed first (`_mine`), one index's own condition
    like the reach branch. As `personal_q`, the OR's other branch read every item a city clerk
    registered (22,000) to test their text; and a pair of characters left at the top of the
    filter was tested again on each row the one index found, recomputing its pairs (48 µs each),
    as the OR's other branch does not prove it."""
    scope = scope_of(user, action)
    if scope is None or not reach.available() or scope_extent(user, scope)[0]:
        return None
    shared = reach.reach_q(scope.office_roots, scope.handling_roots)
    return (shared & within) | Q(pk__in_once=_mine(user, scope))


def rowwise_q(user: Any, action: str = "view") -> Q:
    """`item_q` as a test of each row on its own, for a handful of items asked for by id: on
    PostgreSQL the reach array answers for any scope, where a narrow scope's union of its ways in
    would first be read whole (a county's: 16 ms for the 20 rows of a page). restrict is
    shared ∨ personal, which is what this says."""
    scope = scope_of(user, action)
    if scope is None:
        return Q(pk__in=[])
    return _rowwise_shared_q(user, scope) | personal_q(user)


def personal_only_q(user: Any, action: str = "view") -> Q:
    """What `restrict` adds to `shared_q` for this person: items they reach by name and not
    through their units, or 涉密 (restrict = shared ∨ personal, so restrict ∧ personal ∧ ¬shared
    is personal ∧ ¬shared). Starting from the person's few items and testing each row, not
    from the scope's union of ways in, which a narrow scope would read whole (9 ms for a
    unit's liaison, twice a page)."""
    scope = scope_of(user, action)
    if scope is None:
        return Q(pk__in=[])
    # The person's items as an array computed first: as an OR of conditions, PostgreSQL expected
    # thousands of them and walked a whole index for the dashboard's overdue few (0.19 s).
    # Those they registered are tested in the array already, from one index on PostgreSQL
    # (items/reach.py CREATOR_INDEX): a clerk registers thousands, their scope reaches most.
    return Q(pk__in_once=_mine(user, scope)) & ~_rowwise_shared_q(user, scope)


def _mine(user: Any, scope: Scope) -> QuerySet[Any, Any]:
    """The ids of the items the person reaches by name, less those they registered that their
    scope shares anyway."""
    outside = ~_rowwise_shared_q(user, scope)
    named, created = (way.order_by() for way in _personal_ways(user))
    return named.union(created.filter(outside), all=True)


def _rowwise_shared_q(user: Any, scope: Scope) -> Q:
    """`shared_q` of the person's `scope`, by the reach array on PostgreSQL whatever the
    scope's width (the whole tree and SQLite: `shared_q` itself)."""
    whole_tree, units = _extent(user, scope)
    if whole_tree or not reach.available():
        return shared_scope_q(scope, whole_tree, units)
    return reach.reach_q(scope.office_roots, scope.handling_roots)


def units_q(scope: Scope, units: int) -> Q:
    """The items a scope that is not the whole tree reaches through its units, 涉密 or not
    (`units` from `extent`)."""
    if _narrow(units):
        return _ways_in(scope, [])
    office, handling = _units(scope.office_roots), _units(scope.handling_roots)
    in_scope = Q(pk__in=[])
    if office is not None:
        in_scope |= Q(owner_unit_id__in=office)
    if handling is not None:
        rows = ItemUnit.objects.filter(declined_at__isnull=True, unit_id__in=handling)
        in_scope |= Q(pk__in=rows.values("item_id"))
    return in_scope


def shared_q(user: Any, action: str = "view") -> Q:
    """The items of the person's scope that everyone holding it sees (not 涉密)."""
    scope = scope_of(user, action)
    if scope is None:
        return Q(pk__in=[])
    return shared_scope_q(scope, *_extent(user, scope))


def shared_scope_q(scope: Scope, whole_tree: bool, units: int) -> Q:
    """`shared_q` for a scope rather than a person (`whole_tree, units` from `extent`)."""
    not_secret = ~Q(confidentiality=Confidentiality.SECRET)
    if whole_tree:
        return not_secret
    if not _narrow(units) and reach.available():
        return reach.reach_q(scope.office_roots, scope.handling_roots)
    return units_q(scope, units) & not_secret


def personal_q(user: Any) -> Q:
    """The items a person reaches by name whatever their units: created by them or naming them."""
    return _named_q(user)


def _narrow(units: int) -> bool:
    """A scope of up to DUBAN_NARROW_SCOPE_UNITS units (a county's offices and departments)
    finds its items through the indexes of the ways in; a wider one (a city's 250 units reach
    60,000 items of a million) through the reach index on PostgreSQL (items/reach.py), or else by
    reading the items once, which costs less than looking each of them up."""
    return units <= settings.DUBAN_NARROW_SCOPE_UNITS


def _personal_ways(user: Any) -> list[QuerySet[Any, Any]]:
    return [_named(user), Item.objects.filter(created_by_id=user.pk).values("pk")]


def _ways_in(scope: Scope, ways_in: list[QuerySet[Any, Any]]) -> Q:
    """One semi-join over the union of the ways in, where an OR of subqueries would leave the
    database no plan but reading every item."""
    ways_in = list(ways_in)
    office, handling = _units(scope.office_roots), _units(scope.handling_roots)
    if office is not None:
        ways_in.append(Item.objects.filter(owner_unit_id__in=office).values("pk"))
    if handling is not None:
        rows = ItemUnit.objects.filter(declined_at__isnull=True, unit_id__in=handling)
        ways_in.append(rows.values("item_id"))
    if not ways_in:
        return Q(pk__in=[])
    first, *rest = (way.order_by() for way in ways_in)
    return Q(pk__in=first.union(*rest, all=True)) if rest else Q(pk__in=first)


def scope_extent(user: Any, scope: Scope) -> tuple[bool, bool]:
    """(whether the scope covers every unit, whether it is wide), once per user object."""
    whole_tree, units = _extent(user, scope)
    return whole_tree, not whole_tree and not _narrow(units)


def _extent(user: Any, scope: Scope) -> tuple[bool, int]:
    """`extent(scope)`, once per user object and scope (a page restricts several times)."""
    cache: dict[Scope, tuple[bool, int]] = user.__dict__.setdefault("_duban_item_extent", {})
    if scope not in cache:
        cache[scope] = extent(scope)
    return cache[scope]


def extent(scope: Scope) -> tuple[bool, int]:
    """(whether the office scope covers every unit, how many units either scope holds)."""
    if scope.everything:
        return True, 0
    if not scope.handling_roots:
        return False, 0
    return _count_extent(list(scope.office_roots), list(scope.handling_roots))


def _count_extent(office_roots: list[str], handling_roots: list[str]) -> tuple[bool, int]:
    # No top-level unit may lie outside a whole tree.
    outside: Q = Q(parent__isnull=True)
    if office_roots:
        outside &= ~_under(office_roots)
    counts = Unit.objects.aggregate(
        outside=Count("pk", filter=outside), inside=Count("pk", filter=_under(handling_roots))
    )
    return bool(office_roots) and counts["outside"] == 0, counts["inside"]


def _under(roots: Sequence[str]) -> Q:
    under = Q()
    for root in roots:
        under |= Q(path__startswith=root)
    return under


def _units(roots: Sequence[str]) -> UnitIds | None:
    """The units under `roots`, as a subquery of ids: a few thousand rows the database hashes
    once, where a join on the path compared every item with every unit."""
    if not roots:
        return None
    return Unit.objects.filter(_under(roots)).values("pk")


def may_see_secret(user: Any, item: Item) -> bool:
    if item.confidentiality != Confidentiality.SECRET or user is None:
        return True
    if item.created_by_id == user.pk:
        return True
    return item.named_people.filter(pk=user.pk).exists()


def active_units(item: Item) -> list[ItemUnit]:
    return list(item.units.filter(declined_at__isnull=True).select_related("unit"))


def acting_row(
    user: Any, item: Item, row: states.Transition, units: list[ItemUnit] | None = None
) -> ItemUnit | None:
    """The handling unit through which `user` takes a unit-side action, if any."""
    for unit_row in units if units is not None else active_units(item):
        if unit_row.role not in row.unit_roles:
            continue
        if row.action in states.UNSIGNED_ONLY and unit_row.acknowledged_at is not None:
            continue
        if user is None or can(user, "item", row.action, unit_row.unit):
            return unit_row
    return None


def allowed(
    user: Any, item: Item, row: states.Transition, units: list[ItemUnit] | None = None
) -> bool:
    if user is None:
        return True
    if not may_see_secret(user, item):
        return False
    if row.side == "office":
        return can(user, "item", row.action, item.owner_unit)
    return acting_row(user, item, row, units) is not None


def check(user: Any, item: Item, action: str) -> states.Transition:
    """The transition, after refusing an illegal state or a person without the right."""
    row = states.transition(item.state, action)
    if not allowed(user, item, row):
        raise PermissionDenied(
            _("您没有权限对事项「%(title)s」执行「%(action)s」。")
            % {"title": item.title, "action": states.label(action)}
        )
    return row


def available_actions(user: Any, item: Item) -> list[str]:
    """The actions this person may take now: the buttons an item page shows."""
    units = active_units(item)
    names = [row.action for row in states.actions_from(item.state)]
    rows = [states.TABLE[(item.state, name)] for name in names]
    return [row.action for row in rows if allowed(user, item, row, units)]


# A draft or a report awaiting sign-off is the unit's own business until it is sent.
SENT_REPORTS = (ReportState.SUBMITTED, ReportState.RETURNED)


def visible_reports(user: Any, item: Item) -> QuerySet[ProgressReport]:
    """The item's reports (and its linked items', 一次填报、多方复用) this person may read."""
    from duban.items.reporting import reports_for

    reports = reports_for(item).filter(item__in=Item.objects.restrict(user))
    # "change" on the handling side: the unit's own liaison and leader, not the office over it.
    own_unit = scope_q(user, "change", "item_unit", path_field="unit__path")
    return reports.filter(Q(state__in=SENT_REPORTS) | own_unit).select_related(
        "created_by", "signed_off_by"
    )
