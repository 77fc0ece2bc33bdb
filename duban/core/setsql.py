"""INSERT ... SELECT for set-based work (the sweeps, bulk notifications) on PostgreSQL and SQLite.

Django's ORM inserts rows it holds in memory; a sweep must not hold a million items in Python.
`insert_select` compiles a queryset's SELECT and inserts its rows in the same statement, skipping
rows that a unique constraint already holds (ON CONFLICT DO NOTHING, on both engines).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_select(model: type[models.Model], columns: Sequence[str], rows: Any) -> int:
    """Insert `rows` (a values_list queryset, one value per column, in order) into `model`.

    `columns` are model field names; their database columns are looked up. Returns the number of
    rows inserted (conflicting rows are skipped and not counted).
    """
    fields = [model._meta.get_field(name) for name in columns]
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    # Ordering means nothing to an INSERT, and with DISTINCT it would add columns to the SELECT.
    select, params = rows.order_by().query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    # The derived table and WHERE true keep SQLite's parser from reading ON CONFLICT as a join's
    # ON. Quoted names and the ORM's own SQL only: the values travel as parameters.
    head = f"INSERT INTO {table} ({names}) SELECT * FROM "  # noqa: S608
    sql = head + f"({select}) AS src WHERE true ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
