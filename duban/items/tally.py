"""How many items that are not 涉密 there are by state, source and due date, on PostgreSQL.

Every item is registered under exactly one top-level unit, so the province head's 台账 (the whole
tree) shares every item that is not 涉密. Its total from the reach rows still counts a million index
entries (0.1 s); here the same number is a sum over a few thousand rows, one per state, source and
due date, and the filters that read only those columns (ledgers/filters.TALLY_FILTERS: state,
source, light, overdue, due dates) apply to the tally as to the items.

A counter row shared by the whole province would make every change of an item wait for every
other one, and two transactions touching two keys in opposite order would deadlock. So the
triggers never update a row: each change appends its delta (+n, −n) as a new row, and nothing
waits. `compact` (the worker, every few minutes) folds each key's deltas into one row in a single
statement; a delta not yet committed is not in that statement's snapshot and stays for the next
run, so a sum is exact at any moment, under any concurrency.

Like the reach rows, the tally is PostgreSQL's alone and kept by triggers (insert, update of its
columns, delete, TRUNCATE for Django's test flush); the model is unmanaged.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum

from duban.core.vendor_sql import run_on, trigger_function

TABLE = """
CREATE TABLE IF NOT EXISTS items_tally (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grain smallint NOT NULL,
  state varchar(24) NOT NULL,
  source varchar(24) NOT NULL,
  due_date date,
  n bigint NOT NULL
)
"""

# Each change counted at two grains: by day (0), for the filters on due dates, and over all days
# (1, due_date NULL), a hundred rows to sum when no filter reads a due date.
_DELTAS = """
INSERT INTO items_tally (grain, state, source, due_date, n)
SELECT 0, state, source, due_date, {sign} count(*) FROM {items}
 WHERE confidentiality <> 'secret' GROUP BY state, source, due_date
UNION ALL
SELECT 1, state, source, NULL, {sign} count(*) FROM {items}
 WHERE confidentiality <> 'secret' GROUP BY state, source
"""

TRIGGERS = (
    trigger_function("duban_tally_new", _DELTAS.format(sign="", items="changed")),
    trigger_function("duban_tally_gone", _DELTAS.format(sign="-", items="changed")),
    trigger_function(
        "duban_tally_again",
        """
  INSERT INTO items_tally (grain, state, source, due_date, n)
  SELECT grain, OLD.state, OLD.source, CASE grain WHEN 0 THEN OLD.due_date END, -1
    FROM (VALUES (0), (1)) g(grain) WHERE OLD.confidentiality <> 'secret'
  UNION ALL
  SELECT grain, NEW.state, NEW.source, CASE grain WHEN 0 THEN NEW.due_date END, 1
    FROM (VALUES (0), (1)) g(grain) WHERE NEW.confidentiality <> 'secret';
""",
    ),
    trigger_function("duban_tally_truncate", "TRUNCATE items_tally"),
    "CREATE TRIGGER item_tally_ins AFTER INSERT ON items_item REFERENCING NEW TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_tally_new()",
    # Row by row, and only when a tallied column changed: the lights sweep's million-row updates
    # of other columns add nothing.
    "CREATE TRIGGER item_tally_upd AFTER UPDATE OF confidentiality, state, source, due_date"
    " ON items_item FOR EACH ROW WHEN ("
    " (OLD.confidentiality = 'secret') IS DISTINCT FROM (NEW.confidentiality = 'secret')"
    " OR OLD.state IS DISTINCT FROM NEW.state OR OLD.source IS DISTINCT FROM NEW.source"
    " OR OLD.due_date IS DISTINCT FROM NEW.due_date)"
    " EXECUTE FUNCTION duban_tally_again()",
    "CREATE TRIGGER item_tally_del AFTER DELETE ON items_item REFERENCING OLD TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_tally_gone()",
    "CREATE TRIGGER item_tally_trunc AFTER TRUNCATE ON items_item"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_tally_truncate()",
)

# Each key with more than one row, or with a zero, becomes one row (or none): one statement, so a
# reader sees the deltas or their sum, never both or neither.
COMPACT = """
WITH folded AS (
  SELECT grain, state, source, due_date FROM items_tally
   GROUP BY grain, state, source, due_date HAVING count(*) > 1 OR sum(n) = 0
), gone AS (
  DELETE FROM items_tally t USING folded f
   WHERE t.grain = f.grain AND t.state = f.state AND t.source = f.source
     AND t.due_date IS NOT DISTINCT FROM f.due_date
  RETURNING t.grain, t.state, t.source, t.due_date, t.n
)
INSERT INTO items_tally (grain, state, source, due_date, n)
SELECT grain, state, source, due_date, sum(n) FROM gone
 GROUP BY grain, state, source, due_date HAVING sum(n) <> 0
"""

REBUILD = ("TRUNCATE items_tally", _DELTAS.format(sign="", items="items_item"))

# The light and overdue filters read the open states' rows before a day: an index-only scan of
# half the rows (province, red: 8 → 3 ms).
INDEX = (
    "CREATE INDEX IF NOT EXISTS items_tally_key ON items_tally (grain, state, due_date)"
    " INCLUDE (source, n)"
)

CREATE = (TABLE, *TRIGGERS, *REBUILD, INDEX, "ANALYZE items_tally")
DROP = (
    "DROP TRIGGER IF EXISTS item_tally_ins ON items_item",
    "DROP TRIGGER IF EXISTS item_tally_upd ON items_item",
    "DROP TRIGGER IF EXISTS item_tally_del ON items_item",
    "DROP TRIGGER IF EXISTS item_tally_trunc ON items_item",
    "DROP FUNCTION IF EXISTS duban_tally_new()",
    "DROP FUNCTION IF EXISTS duban_tally_gone()",
    "DROP FUNCTION IF EXISTS duban_tally_again()",
    "DROP FUNCTION IF EXISTS duban_tally_truncate()",
    "DROP TABLE IF EXISTS items_tally",
)

# Only one compaction at a time: a second would wait on the first's rows for nothing.
_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('duban_items_tally'))"


def create(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, CREATE)


def drop(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, DROP)


def count(condition: Q, by_day: bool) -> int:
    """The number of items that are not 涉密 and meet `condition` (on state, source and, if
    `by_day`, due_date)."""
    from duban.items.models import Tally

    rows = Tally.objects.filter(condition, grain=0 if by_day else 1)
    return rows.aggregate(n=Sum("n"))["n"] or 0


def compact() -> int:
    """Fold the deltas; the number of rows left (0 when another compaction is running)."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK)
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(COMPACT)
        cursor.execute("SELECT count(*) FROM items_tally")
        left = int(cursor.fetchone()[0])
    if not connection.in_atomic_block:
        # The folded rows are dead: vacuumed now, the sums stay index-only scans whether or not
        # the server runs autovacuum (VACUUM cannot run inside a transaction, as in a test).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM items_tally")
    return left


def rebuild() -> None:
    """Count every item afresh (the province generator, whose batches run without triggers)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in REBUILD:
            cursor.execute(sql)
