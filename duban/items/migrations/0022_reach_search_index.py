"""The reach and the search text in one GIN index on PostgreSQL, in place of the index of the
upper-cased text alone (ledgers/search.py)."""

from typing import Any

from django.db import migrations

from duban.ledgers import search


def reach_search_index(apps: Any, schema_editor: Any) -> None:
    search.create_reach_search_index(schema_editor)


def drop_reach_search_index(apps: Any, schema_editor: Any) -> None:
    search.drop_reach_search_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("items", "0021_created_index_covers")]

    operations = [migrations.RunPython(reach_search_index, drop_reach_search_index)]
