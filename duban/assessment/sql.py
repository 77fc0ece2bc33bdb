"""INSERT ... SELECT from a queryset: a sweep writes all its new rows in one statement.

The ORM has no INSERT ... SELECT; `insert_select` compiles the queryset (so it keeps Django's
quoting, parameters and joins), selects the annotated columns from it by alias — so their order
in Django's SELECT does not matter — and skips rows that a unique constraint already holds.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import connection, models
from django.db.models import QuerySet

PREFIX = "ins_"


def insert_select(model: type[models.Model], rows: QuerySet[Any], columns: dict[str, Any]) -> int:
    """Insert one row of `model` per row of `rows`, field name → expression; the number inserted.

    Conflicting rows (an existing unique key) are skipped: `ON CONFLICT DO NOTHING` works on
    SQLite ≥ 3.24 and PostgreSQL; SQLite needs the `WHERE true` to parse it after a SELECT.
    """
    aliases = {f"{PREFIX}{name}": expression for name, expression in columns.items()}
    select = rows.annotate(**aliases).values(*aliases)
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in columns]
    targets = ", ".join(quote(str(field.column)) for field in fields)
    picked = ", ".join(f"src.{quote(alias)}" for alias in aliases)
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({targets}) "  # noqa: S608 (quoted names)
        f"SELECT {picked} FROM ({sql}) src WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)
