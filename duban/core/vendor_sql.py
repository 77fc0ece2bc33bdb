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
