"""How many items that are not 涉密 hold a frequent keyword, on PostgreSQL.

The whole tree's total for a keyword alone (the province head searching 老旧小区) is every item
whose text holds it. The trigram index only guesses which those are; each guess is read from the
table to be confirmed, and a common word is a common guess: the generated province's 老旧小区 is
42,731 items on 36,000 table pages, 140 ms to count, where a 台账 page has 50 ms (issue 6).

So a keyword the whole tree found that often is *tracked*: its count by state, source and due date
is kept as the item tally keeps its counts (items/tally.py), at the same two grains (by day, and
over all days, a few dozen rows to sum when no filter reads a due date), by triggers that never
update a row but append each change's delta (+n, −n) to `ledgers_keyword_tally`, and by `compact`
(the worker, every few minutes), which folds each key's deltas into one row. A sum is exact at any
moment, under any concurrency, and answers the keyword alone or with the filters the item tally
answers (filters.TALLY_FILTERS: 在办, 已办结, a source, a light, overdue, due dates).

`track` starts a keyword's count under a SHARE lock on items_item: writers wait for the one count
(a seventh of a second at a million items), and every item written after it passes the triggers,
which now know the keyword. Only keywords that compare bytes are tracked (Chinese, digits:
ledgers/search.py matches them with LIKE or strpos, here strpos), of two characters or more (one
character has no index to count it from under the lock), and at most TERMS_CAP of them, so that
each item written is tested against a bounded list.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Q, Sum

from duban.core.vendor_sql import run_on, trigger_function

# A whole-tree total from this many matches on is worth keeping (2,000: about 10 ms to count).
TRACK_FROM = 2_000
TERMS_CAP = 200
TERM_MAX = 50
# Writers wait for the lock no longer than this; the next search that finds the keyword asks again.
LOCK_TIMEOUT = "3s"

# A light or overdue filter reads a keyword's open states' rows before a day, as the item tally's.
INDEX = (
    "CREATE INDEX IF NOT EXISTS ledgers_keyword_tally_key"
    " ON ledgers_keyword_tally (term_id, grain, state, due_date) INCLUDE (source, n)"
)
TABLES = (
    "CREATE TABLE IF NOT EXISTS ledgers_keyword_term ("
    " id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " term text NOT NULL UNIQUE,"
    " tracked_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS ledgers_keyword_tally ("
    " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " term_id integer NOT NULL,"
    " grain smallint NOT NULL DEFAULT 1,"
    " state varchar(24) NOT NULL,"
    " source varchar(24) NOT NULL,"
    " due_date date,"
    " n bigint NOT NULL)",
    INDEX,
)

# Each change counted at both grains: by day (0) and over all days (1, due_date NULL).
_DELTAS = """
INSERT INTO ledgers_keyword_tally (term_id, grain, state, source, due_date, n)
SELECT t.id, g.grain, i.state, i.source, CASE g.grain WHEN 0 THEN i.due_date END,
       {sign} count(*)
  FROM {items} i JOIN ledgers_keyword_term t ON strpos(i.search_text, t.term) > 0
 CROSS JOIN (VALUES (0), (1)) g(grain)
 WHERE i.confidentiality <> 'secret' GROUP BY 1, 2, 3, 4, 5
"""

# The item leaves its old key and joins its new one, for each keyword its text held before and
# holds now, when it is counted (not 涉密).
_AGAIN = """
  INSERT INTO ledgers_keyword_tally (term_id, grain, state, source, due_date, n)
  SELECT t.id, g.grain, OLD.state, OLD.source, CASE g.grain WHEN 0 THEN OLD.due_date END, -1
    FROM ledgers_keyword_term t CROSS JOIN (VALUES (0), (1)) g(grain)
   WHERE OLD.confidentiality <> 'secret' AND strpos(OLD.search_text, t.term) > 0
  UNION ALL
  SELECT t.id, g.grain, NEW.state, NEW.source, CASE g.grain WHEN 0 THEN NEW.due_date END, 1
    FROM ledgers_keyword_term t CROSS JOIN (VALUES (0), (1)) g(grain)
   WHERE NEW.confidentiality <> 'secret' AND strpos(NEW.search_text, t.term) > 0;
