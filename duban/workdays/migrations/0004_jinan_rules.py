"""Load the Jinan preset deadline rules (seed 004 第十六条) in one bulk_create."""

from dataclasses import asdict

from django.db import migrations

from duban.workdays.presets import JINAN


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("workdays", "DeadlineRule")
    DeadlineRule.objects.bulk_create(
        [DeadlineRule(sort_order=i * 10, **asdict(preset)) for i, preset in enumerate(JINAN)]
    )


def unload(apps, schema_editor):
    names = [preset.name for preset in JINAN]
    apps.get_model("workdays", "DeadlineRule").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0003_deadline_rule")]
    operations = [migrations.RunPython(load, unload)]
