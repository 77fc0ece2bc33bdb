"""Chinese keyword search over Item.search_text (title + 文号 + content, items/actions.py).

Chinese has no spaces to split words on, so both databases index character trigrams:
- PostgreSQL: a pg_trgm GIN index on UPPER(search_text), the very expression Django's
  `icontains` compares, so `search_text__icontains` is served by the index from three
  characters. pg_trgm finds no trigram in two, and two characters are the most common Chinese
  word (燃气, 消防, 养老): a second GIN index holds each item's character pairs
  (duban_bigrams), and a two-character query asks it first (at a million items, 0.74 s → 0.10 s
  for the count of 燃气). One character still reads every row.
- SQLite: an FTS5 table with the trigram tokenizer, external-content over items_item and kept in
  sync by triggers. MATCH needs three characters; one or two fall back to LIKE over the column.

items migration 0010 creates them; `ensure_sqlite_index` runs again after every migrate, because
SQLite rebuilds a table for many schema changes and a rebuilt items_item loses its triggers.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import BooleanField, F, Func, Value
from django.db.models.expressions import RawSQL

from duban.core.vendor_sql import run_on
from duban.items.models import ItemQuerySet

# FTS5's trigram tokenizer matches from three characters; shorter queries take LIKE.
TRIGRAM = 3

POSTGRES_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS item_search_trgm ON items_item "
    "USING gin (UPPER(search_text) gin_trgm_ops)",
)
# The pairs of adjacent characters of a text, each once. IMMUTABLE, so an index may hold it.
POSTGRES_BIGRAMS = (
    "CREATE OR REPLACE FUNCTION duban_bigrams(t text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') "
    "FROM generate_series(1, length(t) - 1) AS i $$",
    "CREATE INDEX IF NOT EXISTS item_search_bigram ON items_item "
    "USING gin (duban_bigrams(UPPER(search_text)))",
)
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


def search(items: ItemQuerySet, q: str) -> ItemQuerySet:
    q = q.strip()
    if connections[items.db].vendor == "sqlite" and len(q) >= TRIGRAM:
        # A quoted FTS5 string is one phrase: the query's characters in order, nothing parsed.
        phrase = '"' + q.replace('"', '""') + '"'
        # Django has no MATCH lookup; the user's text goes only in as a bound parameter.
        return items.filter(pk__in=RawSQL(FTS_MATCH, [phrase]))  # noqa: S611
    if connections[items.db].vendor == "postgresql" and len(q) == BIGRAM:
        # The pair narrows through its index; icontains keeps the meaning exactly LIKE's.
        items = items.filter(HasBigram(F("search_text"), Value(q)))
    return items.filter(search_text__icontains=q)
