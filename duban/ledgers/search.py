"""Chinese keyword search over Item.search_text (title + 文号 + content, items/actions.py).

Chinese has no spaces to split words on, so both databases index character trigrams:
- PostgreSQL: one pg_trgm GIN index over each item's reach (items/reach.py) and its search
  text (`item_search`), so a scope's matches come from one index scan, not a bitmap of the
  keyword's matches and-ed with a bitmap of the scope's items (a city head's 老旧小区: the two
  bitmaps took 17 ms, the one scan 4 ms). pg_trgm folds case when it takes trigrams, so the
  index serves LIKE and ILIKE; a query without letters that have a case (Chinese, digits) is
  matched with LIKE, which compares bytes, and one with such letters with ILIKE. Upper-casing
  every matched row was a third of the province's count of 老旧小区 (43,000 rows).
  pg_trgm finds no trigram in two characters, and two characters are the most common Chinese
  word (燃气, 消防, 养老): a second GIN index holds each item's character pairs
  (duban_bigrams), and a two-character query asks it first (at a million items, 0.74 s → 0.10 s
  for the count of 燃气), then `strpos` confirms the pair is there; a LIKE would ask the
  trigram index, which without a trigram reads all of it. A scope short of the whole tree asks
  its reach and the pair of one index (`item_reach_bigram`, through `searchable`): a city's
  燃气 in 5 ms, not 16.
  One character has no index to ask: it is a LIKE over `search_text || ''`, which no index
  holds, and whose matches PostgreSQL takes to be few (under `strpos > 0` it took them to be a
  third of the items and walked the registration-time index for a city's newest 10,000: 0.65 s
  against 0.19 s).
- SQLite: an FTS5 table with the trigram tokenizer, external-content over items_item and kept in
  sync by triggers. MATCH needs three characters; one or two fall back to LIKE over the column.

items migration 0010 creates them; `ensure_sqlite_index` runs again after every migrate, because
SQLite rebuilds a table for many schema changes and a rebuilt items_item loses its triggers.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import Contains, GreaterThan, IContains

from duban.core.vendor_sql import run_on
from duban.items.models import Item, ItemQuerySet
from duban.org.access import Action

# FTS5's trigram tokenizer matches from three characters; shorter queries take LIKE.
TRIGRAM = 3

POSTGRES_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS item_search_trgm ON items_item "
    "USING gin (UPPER(search_text) gin_trgm_ops)",
)
# Migration 0022 replaces item_search_trgm: the reach and the text in one index (see above).
POSTGRES_REACH_SEARCH = (
    "CREATE INDEX IF NOT EXISTS item_search ON items_item "
    "USING gin (reach, search_text gin_trgm_ops)",
    "DROP INDEX IF EXISTS item_search_trgm",
)
POSTGRES_REACH_SEARCH_DROP = (*POSTGRES_CREATE, "DROP INDEX IF EXISTS item_search")
# The pairs of adjacent characters of a text, each once. IMMUTABLE, so an index may hold it.
POSTGRES_BIGRAMS = (
    "CREATE OR REPLACE FUNCTION duban_bigrams(t text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') "
    "FROM generate_series(1, length(t) - 1) AS i $$",
    "CREATE INDEX IF NOT EXISTS item_search_bigram ON items_item "
    "USING gin (duban_bigrams(UPPER(search_text)))",
)
# A two-character search short of the whole tree (items/access.item_q_within): the reach and the
# pairs in one index, over the items not 涉密 as the reach's own index. Migration items 0026.
POSTGRES_REACH_BIGRAMS = (
    "CREATE INDEX IF NOT EXISTS item_reach_bigram ON items_item "
    "USING gin (reach, duban_bigrams(UPPER(search_text))) WHERE confidentiality <> 'secret'",
)
POSTGRES_REACH_BIGRAMS_DROP = ("DROP INDEX IF EXISTS item_reach_bigram",)
POSTGRES_DROP = ("DROP INDEX IF EXISTS item_search_trgm",)
POSTGRES_BIGRAMS_DROP = (
    "DROP INDEX IF EXISTS item_search_bigram",
    "DROP FUNCTION IF EXISTS duban_bigrams(text)",
)
BIGRAM = 2

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS items_item_fts USING fts5("
    "search_text, content='items_item', content_rowid='id', tokenize='trigram')"
)
_DELETE = (
    "INSERT INTO items_item_fts(items_item_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)
_INSERT = "INSERT INTO items_item_fts(rowid, search_text) VALUES (new.id, new.search_text);"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS items_item_fts_ai AFTER INSERT ON items_item "
    "BEGIN " + _INSERT + " END",
    "CREATE TRIGGER IF NOT EXISTS items_item_fts_ad AFTER DELETE ON items_item "
    "BEGIN " + _DELETE + " END",
    "CREATE TRIGGER IF NOT EXISTS items_item_fts_au AFTER UPDATE OF search_text ON items_item "
    "BEGIN " + _DELETE + " " + _INSERT + " END",
)
TRIGGERS = ("items_item_fts_ai", "items_item_fts_ad", "items_item_fts_au")
SQLITE_REBUILD = "INSERT INTO items_item_fts(items_item_fts) VALUES ('rebuild')"
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS items_item_fts_ai",
    "DROP TRIGGER IF EXISTS items_item_fts_ad",
    "DROP TRIGGER IF EXISTS items_item_fts_au",
    "DROP TABLE IF EXISTS items_item_fts",
)
FTS_MATCH = "SELECT rowid FROM items_item_fts WHERE items_item_fts MATCH %s"


def create_index(schema_editor: Any) -> None:
    """Migration step: the vendor's trigram index (nothing on another database)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRES_CREATE:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for sql in (SQLITE_TABLE, *SQLITE_TRIGGERS, SQLITE_REBUILD):
            schema_editor.execute(sql)


