"""The Jinan preset: which rule each source uses (seed 004 第十六条)."""

from django.db import migrations

# 会议议定 maps to 常务会议 (第十六条(三)); offices whose meetings differ change the row.
PRESET = {
    "leader_instruction": "领导批示",
    "superior": "上级批示",
    "meeting": "常务会议",
    "work_report": "政府工作报告",
    "npc_suggestion": "人大建议",
    "cppcc_proposal": "政协提案",
}


def load(apps, schema_editor):
    rules = apps.get_model("workdays", "DeadlineRule")
    links = apps.get_model("items", "SourceRule")
    for source, name in PRESET.items():
        rule = rules.objects.filter(name=name).first()
        if rule is not None:
            links.objects.get_or_create(source=source, defaults={"rule": rule})


class Migration(migrations.Migration):
    dependencies = [("items", "0002_source_rule"), ("workdays", "0004_jinan_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
