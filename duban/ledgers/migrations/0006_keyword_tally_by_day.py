"""A kept keyword's counts by due date too, at the item tally's two grains, so its whole-tree
search with a light, overdue or due-date filter is answered from them (ledgers/keyword_tally.py);
every kept keyword is counted afresh."""

from typing import Any

from django.db import migrations

from duban.ledgers import keyword_tally


def by_day(apps: Any, schema_editor: Any) -> None:
    keyword_tally.count_by_day(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0005_keyword_tally"), ("items", "0026_reach_bigram_index")]

    # Irreversible: the triggers of 0005 are not kept to go back to.
    operations = [migrations.RunPython(by_day)]
