"""The counts of frequent keywords on PostgreSQL (ledgers/keyword_tally.py)."""

from typing import Any

from django.db import migrations

from duban.ledgers import keyword_tally


def create(apps: Any, schema_editor: Any) -> None:
    keyword_tally.create(schema_editor)


def drop(apps: Any, schema_editor: Any) -> None:
    keyword_tally.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0004_figure_snapshot"),
        ("items", "0025_secret_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
