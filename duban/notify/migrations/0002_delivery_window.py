from django.db import migrations


def create_window(apps, schema_editor):
    # Issue 5: notices go out 09:00–18:00 on working days by default; the row is data to edit.
    apps.get_model("notify", "DeliveryWindow").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]
    operations = [migrations.RunPython(create_window, migrations.RunPython.noop)]
