"""Default light threshold: yellow within 3 working days of the due date (editable data)."""

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("items", "LightRule").objects.get_or_create(
        source="",
        defaults={"yellow_within": 3, "note": "默认:距办理时限3个工作日内亮黄灯,逾期亮红灯"},
    )


class Migration(migrations.Migration):
    dependencies = [("items", "0004_reports_extensions_links")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
