"""Each item's reach as rows on PostgreSQL, kept by triggers (items/reach_rows.py)."""

from typing import Any

from django.db import migrations, models

from duban.items import reach_rows


def create_rows(apps: Any, schema_editor: Any) -> None:
    reach_rows.create(schema_editor)


def drop_rows(apps: Any, schema_editor: Any) -> None:
    reach_rows.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("items", "0018_item_reach"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReachRow",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "unit_id",
                        "item_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("unit_id", models.BigIntegerField(verbose_name="单位")),
                ("ways", models.SmallIntegerField(verbose_name="途径")),
                ("state", models.CharField(max_length=24, verbose_name="状态")),
                ("source", models.CharField(max_length=24, verbose_name="来源")),
                ("due_date", models.DateField(null=True, verbose_name="办理时限")),
                ("created_at", models.DateTimeField(verbose_name="登记时间")),
            ],
            options={
                "verbose_name": "可见范围行",
                "db_table": "items_reach_rows",
                "managed": False,
            },
        ),
        migrations.RunPython(create_rows, drop_rows),
    ]
