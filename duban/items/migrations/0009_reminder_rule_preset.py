"""Preset reminder rules (editable data; items/sweeps.py applies them).

Seed 004 第七条(五) asks the office to 加强催办督办,确保限时办结; 第十七条 puts long items on weekly
reports; 第十八条 asks for extensions before the deadline and an answer to them. The seeds give no
day counts for reminders: the numbers below are a default an office changes to its own practice.
"""

from django.db import migrations

PRESETS = [
    (
        "before_due",
        3,
        "liaison",
        "「{title}」将于{date}到期(已不足{days}个工作日),请抓紧办理。",
        "济南 004 第七条(五):催办督办,确保限时办结 — 到期前3个工作日提醒",
    ),
    (
        "on_due",
        0,
        "liaison",
        "「{title}」今天({date})到期,请按时办结并报送办理结果。",
        "济南 004 第七条(五):到期当日提醒",
    ),
    (
        "overdue_every",
        5,
        "liaison",
        "「{title}」已超过办理时限({date}),请尽快办结;不能按时办结的,须说明理由。",
        "济南 004 第七条(五)、第十八条:逾期后每5个工作日催办一次",
    ),
    (
        "overdue_every",
        10,
        "unit_leader",
        "「{title}」已超过办理时限({date}){days}个工作日以上,请督促本单位尽快办结。",
        "济南 004 第七条(五):逾期后每10个工作日告知单位责任领导",
    ),
    (
        "report_before",
        1,
        "liaison",
        "「{title}」的进展情况报告应于{date}报送。",
        "济南 004 第十七条:周报制,报告前1个工作日提醒",
    ),
    (
        "report_overdue",
        3,
        "liaison",
        "「{title}」的进展情况报告已逾期(应报日期{date}),请尽快报送。",
        "济南 004 第十七条:进展报告逾期后每3个工作日催报",
    ),
    (
        "extension_waiting",
        2,
        "office_head",
        "「{title}」的延期申请({date}提出)已等待{days}个工作日,请及时审批。",
        "济南 004 第十八条:延期申请待审批满2个工作日提醒督查室负责人",
    ),
    (
        "follow_up",
        0,
        "office",
        "「{title}」办理结果为正在解决或列入计划,跟踪办理日期({date})已到,请跟踪落实。",
        "建议提案办理 B/C 类答复:到跟踪办理日期提醒督查室",
    ),
    (
        "calendar_provisional",
        20,
        "admin",
        "{year}年的节假日安排尚未录入,期限暂按固定节日计算,请在国务院办公厅通知发布后导入。",
        "次年日历为暂定时,年底前20个工作日起提醒管理员(每年一次)",
    ),
]


def load(apps, schema_editor):
    rule = apps.get_model("items", "ReminderRule")
    for kind, days, recipients, message, note in PRESETS:
        rule.objects.get_or_create(
            source="",
            kind=kind,
            days=days,
            recipients=recipients,
            defaults={"message": message, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("items", "0008_sweeps")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