"""

# Row by row, and only when a counted column changed: the sweeps' updates add nothing.
UPDATE_TRIGGER = (
    "CREATE TRIGGER item_keyword_upd AFTER UPDATE OF"
    " confidentiality, search_text, state, source, due_date"
    " ON items_item FOR EACH ROW WHEN ("
    " (OLD.confidentiality = 'secret') IS DISTINCT FROM (NEW.confidentiality = 'secret')"
    " OR OLD.search_text IS DISTINCT FROM NEW.search_text"
    " OR OLD.state IS DISTINCT FROM NEW.state OR OLD.source IS DISTINCT FROM NEW.source"
    " OR OLD.due_date IS DISTINCT FROM NEW.due_date)"
    " EXECUTE FUNCTION duban_keyword_again()"
)
TRIGGERS = (
    trigger_function("duban_keyword_new", _DELTAS.format(sign="", items="changed")),
    trigger_function("duban_keyword_gone", _DELTAS.format(sign="-", items="changed")),
    trigger_function("duban_keyword_again", _AGAIN),
    trigger_function("duban_keyword_truncate", "TRUNCATE ledgers_keyword_tally"),
    "CREATE TRIGGER item_keyword_ins AFTER INSERT ON items_item REFERENCING NEW TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_keyword_new()",
    UPDATE_TRIGGER,
    "CREATE TRIGGER item_keyword_del AFTER DELETE ON items_item REFERENCING OLD TABLE AS changed"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_keyword_gone()",
    "CREATE TRIGGER item_keyword_trunc AFTER TRUNCATE ON items_item"
    " FOR EACH STATEMENT EXECUTE FUNCTION duban_keyword_truncate()",
)

CREATE = (*TABLES, *TRIGGERS)
DROP = (
    "DROP TRIGGER IF EXISTS item_keyword_ins ON items_item",
    "DROP TRIGGER IF EXISTS item_keyword_upd ON items_item",
    "DROP TRIGGER IF EXISTS item_keyword_del ON items_item",
    "DROP TRIGGER IF EXISTS item_keyword_trunc ON items_item",
    "DROP FUNCTION IF EXISTS duban_keyword_new()",
    "DROP FUNCTION IF EXISTS duban_keyword_gone()",
    "DROP FUNCTION IF EXISTS duban_keyword_again()",
    "DROP FUNCTION IF EXISTS duban_keyword_truncate()",
    "DROP TABLE IF EXISTS ledgers_keyword_tally",
    "DROP TABLE IF EXISTS ledgers_keyword_term",
)


# The first count, as the 台账's search finds the keyword (ledgers/search.py): the trigram index
# from three characters, the character pairs' for two; strpos decides, as in the triggers.
_FIRST = """
INSERT INTO ledgers_keyword_tally (term_id, grain, state, source, due_date, n)
SELECT %(id)s, g.grain, state, source, CASE g.grain WHEN 0 THEN due_date END, count(*)
  FROM items_item CROSS JOIN (VALUES (0), (1)) g(grain)
 WHERE {found} AND strpos(search_text, %(term)s) > 0 AND confidentiality <> 'secret'
 GROUP BY 1, 2, 3, 4, 5
"""
_BY_TRIGRAMS = "search_text LIKE %(pattern)s"
_BY_PAIRS = "duban_bigrams(UPPER(search_text)) @> ARRAY[UPPER(%(term)s)]"

# Each key with more than one row, or a zero, becomes one row (or none), in one statement.
COMPACT = """
WITH folded AS (
  SELECT term_id, grain, state, source, due_date FROM ledgers_keyword_tally
   GROUP BY term_id, grain, state, source, due_date HAVING count(*) > 1 OR sum(n) = 0
), gone AS (
  DELETE FROM ledgers_keyword_tally k USING folded f
   WHERE k.term_id = f.term_id AND k.grain = f.grain AND k.state = f.state
     AND k.source = f.source AND k.due_date IS NOT DISTINCT FROM f.due_date
  RETURNING k.term_id, k.grain, k.state, k.source, k.due_date, k.n
)
INSERT INTO ledgers_keyword_tally (term_id, grain, state, source, due_date, n)
SELECT term_id, grain, state, source, due_date, sum(n) FROM gone
 GROUP BY term_id, grain, state, source, due_date HAVING sum(n) <> 0
