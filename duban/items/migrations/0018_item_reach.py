"""Each item's reach on PostgreSQL, kept by triggers and indexed (items/reach.py)."""

from typing import Any

from django.db import migrations

from duban.items import reach


def create_reach(apps: Any, schema_editor: Any) -> None:
    reach.create(schema_editor)


def drop_reach(apps: Any, schema_editor: Any) -> None:
    reach.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("items", "0017_search_bigram"), ("org", "0001_initial")]

    operations = [migrations.RunPython(create_reach, drop_reach)]
