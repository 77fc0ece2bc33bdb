"""Migration steps in one database's own SQL: indexes, functions and triggers Django cannot
declare (pg_trgm and bigram indexes, each item's reach)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def run_on(vendor: str, schema_editor: Any, statements: Iterable[str]) -> None:
    """Run `statements` in order when the migration runs on `vendor`; nothing elsewhere."""
    if schema_editor.connection.vendor == vendor:
        for sql in statements:
            schema_editor.execute(sql)


def trigger_function(name: str, body: str) -> str:
    """A PostgreSQL trigger function `name()` running the statements of `body`; an AFTER trigger's,
    so it returns NULL."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body.strip().rstrip(';')};\nRETURN NULL;\nEND $$"
    )
