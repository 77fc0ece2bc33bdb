"""Each item's reach on PostgreSQL: the units whose scope takes it in, as one indexed array.

A city head's scope is every item registered under the city's units or handled by one, some
60,000 of a million. Asked as `owner IN (units) OR id IN (handling rows)`, PostgreSQL can only
test every item in turn (0.3 s for the 台账's count). `items_item.reach` holds, per item, the ids
of the units above and at the registering unit, negated, and of the units above and at each
active handling unit (a unit's path lists its ancestors' ids, org/actions.child_path). A scope is
then `reach && ARRAY[-office roots, handling roots]`, which a GIN index answers, alongside the
other indexes of a filter.

The column is PostgreSQL's alone, like the trigram index of ledgers/search.py: the model does not
know it, and it is kept by triggers, so every way an item or its units change (actions, imports,
tests writing rows, bench/province.py) keeps it right — on an item's insert or change of
registering unit, on any change to its handling rows, and on a unit's move (org.actions.move_unit
rewrites the paths of a subtree). The index holds only items that are not 涉密, which reach a
person only by name (items/access.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, Expression, Q

from duban.core.vendor_sql import run_on
from duban.org.models import Unit

if TYPE_CHECKING:
    from duban.items.access import Scope

# The ways of a reach row (items/reach_rows.py): registered under the unit, handled, or both.
REGISTERED = (1, 3)
HANDLED = (2, 3)

FUNCTION = """
CREATE OR REPLACE FUNCTION duban_item_reach(item bigint, owner bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT r ORDER BY r), '{}') FROM (
    SELECT -seg::bigint AS r FROM org_unit u,
           unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) seg
     WHERE u.id = owner AND seg <> ''
    UNION ALL
    SELECT seg::bigint FROM items_itemunit iu JOIN org_unit u ON u.id = iu.unit_id,
           unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) seg
     WHERE iu.item_id = item AND iu.declined_at IS NULL AND seg <> ''
  ) t
$$
"""

ITEM_TRIGGER = """
CREATE OR REPLACE FUNCTION duban_item_reach_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.reach := duban_item_reach(NEW.id, NEW.owner_unit_id);
  RETURN NEW;
END $$;
CREATE TRIGGER item_reach_own BEFORE INSERT OR UPDATE OF owner_unit_id ON items_item
  FOR EACH ROW EXECUTE FUNCTION duban_item_reach_own();
"""

ITEM_UNIT_TRIGGER = """
CREATE OR REPLACE FUNCTION duban_item_reach_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE items_item SET reach = duban_item_reach(id, owner_unit_id)
   WHERE id IN (SELECT item_id FROM changed);
  RETURN NULL;
END $$;
CREATE TRIGGER item_reach_units_ins AFTER INSERT ON items_itemunit
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION duban_item_reach_units();
CREATE TRIGGER item_reach_units_upd AFTER UPDATE ON items_itemunit
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION duban_item_reach_units();
CREATE TRIGGER item_reach_units_del AFTER DELETE ON items_itemunit
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION duban_item_reach_units();
"""

UNIT_TRIGGER = """
CREATE OR REPLACE FUNCTION duban_item_reach_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH moved AS (
    SELECT n.id FROM after_units n JOIN before_units o ON o.id = n.id WHERE o.path <> n.path)
  UPDATE items_item SET reach = duban_item_reach(id, owner_unit_id) WHERE id IN (
    SELECT i.id FROM items_item i JOIN moved m ON m.id = i.owner_unit_id
    UNION
    SELECT iu.item_id FROM items_itemunit iu JOIN moved m ON m.id = iu.unit_id);
  RETURN NULL;
END $$;
CREATE TRIGGER unit_reach_moved AFTER UPDATE ON org_unit
  REFERENCING OLD TABLE AS before_units NEW TABLE AS after_units
  FOR EACH STATEMENT EXECUTE FUNCTION duban_item_reach_moved();
