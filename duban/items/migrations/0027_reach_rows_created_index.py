"""A scope's reach rows by registration time, on PostgreSQL (items/reach_rows.py CREATED_INDEX)."""

from typing import Any

from django.db import migrations

from duban.items import reach_rows


def create(apps: Any, schema_editor: Any) -> None:
    reach_rows.create_created_index(schema_editor)


def drop(apps: Any, schema_editor: Any) -> None:
    reach_rows.drop_created_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("items", "0026_reach_bigram_index")]

    operations = [migrations.RunPython(create, drop)]
