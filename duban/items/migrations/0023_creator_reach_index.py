"""The items a person registered with their 密级 and reach, in one index on PostgreSQL
(items/reach.py CREATOR_INDEX)."""

from typing import Any

from django.db import migrations

from duban.items import reach


def creator_index(apps: Any, schema_editor: Any) -> None:
    reach.create_creator_index(schema_editor)


def drop_creator_index(apps: Any, schema_editor: Any) -> None:
    reach.drop_creator_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("items", "0022_reach_search_index")]

    operations = [migrations.RunPython(creator_index, drop_creator_index)]