def drop_index(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    drops = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor, ())
    for sql in drops:
        schema_editor.execute(sql)


def create_bigram_index(schema_editor: Any) -> None:
    """Migration step: the character-pair index, on PostgreSQL only (SQLite's LIKE is quick at
    the sizes it serves)."""
    run_on("postgresql", schema_editor, POSTGRES_BIGRAMS)


def drop_bigram_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, POSTGRES_BIGRAMS_DROP)


def create_reach_search_index(schema_editor: Any) -> None:
    """Migration step: the reach and the text in one index, on PostgreSQL only."""
    run_on("postgresql", schema_editor, POSTGRES_REACH_SEARCH)


def drop_reach_search_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, POSTGRES_REACH_SEARCH_DROP)


def create_reach_bigram_index(schema_editor: Any) -> None:
    """Migration step: the reach and the character pairs in one index, on PostgreSQL only."""
    run_on("postgresql", schema_editor, POSTGRES_REACH_BIGRAMS)


def drop_reach_bigram_index(schema_editor: Any) -> None:
    run_on("postgresql", schema_editor, POSTGRES_REACH_BIGRAMS_DROP)


class HasBigram(Func):
    """HasBigram(column, pair) is duban_bigrams(UPPER(column)) @> ARRAY[UPPER(pair)]: the bigram
    index's own expression, so PostgreSQL can answer it from the index. (The joiner between the
    two arguments carries the operator.)"""

    template = "duban_bigrams(UPPER(%(expressions)s)]"
    arg_joiner = ")) @> ARRAY[UPPER("
    arity = 2
    output_field = BooleanField()


