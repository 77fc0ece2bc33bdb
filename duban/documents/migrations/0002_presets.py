"""The preset templates every office starts from (rows without an office); edit them on the
文书模板 page, which makes the office's own copy. The 发文字号 代字 here are neutral: an office
puts its own (济政督 …) before its first issue.

- 督查通知: the 交办 notice of an item (seed 004 第七条 督查交办; seed 001 第十四条(十二) 督办通知).
- 催办单/督办单: seed 004 第七条 催办督办.
- 督查通报: seed 004 第十九条 (通报表扬; results sent to the 组织部 for assessment) and
  第二十条 (通报批评); seed 001 第十四条(十三) 《督查工作通报》.
- 督查专报: seed 001 第十四条(十三) 《督查专报》.

Fonts: the official ones of GB/T 9704, with stand-ins for machines without them (README 督查文书):
仿宋_GB2312 and 方正小标宋简体 → Noto Serif CJK SC, 黑体 → Noto Sans CJK SC, 楷体_GB2312 → AR PL UKai CN,
宋体 → AR PL UMing CN.
"""

from django.db import migrations

FALLBACKS = "\n".join(
    [
        "方正小标宋简体=Noto Serif CJK SC",
        "仿宋_GB2312=Noto Serif CJK SC",
        "黑体=Noto Sans CJK SC",
        "楷体_GB2312=AR PL UKai CN",
        "宋体=AR PL UMing CN",
    ]
)

PRESETS = [
    {
        "kind": "notice",
        "issuer_mark": "{office}文件",
        "number_prefix": "督通",
        "mark_top_mm": 35,
        "title_template": "关于督办{title}的通知",
        "recipients": "{units}",
        "body_template": "根据{source},现将「{title}」交由你单位办理。有关事项通知如下:\n"
        "{data}\n"
        "四、办理要求\n"
        "请主办单位牵头抓总、协办单位密切配合,明确责任领导和责任人,收到通知后及时签收,"
        "按要求报送进展情况,办结后报送办结报告。逾期未办结的,将予以催办督办并按规定通报。",
        "closing": "特此通知。",
        "signature": "{office}",
        "copy_to": "",
    },
    {
        "kind": "reminder",
        "issuer_mark": "{office}",
        "number_prefix": "督办",
        "mark_top_mm": 25,
        "title_template": "{form}",
        "recipients": "{lead}",
        "body_template": "{data}\n"
        "请你单位高度重视,认真分析原因,采取有力措施加快推进,于{date}前办结,"
        "并于收到本{form}后3个工作日内将办理进展书面报送{office}。",
        "closing": "",
        "signature": "{office}",
        "copy_to": "",
    },
    {
        "kind": "bulletin",
        "issuer_mark": "督查通报",
        "number_prefix": "督报",
        "mark_top_mm": 25,
        "title_template": "关于{period}督查事项办理情况的通报",
        "recipients": "各有关单位",
        "body_template": "为推动各项决策部署落地见效,现将{period}督查事项办理情况通报如下:\n"
        "{data}\n"
        "五、有关要求\n"
        "各单位要对照本通报认真查摆问题,逾期未办结事项的主办单位要明确整改措施和完成时限,"
        "被通报批评的单位要书面说明情况。督查结果将作为年度考核评价的重要依据。",
        "closing": "",
        "signature": "{office}",
        # Seed 004 第十九条: 将督查结果抄送市委组织部.
        "copy_to": "党委组织部",
    },
    {
        "kind": "report",
        "issuer_mark": "督查专报",
        "number_prefix": "督专",
        "mark_top_mm": 25,
        "title_template": "{title}",
        "recipients": "",
        "body_template": "{data}",
        "closing": "",
        "signature": "{office}",
        "copy_to": "",
    },
]


def seed(apps, schema_editor):
    Template = apps.get_model("documents", "DocumentTemplate")
    for preset in PRESETS:
        Template.objects.update_or_create(
            kind=preset["kind"],
            office_unit=None,
            defaults={**preset, "font_fallbacks": FALLBACKS},
        )


def unseed(apps, schema_editor):
    apps.get_model("documents", "DocumentTemplate").objects.filter(office_unit=None).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
