"""A GIN index of each item's character pairs for two-character searches (ledgers/search.py)."""

from typing import Any

from django.db import migrations

from duban.ledgers import search


def bigram_index(apps: Any, schema_editor: Any) -> None:
    search.create_bigram_index(schema_editor)


def drop_bigram_index(apps: Any, schema_editor: Any) -> None:
    search.drop_bigram_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("items", "0016_open_due_covering")]

    operations = [migrations.RunPython(bigram_index, drop_bigram_index)]
