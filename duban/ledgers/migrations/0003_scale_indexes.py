"""Indexes the 台账 and the dashboards need at a million items (bench/ledger_bench.py).

Issue 6 item 6.

Indexes on tables of other apps cannot be AddIndex operations here, so they are plain SQL, on
PostgreSQL only (SQLite keeps its small test tables without them), and dropped on the way back.
"""

from typing import Any

from django.db import migrations

INDEXES = {
    # Every `restrict(user, "view")` asks which items a unit in the person's subtree handles
    # (items/access.py item_q): an index-only scan per unit instead of reading every ItemUnit row.
    "item_unit_active_item": (
        "CREATE INDEX IF NOT EXISTS item_unit_active_item ON items_itemunit (unit_id, item_id)"
        " WHERE declined_at IS NULL"
    ),
}


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0002_dashboard_rule"),
        ("items", "0011_sent_reminder_item_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
