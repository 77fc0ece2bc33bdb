"""INSERT ... SELECT for set-based work (the sweeps, escalation, bulk notifications) on PostgreSQL
and SQLite.

Django's ORM inserts rows it holds in memory; a sweep must not hold a million items in Python.
These compile a queryset's SELECT and insert its rows in the same statement, skipping rows that a
unique constraint already holds (ON CONFLICT DO NOTHING, on both engines). Two ways to say what
goes where: columns in order with a values_list queryset (`insert_select`), or field name →
expression, selected by alias so the order of Django's SELECT does not matter (`insert_annotated`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet

PREFIX = "ins_"


def _insert(model: type[models.Model], columns: Sequence[str], picked: str, rows: Any) -> int:
    fields = [model._meta.get_field(name) for name in columns]
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    # Ordering means nothing to an INSERT, and with DISTINCT it would add columns to the SELECT.
    select, params = rows.order_by().query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    # The derived table and WHERE true keep SQLite's parser from reading ON CONFLICT as a join's
    # ON. Quoted names and the ORM's own SQL only: the values travel as parameters.
    head = f"INSERT INTO {table} ({names}) SELECT {picked} FROM "  # noqa: S608
    sql = head + f"({select}) AS src WHERE true ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def insert_select(model: type[models.Model], columns: Sequence[str], rows: Any) -> int:
    """Insert `rows` (a values_list queryset, one value per column, in order) into `model`.

    `columns` are model field names; their database columns are looked up. Returns the number of
    rows inserted (conflicting rows are skipped and not counted).
    """
    return _insert(model, columns, "*", rows)


def insert_annotated(
    model: type[models.Model], rows: QuerySet[Any], columns: dict[str, Any]
) -> int:
    """Insert one row of `model` per row of `rows`, field name → expression; the number inserted."""
    aliases = {f"{PREFIX}{name}": expression for name, expression in columns.items()}
    select = rows.annotate(**aliases).values(*aliases)
    quote = connection.ops.quote_name
    picked = ", ".join(f"src.{quote(alias)}" for alias in aliases)
    return _insert(model, list(columns), picked, select)