"""

# Every item's reach in one statement (the migration, the province generator): the same sets as
# duban_item_reach, grouped rather than asked item by item. {items} narrows it to some items.
BACKFILL = """
WITH ways AS (
  SELECT i.id AS item, -seg::bigint AS r
    FROM items_item i JOIN org_unit u ON u.id = i.owner_unit_id,
         unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) seg
   WHERE seg <> '' {items}
  UNION
  SELECT iu.item_id, seg::bigint FROM items_itemunit iu JOIN org_unit u ON u.id = iu.unit_id,
         unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) seg
   WHERE iu.declined_at IS NULL AND seg <> '' {units}
), reach AS (SELECT item, array_agg(r ORDER BY r) AS reach FROM ways GROUP BY item)
UPDATE items_item SET reach = reach.reach FROM reach WHERE items_item.id = reach.item
"""


def backfill_sql(item_ids: str | None = None) -> str:
    """BACKFILL over every item, or over those of the subquery `item_ids` (SQL the caller
    wrote, never a value from a request)."""
    if item_ids is None:
        return BACKFILL.format(items="", units="")
    return BACKFILL.format(
        items=f"AND i.id IN ({item_ids})", units=f"AND iu.item_id IN ({item_ids})"
    )


CREATE = (
    "ALTER TABLE items_item ADD COLUMN IF NOT EXISTS reach bigint[] NOT NULL DEFAULT '{}'",
    FUNCTION,
    ITEM_TRIGGER,
    ITEM_UNIT_TRIGGER,
    UNIT_TRIGGER,
    backfill_sql(),
    "CREATE INDEX IF NOT EXISTS item_reach ON items_item USING gin (reach) "
    "WHERE confidentiality <> 'secret'",
)
DROP = (
    "DROP TRIGGER IF EXISTS unit_reach_moved ON org_unit",
    "DROP TRIGGER IF EXISTS item_reach_units_ins ON items_itemunit",
    "DROP TRIGGER IF EXISTS item_reach_units_upd ON items_itemunit",
    "DROP TRIGGER IF EXISTS item_reach_units_del ON items_itemunit",
    "DROP TRIGGER IF EXISTS item_reach_own ON items_item",
    "DROP FUNCTION IF EXISTS duban_item_reach_moved()",
    "DROP FUNCTION IF EXISTS duban_item_reach_units()",
    "DROP FUNCTION IF EXISTS duban_item_reach_own()",
    "DROP FUNCTION IF EXISTS duban_item_reach(bigint, bigint)",
    "DROP INDEX IF EXISTS item_reach",
    "ALTER TABLE items_item DROP COLUMN IF EXISTS reach",
)


def create(schema_editor: Any) -> None:
    """Migration step: the column, its triggers, every item's reach and the index."""
    run_on("postgresql", schema_editor, CREATE)


def drop(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, DROP)


# An office clerk registers thousands of items, nearly all of which their scope reaches anyway;
# which of them it does not (restrict_personal) the index answers alone, without reading them
# (a city clerk of 23,000 items: 90 → 6 ms). For the whole tree that is their 涉密 ones, found
# by the second key (a province clerk's 409 of 80,000: 9 → 0.3 ms). Migration 0023.
CREATOR_INDEX = (
    "CREATE INDEX IF NOT EXISTS item_creator_reach ON items_item (created_by_id, confidentiality) "
    "INCLUDE (id, reach)",
)
CREATOR_INDEX_DROP = ("DROP INDEX IF EXISTS item_creator_reach",)


def create_creator_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, CREATOR_INDEX)


def drop_creator_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, CREATOR_INDEX_DROP)


def available() -> bool:
    return connection.vendor == "postgresql"


def unit_id(path: str) -> int:
    """A unit's id from its path, whose last segment it is (org/actions.child_path)."""
    return int(path.rstrip("/").rsplit("/", 1)[-1])


def reach_q(office_roots: Sequence[str], handling_roots: Sequence[str]) -> Q:
    """The items not 涉密 that a scope of these roots takes in, from the reach index."""
    wanted = sorted(
        {-unit_id(root) for root in office_roots} | {unit_id(root) for root in handling_roots}
    )
    return Q(ReachOverlap(wanted)) & ~Q(confidentiality="secret")


def scope_roots(scope: Scope) -> set[int]:
    return {unit_id(path) for path in (*scope.office_roots, *scope.handling_roots)}


def rows_q(scope: Scope, whole_tree: bool) -> Q:
    """The scope's reach rows (a ReachRow filter): the items not 涉密 it takes in, each once for
    each of its roots that reaches it."""
    if whole_tree:
        # Every item is registered under exactly one top-level unit. Their ids as a list, not a
        # subquery: told which units, PostgreSQL expects a million rows and counts them in
        # parallel (0.10 s, against 0.20 s guessing a thousand).
        tops = list(Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
        return Q(unit_id__in=tops, ways__in=REGISTERED)
    office = {unit_id(path) for path in scope.office_roots}
    handling = {unit_id(path) for path in scope.handling_roots}
    if office == handling:
        return Q(unit_id__in=sorted(handling))
    return Q(unit_id__in=sorted(office), ways__in=REGISTERED) | Q(
        unit_id__in=sorted(handling), ways__in=HANDLED
    )


class ReachOverlap(Expression):
    """`reach && ids` on the query's own items table: the column is not on the model, and a
    subquery of items names its table by an alias (U0), which a fixed "items_item" would step
    past to the outer query's row. The ids are bound as one array parameter."""

    output_field = BooleanField()

    def __init__(self, ids: Sequence[int]) -> None:
        super().__init__()
        self.ids = list(ids)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f'{table}."reach" && %s::bigint[]', (self.ids,)