def ensure_sqlite_index(using: str = "default") -> bool:
    """Put back missing triggers (and refill the index) on SQLite; True if anything was missing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'table')")
        present = {row[0] for row in cursor.fetchall()}
        if "items_item" not in present or {*TRIGGERS, "items_item_fts"} <= present:
            return False
        for sql in (SQLITE_TABLE, *SQLITE_TRIGGERS, SQLITE_REBUILD):
            cursor.execute(sql)
    return True


class ILike(Func):
    """ILike(column, pattern): PostgreSQL's case-blind LIKE, which pg_trgm's index serves."""

    template = "%(expressions)s"
    arg_joiner = " ILIKE "
    arity = 2
    output_field = BooleanField()


class Unindexed(Func):
    """The text as an expression no index holds (see above); `|| ''` changes nothing in it."""

    template = "(%(expressions)s || '')"
    output_field = TextField()


def indexed_q(q: str, vendor: str) -> Q | None:
    """What to ask of the reach branch for `q` on PostgreSQL (`Item.objects.restrict_within`,
    where the person's own items are ids computed first: items/access.item_q_within): its pair
    at two characters (item_reach_bigram); nothing more from three, whose trigram match at the
    top of the filter the planner takes into the branch's scan of item_search itself (asked
    again in the branch, the index looked its trigrams up twice); None for one character or on
    another database."""
    q = q.strip()
    if vendor != "postgresql" or len(q) < BIGRAM:
        return None
    if len(q) == BIGRAM:
        return Q(HasBigram(F("search_text"), Value(q)))
    return Q()


def searchable(user: Any, q: str, action: Action = "view") -> tuple[ItemQuerySet, bool]:
    """`Item.objects.restrict(user, action)` for `search(items, q, pair_asked=...)`, and that
    flag, with the index's part of the search asked together with the scope (`indexed_q`).

    Asked only at the top, with the person's own items as the OR's other branch, a city's scope
    reads each item they registered: a city clerk's 老旧小区 tested 22,000 (133 ms). And a pair
    left at the top is tested again on each row the one index found, recomputing its pairs (a
    city's 燃气: 96 ms), so then `search` checks the pair with strpos alone (`pair_asked`): the
    reach branch holds the pair, and strpos finds it in the person's own items. A trigram
    match stays at the top, where testing a row again costs little."""
    within = indexed_q(q, connections[Item.objects.db].vendor)
    hinted = None if within is None else Item.objects.restrict_within(user, action, within)
    if hinted is None:
        return Item.objects.restrict(user, action), False
    return hinted, len(q.strip()) == BIGRAM


def search(items: ItemQuerySet, q: str, *, pair_asked: bool = False) -> ItemQuerySet:
    """The items whose title, 文号 or content hold `q`, letters of either case alike."""
    q = q.strip()
    vendor = connections[items.db].vendor
    if vendor == "sqlite" and len(q) >= TRIGRAM:
        # A quoted FTS5 string is one phrase: the query's characters in order, nothing parsed.
        phrase = '"' + q.replace('"', '""') + '"'
        # Django has no MATCH lookup; the user's text goes only in as a bound parameter.
        return items.filter(pk__in=RawSQL(FTS_MATCH, [phrase]))  # noqa: S611
    if vendor != "postgresql":
        return items.filter(search_text__icontains=q)
    return items.filter(_postgres_match(q, connections[items.db], pair_asked))


def _postgres_match(q: str, connection: Any, pair_asked: bool) -> Q | Func:
    caseless = q.upper() == q.lower()
    if len(q) >= TRIGRAM:
        if caseless:
            return Q(search_text__contains=q)
        pattern = "%" + connection.ops.prep_for_like_query(q) + "%"
        return ILike(F("search_text"), Value(pattern))
    if len(q) < BIGRAM:
        return Q((Contains if caseless else IContains)(Unindexed(F("search_text")), q))
    text, part = (
        (F("search_text"), Value(q)) if caseless else (Upper("search_text"), Upper(Value(q)))
    )
    # The pair narrows through its index first. strpos, not the one character's LIKE: taken to
    # keep a third of the pair's matches rather than 0.5 %, the province head's count of 燃气
    # kept its plan (115 ms, against 207 ms).
    exact = Q(GreaterThan(StrIndex(text, part), 0))
    return exact if pair_asked else Q(HasBigram(F("search_text"), Value(q))) & exact
