"""Presets from the seeds; Jinan's is active. The rules are data: edit the rows, not this file.

The seeds name the measures and their order but rarely a number of days; where they do not, the
threshold below is this preset's choice, said in the row's 条款依据, and an office changes it.

- Jinan, seed 004: 第七条(五) 催办督办 (escalation), 第二十条 通报批评 → 诫勉谈话 (年度内 2 次, or
  整改不力) → 组织处理或纪律处分 (年度内 3 次; 涉嫌违纪的移交纪检监察机关) (accountability).
- Mianyang, seed 002: 第二十九条 组长、副组长约谈, 经约谈仍不见成效的实施问责; 第三十条 推进不力的
  在年度质量工作考核中「一票否决」 (a flag on the 问责 step).
- Qijiang, seed 000: 第二十二条 整改不力的调度督办; 第三十四条 函告、通报、约谈、专项督查.
"""

from django.db import migrations

OFFICE, HEAD, LEADER = "office", "office_head", "leader"

PRESETS = [
    {
        "code": "jinan",
        "name": "济南市政府督促检查工作规则",
        "jurisdiction": "济南市",
        "source": "004 第七条(五)、第二十条",
        "active": True,
        "ladder": [
            (1, "remind", "overdue", 0, OFFICE, False, "004 第七条(五) 催办;逾期即提出"),
            (2, "supervise", "overdue", 3, HEAD, False, "004 第七条(五) 督办;逾期3个工作日(预设)"),
            (3, "supervise", "returned", 2, HEAD, False, "004 第七条(五) 督办;退回重办2次(预设)"),
        ],
        "accountability": [
            (
                1,
                "late",
                5,
                "",
                "criticism",
                False,
                "004 第二十条(一);逾期5个工作日(预设)",
                "《济南市市政府督促检查工作规则》第二十条(一):对工作进展缓慢、落实不力,在规定期限内"
                "未完成任务的责任单位,由政府督查机构予以通报批评,责令作出书面检查并认真整改。",
            ),
            (
                2,
                "count",
                2,
                "criticism",
                "admonition",
                False,
                "004 第二十条(二) 年度内被通报批评2次",
                "《济南市市政府督促检查工作规则》第二十条(二):年度内被通报批评2次的,由市政府分管领导"
                "对责任单位主要责任人和分管责任人进行工作诫勉谈话,情况抄报市委组织部、市监察局。",
            ),
            (
                3,
                "unimproved",
                10,
                "criticism",
                "admonition",
                False,
                "004 第二十条(二) 整改不力;通报批评后10个工作日仍未办结(预设)",
                "《济南市市政府督促检查工作规则》第二十条(二):被通报批评的责任单位,在规定时限内整改"
                "措施不力、工作仍无明显进展的,进行工作诫勉谈话。",
            ),
            (
                4,
                "count",
                3,
                "criticism",
                "discipline",
                True,
                "004 第二十条(三) 年度内被通报批评3次",
                "《济南市市政府督促检查工作规则》第二十条(三):年度内被通报批评3次的,按照管理权限,"
                "由主管单位(部门)进行组织处理或纪律处分;涉嫌违纪的,移交纪检监察机关处理。",
            ),
        ],
    },
    {
        "code": "mianyang",
        "name": "绵阳市创建全国质量强市示范城市领导小组工作规则",
        "jurisdiction": "绵阳市",
        "source": "002 第二十九条、第三十条",
        "active": False,
        "ladder": [
            (1, "remind", "overdue", 0, OFFICE, False, "002 第二十八条 督查;逾期即催办(预设)"),
            (2, "supervise", "overdue", 5, HEAD, False, "002 第二十八条;逾期5个工作日(预设)"),
            (3, "interview", "overdue", 10, LEADER, False, "002 第二十九条 组长、副组长约谈"),
            (4, "accountability", "overdue", 20, LEADER, True, "002 第二十九条 问责;第三十条 一票否决"),
        ],
        "accountability": [],
    },
    {
        "code": "qijiang",
        "name": "綦江区质量督查工作规定(试行)",
        "jurisdiction": "重庆市綦江区",
        "source": "000 第二十二条、第三十四条",
        "active": False,
        "ladder": [
            (1, "supervise", "overdue", 0, OFFICE, False, "000 第二十二条 调度督办"),
            (2, "letter", "overdue", 5, OFFICE, False, "000 第三十四条 函告;逾期5个工作日(预设)"),
            (3, "notice", "overdue", 10, HEAD, False, "000 第三十四条 通报;逾期10个工作日(预设)"),
            (4, "interview", "overdue", 15, LEADER, False, "000 第三十四条 约谈;逾期15个工作日(预设)"),
            (5, "special", "overdue", 20, HEAD, False, "000 第三十四条 专项督查;逾期20个工作日(预设)"),
        ],
        "accountability": [],
    },
]


def load(apps, schema_editor):
    Preset = apps.get_model("assessment", "Preset")
    LadderRule = apps.get_model("assessment", "LadderRule")
    AccountabilityRule = apps.get_model("assessment", "AccountabilityRule")
    for data in PRESETS:
        fields = {k: v for k, v in data.items() if k not in ("ladder", "accountability")}
        preset, created = Preset.objects.get_or_create(code=data["code"], defaults=fields)
        if not created:
            continue
        for step, measure, trigger, threshold, applier, veto, article in data["ladder"]:
            LadderRule.objects.create(
                preset=preset,
                step=step,
                measure=measure,
                trigger=trigger,
                threshold=threshold,
                applier=applier,
                veto=veto,
                article=article,
            )
        for step, trigger, threshold, counted, measure, refer, article, basis in data[
            "accountability"
        ]:
            AccountabilityRule.objects.create(
                preset=preset,
                step=step,
                trigger=trigger,
                threshold=threshold,
                counted_measure=counted,
                measure=measure,
                refer_to_discipline=refer,
                article=article,
                basis=basis,
            )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