"""
_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('duban_keyword_tally'))"


def create(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, CREATE)


# Migration 0006: the counts of 0005 (by state and source) gain the due date and the two grains,
# and every kept keyword is counted afresh at both.
BY_DAY = (
    "ALTER TABLE ledgers_keyword_tally ADD COLUMN IF NOT EXISTS grain smallint NOT NULL DEFAULT 1",
    "ALTER TABLE ledgers_keyword_tally ADD COLUMN IF NOT EXISTS due_date date",
    "DROP INDEX IF EXISTS ledgers_keyword_tally_term",
    INDEX,
    *TRIGGERS[:3],
    "DROP TRIGGER IF EXISTS item_keyword_upd ON items_item",
    UPDATE_TRIGGER,
)


def count_by_day(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, BY_DAY)
    if schema_editor.connection.vendor == "postgresql":
        rebuild()


def drop(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, DROP)


def trackable(term: str) -> bool:
    """Whether `term`'s count could be kept: PostgreSQL, 2–TERM_MAX characters compared as bytes."""
    return (
        connection.vendor == "postgresql"
        and 2 <= len(term) <= TERM_MAX
        and term.upper() == term.lower()
        and "\x00" not in term
    )


def count(term: str, condition: Q | None = None, *, by_day: bool = False) -> int | None:
    """The number of items that are not 涉密, hold `term` and meet `condition` (on state, source
    and, if `by_day`, due_date); None when the term is not tracked."""
    from duban.ledgers.models import KeywordTally, KeywordTerm

    if not trackable(term):
        return None
    term_id = KeywordTerm.objects.filter(term=term).values_list("id", flat=True).first()
    if term_id is None:
        return None
    rows = KeywordTally.objects.filter(condition or Q(), term_id=term_id, grain=0 if by_day else 1)
    return rows.aggregate(n=Sum("n"))["n"] or 0


def track(term: str) -> bool:
    """Start keeping `term`'s count; False when it is kept already, cannot be, or the list is
    full."""
    if not trackable(term) or count(term) is not None:
        return False  # kept already (the page asked again before the worker came): no lock
    try:
        started = _track(term)
    except OperationalError:  # the lock not had in time: asked again by the next search
        return False
    if started:
        _vacuum()
    return started


def _track(term: str) -> bool:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = %s", [LOCK_TIMEOUT])
        cursor.execute("LOCK TABLE items_item IN SHARE MODE")
        cursor.execute("SELECT count(*) FROM ledgers_keyword_term")
        if cursor.fetchone()[0] >= TERMS_CAP:
            return False
        cursor.execute(
            "INSERT INTO ledgers_keyword_term (term) VALUES (%s)"
            " ON CONFLICT (term) DO NOTHING RETURNING id",
            [term],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        _count_first(cursor, row[0], term)
    return True


def _count_first(cursor: Any, term_id: int, term: str) -> None:
    found = _BY_TRIGRAMS if len(term) >= 3 else _BY_PAIRS
    pattern = "%" + connection.ops.prep_for_like_query(term) + "%"
    cursor.execute(_FIRST.format(found=found), {"id": term_id, "term": term, "pattern": pattern})


def rebuild() -> None:
    """Count every kept keyword afresh (the province generator, whose batches run without
    triggers): one count per keyword, from its index."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE items_item IN SHARE MODE")
        cursor.execute("TRUNCATE ledgers_keyword_tally")
        cursor.execute("SELECT id, term FROM ledgers_keyword_term ORDER BY id")
        for term_id, term in cursor.fetchall():
            _count_first(cursor, term_id, term)
    _vacuum()


def compact() -> None:
    """Fold the deltas (nothing when another compaction is running)."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK)
        if not cursor.fetchone()[0]:
            return
        cursor.execute(COMPACT)
    _vacuum()


def _vacuum() -> None:
    """Mark the table's pages all-visible, so a sum by day stays an index-only scan: a keyword
    just counted, its 21,000 rows by day unvacuumed, read each of them from the table for the
    province's red lights (6 ms, against 1 ms). Not inside a transaction (a test's), where
    VACUUM cannot run."""
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ledgers_keyword_tally")
