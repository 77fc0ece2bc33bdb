"""The reach and the character pairs of the search text in one GIN index on PostgreSQL, for a wide
scope's two-character search (ledgers/search.py, items/access.item_q_within)."""

from typing import Any

from django.db import migrations

from duban.ledgers import search


def reach_bigram_index(apps: Any, schema_editor: Any) -> None:
    search.create_reach_bigram_index(schema_editor)


def drop_reach_bigram_index(apps: Any, schema_editor: Any) -> None:
    search.drop_reach_bigram_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("items", "0025_secret_index")]

    operations = [migrations.RunPython(reach_bigram_index, drop_reach_bigram_index)]
