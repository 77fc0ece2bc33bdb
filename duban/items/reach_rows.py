"""Each item's reach as rows on PostgreSQL, for counts a btree answers alone.

The reach array (items/reach.py) finds a city's 60,000 items of a million through a GIN index, but
a count still reads each of them from the table, 47,000 pages: 0.15 s for the 台账's total. Here
each item that is not 涉密 has one row per unit of its reach (`unit_id`, the absolute id; `ways`
1 if registered under it, 2 if handled under it, 3 both), with the columns the 台账's commonest
filters read (state, source, due date, registration time, lead unit). A scope's count with those
filters is then an index-only scan of its own rows (ledgers/counts.py).

Like the array, the rows are PostgreSQL's alone and kept by triggers: on an item's insert, on a
change of its reach or of one of those columns, on its delete, and on TRUNCATE (Django's test
flush). The model is unmanaged: the migration writes the table.
"""

from __future__ import annotations

from typing import Any

from duban.core.vendor_sql import run_on, trigger_function

TABLE = """
CREATE TABLE IF NOT EXISTS items_reach_rows (
  unit_id bigint NOT NULL,
  item_id bigint NOT NULL,
  ways smallint NOT NULL,
  state varchar(24) NOT NULL,
  source varchar(24) NOT NULL,
  due_date date,
  created_at timestamptz NOT NULL,
  lead_unit_id bigint,
  PRIMARY KEY (unit_id, item_id)
)
"""

# The rows of the items in `changed`, from their reach and columns.
_INSERT = """
INSERT INTO items_reach_rows
  (unit_id, item_id, ways, state, source, due_date, created_at, lead_unit_id)
SELECT abs(r), i.id, bit_or(CASE WHEN r < 0 THEN 1 ELSE 2 END)::smallint,
       i.state, i.source, i.due_date, i.created_at, i.lead_unit_id
  FROM {items} i, unnest(i.reach) r
 WHERE i.confidentiality <> 'secret' {where}
 GROUP BY abs(r), i.id, i.state, i.source, i.due_date, i.created_at, i.lead_unit_id
"""

TRIGGERS = (
    trigger_function("duban_reach_rows_new", _INSERT.format(items="changed", where="")),
    trigger_function(
        "duban_reach_rows_gone",
        "DELETE FROM items_reach_rows WHERE item_id IN (SELECT id FROM changed)",
    ),
    trigger_function(
        "duban_reach_rows_again",
        """
  DELETE FROM items_reach_rows WHERE item_id = NEW.id;
  INSERT INTO items_reach_rows
    (unit_id, item_id, ways, state, source, due_date, created_at, lead_unit_id)
  SELECT abs(r), NEW.id, bit_or(CASE WHEN r < 0 THEN 1 ELSE 2 END)::smallint,
         NEW.state, NEW.source, NEW.due_date, NEW.created_at, NEW.lead_unit_id
    FROM unnest(NEW.reach) r
   WHERE NEW.confidentiality <> 'secret'
   GROUP BY abs(r);
""",
    ),
    trigger_function("duban_reach_rows_truncate", "TRUNCATE items_reach_rows"),
    "CREATE TRIGGER item_reach_rows_ins AFTER INSERT ON items_item REFERENCING NEW TABLE AS"
    " changed FOR EACH STATEMENT EXECUTE FUNCTION duban_reach_rows_new()",
    # Row by row, and only when a column of the rows changed: the sweeps update a million items'
    # lights in one statement and must not rewrite their rows.
    "CREATE TRIGGER item_reach_rows_upd AFTER UPDATE OF reach, confidentiality, state, source,"
    " due_date, created_at, lead_unit_id ON items_item FOR EACH ROW WHEN ("
    " OLD.reach IS DISTINCT FROM NEW.reach"
    " OR OLD.confidentiality IS DISTINCT FROM NEW.confidentiality"
    " OR OLD.state IS DISTINCT FROM NEW.state OR OLD.source IS DISTINCT FROM NEW.source"
    " OR OLD.due_date IS DISTINCT FROM NEW.due_date"
    " OR OLD.created_at IS DISTINCT FROM NEW.created_at"
    " OR OLD.lead_unit_id IS DISTINCT FROM NEW.lead_unit_id)"
    " EXECUTE FUNCTION duban_reach_rows_again()",
    "CREATE TRIGGER item_reach_rows_del AFTER DELETE ON items_item REFERENCING OLD TABLE AS"
    " changed FOR EACH STATEMENT EXECUTE FUNCTION duban_reach_rows_gone()",
    "CREATE TRIGGER item_reach_rows_trunc AFTER TRUNCATE ON items_item"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_reach_rows_truncate()",
)

INDEX = (
    "CREATE INDEX IF NOT EXISTS items_reach_rows_counted ON items_reach_rows"
    " (unit_id, state, due_date) INCLUDE (ways, source, lead_unit_id, created_at, item_id)"
)
ITEM_INDEX = "CREATE INDEX IF NOT EXISTS items_reach_rows_item ON items_reach_rows (item_id)"
# A wide scope's rows by registration time, walked for a 标签's newest items, each tested for the
# tag by its id (ledgers/pages.by_reach_rows): a city's newest 20 民生实事 in 380 index entries
# (0.5 ms), where the walk of the items read 5,300 of them from the table (7 ms). Migration 0027.
# It carries the state and the due date: PostgreSQL 15 costs a page's count over all the rows
# (COUNT(*) OVER ()) as if the page stopped early, and walked it for a city's red lights; without
# them it read all 61,000 of the city's rows from the table to test them (117 ms, against 8 ms
# from the index alone).
CREATED_INDEX = (
    "CREATE INDEX IF NOT EXISTS items_reach_rows_created ON items_reach_rows"
    " (unit_id, created_at, item_id) INCLUDE (state, due_date)"
)
CREATED_INDEX_DROP = ("DROP INDEX IF EXISTS items_reach_rows_created",)


def create_created_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, (CREATED_INDEX,))


def drop_created_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, CREATED_INDEX_DROP)


def backfill_sql(item_ids: str | None = None) -> str:
    """The rows of every item, or of those of the subquery `item_ids` (SQL the caller wrote)."""
    where = f"AND i.id IN ({item_ids})" if item_ids else ""
    return _INSERT.format(items="items_item", where=where)


CREATE = (TABLE, ITEM_INDEX, *TRIGGERS, backfill_sql(), INDEX, "ANALYZE items_reach_rows")
DROP = (
    "DROP TRIGGER IF EXISTS item_reach_rows_ins ON items_item",
    "DROP TRIGGER IF EXISTS item_reach_rows_upd ON items_item",
    "DROP TRIGGER IF EXISTS item_reach_rows_del ON items_item",
    "DROP TRIGGER IF EXISTS item_reach_rows_trunc ON items_item",
    "DROP FUNCTION IF EXISTS duban_reach_rows_new()",
    "DROP FUNCTION IF EXISTS duban_reach_rows_gone()",
    "DROP FUNCTION IF EXISTS duban_reach_rows_again()",
    "DROP FUNCTION IF EXISTS duban_reach_rows_truncate()",
    "DROP TABLE IF EXISTS items_reach_rows",
)


def create(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, CREATE)


def drop(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, DROP)
