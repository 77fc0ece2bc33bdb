"""The demo city 示范市: about 40 units, a leading group, one account per role; all fictional."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from duban.audit.log import record
from duban.audit.types import EventType
from duban.org import actions
from duban.org.models import Role, Unit, UnitKind

DEMO_PASSWORD = "Duban@2026"  # noqa: S105  (published in the README on purpose)

K = UnitKind
# (code, name, short name, kind, parent code)
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("SFS", "示范市", "示范市", K.OTHER, None),
    ("SFS-SWB", "中共示范市委办公室", "市委办公室", K.PARTY, "SFS"),
    ("SFS-SWDC", "市委督查室", "市委督查室", K.PARTY, "SFS-SWB"),
    ("SFS-JW", "示范市纪委监委", "市纪委监委", K.PARTY, "SFS"),
    ("SFS-ZZB", "中共示范市委组织部", "市委组织部", K.PARTY, "SFS"),
    ("SFS-ZFB", "示范市人民政府办公室", "市政府办公室", K.GOVERNMENT, "SFS"),
    ("SFS-DCS", "示范市人民政府督查室", "市政府督查室", K.GOVERNMENT, "SFS-ZFB"),
    ("SFS-FGW", "示范市发展和改革委员会", "市发改委", K.DEPARTMENT, "SFS"),
    ("SFS-FGW-ZHK", "市发改委综合科", "综合科", K.DEPARTMENT, "SFS-FGW"),
    ("SFS-SCJG", "示范市市场监督管理局", "市市场监管局", K.DEPARTMENT, "SFS"),
    ("SFS-SCJG-ZLK", "市市场监管局质量发展科", "质量发展科", K.DEPARTMENT, "SFS-SCJG"),
    ("SFS-ZJ", "示范市住房和城乡建设局", "市住建局", K.DEPARTMENT, "SFS"),
    ("SFS-JT", "示范市交通运输局", "市交通局", K.DEPARTMENT, "SFS"),
    ("SFS-SL", "示范市水利局", "市水利局", K.DEPARTMENT, "SFS"),
    ("SFS-NY", "示范市农业农村局", "市农业农村局", K.DEPARTMENT, "SFS"),
    ("SFS-SW", "示范市商务局", "市商务局", K.DEPARTMENT, "SFS"),
    ("SFS-SWJ", "国家税务总局示范市税务局", "市税务局", K.DEPARTMENT, "SFS"),
    ("SFS-GX", "示范市工业和信息化局", "市工信局", K.DEPARTMENT, "SFS"),
    ("SFS-HB", "示范市生态环境局", "市生态环境局", K.DEPARTMENT, "SFS"),
    ("SFS-WJ", "示范市卫生健康委员会", "市卫健委", K.DEPARTMENT, "SFS"),
    ("SFS-JY", "示范市教育局", "市教育局", K.DEPARTMENT, "SFS"),
    ("SFS-TJ", "示范市统计局", "市统计局", K.DEPARTMENT, "SFS"),
    ("SFS-GXQ", "示范高新技术产业开发区管理委员会", "高新区管委会", K.PARK, "SFS"),
    ("SFS-QY1", "示范重工集团有限公司", "示范重工", K.ENTERPRISE, "SFS-GXQ"),
]
DISTRICTS = [
    ("DH", "东湖区", ["东湖街道", "湖滨街道", "青石镇"]),
    ("XS", "西山区", ["西山街道", "枫林镇", "白云乡"]),
    ("NX", "南溪县", ["南溪镇", "清河镇", "石桥乡"]),
]


def _district_units() -> list[tuple[str, str, str, str, str | None]]:
    rows: list[tuple[str, str, str, str, str | None]] = []
    for code, name, towns in DISTRICTS:
        base = f"SFS-{code}"
        gov = "县" if name.endswith("县") else "区"
        rows.append((base, f"{name}人民政府", name, K.GOVERNMENT, "SFS"))
        rows.append((f"{base}-ZFB", f"{name}人民政府办公室", f"{name}政府办", K.GOVERNMENT, base))
        rows.append(
            (f"{base}-SCJG", f"{name}市场监督管理局", f"{gov}市场监管局", K.DEPARTMENT, base)
        )
        for index, town in enumerate(towns, start=1):
            rows.append((f"{base}-T{index}", f"{name}{town}", town, K.TOWNSHIP, base))
    return rows


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    title: str
    unit: str
    role: str
    scope: str | None = None


ACCOUNTS = [
    DemoAccount("admin", "系统管理员", "信息科科长", "SFS-ZFB", Role.ADMIN, "SFS"),
    DemoAccount("ducha", "李督查", "督查室科员", "SFS-DCS", Role.OFFICE, "SFS"),
    DemoAccount("ducha_zhuren", "王主任", "督查室主任", "SFS-DCS", Role.OFFICE_HEAD, "SFS"),
    DemoAccount("mishuzhang", "赵秘书长", "市政府副秘书长", "SFS-ZFB", Role.LEADER, "SFS"),
    DemoAccount("fagai_lingdao", "钱主任", "市发改委主任", "SFS-FGW", Role.UNIT_LEADER),
    DemoAccount("fagai_lianluo", "孙联络", "市发改委综合科科员", "SFS-FGW", Role.LIAISON),
    DemoAccount("shichang_lianluo", "周联络", "市场监管局质量发展科科员", "SFS-SCJG", Role.LIAISON),
    DemoAccount("duchayuan", "吴督查员", "特约督查员", "SFS-DCS", Role.INSPECTOR, "SFS-DCS"),
    DemoAccount("jijian", "郑纪检", "市纪委监委干部", "SFS-JW", Role.AUDITOR, "SFS"),
    DemoAccount(
        "donghu_ducha", "冯督查", "东湖区政府办督查科科员", "SFS-DH-ZFB", Role.OFFICE, "SFS-DH"
    ),
]

GROUP_MEMBERS = [
    ("SFS-SCJG", "牵头推进质量强市创建,承担创建办日常工作"),
    ("SFS-FGW", "将质量发展纳入国民经济和社会发展规划"),
    ("SFS-GX", "推动工业产品质量提升和品牌建设"),
    ("SFS-ZJ", "负责建设工程质量监管"),
    ("SFS-JT", "负责交通工程质量和运输服务质量"),
    ("SFS-SL", "负责水利工程质量监管"),
    ("SFS-NY", "负责农产品质量安全"),
    ("SFS-SW", "负责商贸服务质量提升"),
    ("SFS-SWJ", "落实质量相关税收优惠政策"),
    ("SFS-HB", "负责生态环境质量改善"),
    ("SFS-WJ", "负责医疗服务质量"),
    ("SFS-JY", "负责质量教育进校园"),
    ("SFS-TJ", "负责质量统计监测"),
    ("SFS-DH", "负责本区创建工作"),
    ("SFS-XS", "负责本区创建工作"),
    ("SFS-NX", "负责本县创建工作"),
]
SURNAMES = "陈林黄何罗高梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"


def _contacts(index: int) -> dict[str, str]:
    def name(offset: int, given: str) -> str:
        return SURNAMES[(index * 3 + offset) % len(SURNAMES)] + given

    return {
        "leader_name": name(0, "副局长"),
        "leader_phone": f"1380000{index:02d}01",
        "section_head_name": name(1, "科长"),
        "section_head_phone": f"1380000{index:02d}02",
        "handler_name": name(2, "干事"),
        "handler_phone": f"1380000{index:02d}03",
    }


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Create the demo city on an empty database. Idempotence is the caller's check."""
    units: dict[str, Unit] = {}
    for order, (code, name, short, kind, parent) in enumerate(UNITS + _district_units()):
        units[code] = actions.create_unit(
            actor=None,
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            parent=units[parent] if parent else None,
            sort_order=order,
        )
    for account in ACCOUNTS:
        user = actions.create_user(
            actor=None,
            username=account.username,
            full_name=account.full_name,
            title=account.title,
            password=DEMO_PASSWORD,
            superuser=account.role == Role.ADMIN,
        )
        actions.grant_role(
            user,
            units[account.unit],
            account.role,
            actor=None,
            scope=units[account.scope or account.unit],
        )
    group = actions.create_group(
        actor=None,
        name="质量强市工作领导小组",
        office_unit=units["SFS-SCJG"],
        office_name="质量强市工作领导小组办公室(创建办)",
        head="市长 张示范",
        deputy_heads="常务副市长 刘某、副市长 陈某、市政府秘书长 赵某",
        doc_number="示政办发〔2026〕12号",
    )
    for index, (code, duty) in enumerate(GROUP_MEMBERS, start=1):
        actions.add_group_member(
            group, units[code], actor=None, duty=duty, sort_order=index, **_contacts(index)
        )
    record(
        EventType.DEMO_LOADED, actor=None, details={"units": len(units), "accounts": len(ACCOUNTS)}
    )
    return ACCOUNTS
