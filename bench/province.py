"""A realistic province on PostgreSQL for the 台账 and dashboard benchmarks (issue 6 item 6).

    .venv/bin/python bench/province.py --items 1000000 [--keep]

DATABASE_URL names a scratch PostgreSQL database (default
postgres://postgres@127.0.0.1:5432/duban_province). Without --keep the database is dropped and
created again (from the template in DUBAN_TEST_DB_TEMPLATE when set) and migrated; with --keep an
existing one is kept and its items topped up to --items, so the million is generated once.

示范省: 16 cities of about 8 districts and counties each (≈3,700 units: every jurisdiction has its
government office, 督查室, 纪委监委 and 20–40 departments), a person for every role (office staff,
office head, three leaders and an auditor per jurisdiction; a liaison and a unit leader per
department), and the items, registered by the province's, cities' and counties' 督查室 (8/36/56 %).
Items follow what an office's 台账 looks like after three years: every source, older items mostly
closed (A/B/C/D outcomes, some late), newer ones mostly open; 主办 and 协办 units, 节点任务, plans,
progress and final reports, extensions, returns, and each item's audit events. Lights are set by the
real lights sweep. Everything is INSERT ... SELECT over generate_series in batches, never a row at
a time from Python.

The audit log is a hash chain (duban/audit/chain.py). Each batch's events are staged with their
canonical payload built in SQL up to the previous hash, then one recursive query folds the chain
(sha256 of payload + previous hash, exactly `event_hash`) and inserts them, and the chain head
moves to the last one: `duban verify-audit` accepts the result (the test checks it).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duban_province"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_WORKER", "immediate")

BATCH = 50_000
SPAN_DAYS = 1000  # items were registered over the last ~2.7 years

# The organisation ------------------------------------------------------------------------------

CITIES = [
    "东阳", "西江", "南岭", "北原", "青州", "临川", "安平", "云溪",
    "长宁", "永丰", "白河", "金山", "玉泉", "凤城", "梅岭", "江陵",
]  # fmt: skip
COUNTY_STEMS = [
    "城关", "东湖", "西山", "南溪", "北塘", "清河", "石桥", "枫林", "白云", "桃源",
    "龙泉", "新华", "和平", "柳营", "松岗", "黄石", "红旗", "双河", "青龙", "高平",
]  # fmt: skip
# (code, name at the province, name in a city or county)
DEPARTMENTS = [
    ("FGW", "发展和改革委员会", "发展和改革局"),
    ("JY", "教育厅", "教育局"),
    ("KJ", "科学技术厅", "科学技术局"),
    ("GX", "工业和信息化厅", "工业和信息化局"),
    ("GA", "公安厅", "公安局"),
    ("MZ", "民政厅", "民政局"),
    ("SF", "司法厅", "司法局"),
    ("CZ", "财政厅", "财政局"),
    ("RS", "人力资源和社会保障厅", "人力资源和社会保障局"),
    ("ZR", "自然资源厅", "自然资源局"),
    ("HB", "生态环境厅", "生态环境局"),
    ("ZJ", "住房和城乡建设厅", "住房和城乡建设局"),
    ("JT", "交通运输厅", "交通运输局"),
    ("SL", "水利厅", "水利局"),
    ("NY", "农业农村厅", "农业农村局"),
    ("SW", "商务厅", "商务局"),
    ("WL", "文化和旅游厅", "文化和旅游局"),
    ("WJ", "卫生健康委员会", "卫生健康局"),
    ("TY", "退役军人事务厅", "退役军人事务局"),
    ("YJ", "应急管理厅", "应急管理局"),
    ("SJ", "审计厅", "审计局"),
    ("SCJG", "市场监督管理局", "市场监督管理局"),
    ("TJ", "统计局", "统计局"),
    ("YB", "医疗保障局", "医疗保障局"),
    ("XF", "信访局", "信访局"),
    ("ZWFW", "政务服务管理局", "政务服务中心"),
    ("LY", "林业局", "林业局"),
    ("NYJ", "能源局", "能源局"),
    ("GZW", "国有资产监督管理委员会", "国有资产服务中心"),
    ("CG", "城市管理局", "城市管理局"),
    ("TYJ", "体育局", "体育局"),
    ("GDJ", "广播电视局", "广播电视局"),
    ("ZSJ", "知识产权局", "知识产权局"),
    ("DSJ", "大数据管理局", "大数据中心"),
    ("XZSP", "行政审批局", "行政审批局"),
    ("RF", "人民防空办公室", "人民防空办公室"),
    ("MZZJ", "民族宗教事务委员会", "民族宗教事务局"),
    ("WS", "外事办公室", "外事办公室"),
    ("LSJ", "粮食和物资储备局", "粮食和物资储备中心"),
    ("JGSW", "机关事务管理局", "机关事务服务中心"),
]
CITY_DEPARTMENTS = 30
COUNTY_DEPARTMENTS = 20
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
    "袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = [
    "建国", "秀英", "志强", "丽娟", "永刚", "海燕", "国庆", "红梅", "晓东", "文博",
    "思远", "佳怡", "子涵", "明辉", "雪峰", "玉兰", "德胜", "春生", "立新", "静怡",
]  # fmt: skip
LEVELS = {
    0: ("省", "省长", "副省长"),
    1: ("市", "市长", "副市长"),
    2: ("县区", "区县长", "副区县长"),
}
# Share of items registered by each level's 督查室.
LEVEL_SHARE = {0: 0.08, 1: 0.36, 2: 0.56}

ROOT = re.compile(r"P(-C\d\d(-K\d\d)?)?")

UnitRow = tuple[str, str, str, str, str | None]  # code, name, short name, kind, parent code


def _jurisdiction(
    code: str, name: str, short: str, parent: str | None, level: int
) -> list[UnitRow]:
    gov = "政府办公厅" if level == 0 else "政府办公室"
    rows: list[UnitRow] = [
        (code, name, short, "other" if level < 2 else "government", parent),
        (f"{code}-ZFB", f"{name}人民{gov}", f"{short}{gov}", "government", code),
        (f"{code}-DCS", f"{name}人民政府督查室", f"{short}政府督查室", "government", f"{code}-ZFB"),
        (f"{code}-JW", f"{name}纪委监委", f"{short}纪委监委", "party", code),
    ]
    count = {0: len(DEPARTMENTS), 1: CITY_DEPARTMENTS, 2: COUNTY_DEPARTMENTS}[level]
    for dept, province_name, local_name in DEPARTMENTS[:count]:
        title = province_name if level == 0 else local_name
        prefix = "省" if level == 0 else short
        rows.append(
            (f"{code}-{dept}", f"{name}{title}", f"{prefix}{title}"[:30], "department", code)
        )
    return rows


def units() -> list[UnitRow]:
    """The province's units, parents before children."""
    rows = _jurisdiction("P", "示范省", "示范省", None, 0)
    stems = iter(COUNTY_STEMS * 10)
    for c, city in enumerate(CITIES, start=1):
        ccode = f"P-C{c:02d}"
        rows += _jurisdiction(ccode, f"{city}市", f"{city}市", "P", 1)
        for k in range(1, 9 + (c <= 2)):
            stem = next(stems)
            suffix = "县" if k % 3 == 0 else "区"
            county = f"{stem}{suffix}"
            rows += _jurisdiction(f"{ccode}-K{k:02d}", f"{city}市{county}", county, ccode, 2)
    return rows


PersonRow = tuple[str, str, str, str, str, str]  # username, full name, title, unit, role, scope


def _name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index // len(SURNAMES)) % len(GIVEN)]


def people(rows: Sequence[UnitRow]) -> list[PersonRow]:
    """Office staff, head, leaders, auditor per jurisdiction; liaison and leader per department."""
    out: list[PersonRow] = []
    n = 0

    def add(user: str, title: str, unit: str, role: str, scope: str) -> None:
        nonlocal n
        n += 1
        out.append((user, _name(n * 7), title, unit, role, scope))

    for code, _full, short, kind, _parent in rows:
        slug = code.lower().replace("-", "_")
        if code.endswith("-DCS"):
            root = code.removesuffix("-DCS")
            add(f"{slug}_office1", f"{short}科员", code, "office", root)
            add(f"{slug}_office2", f"{short}科员", code, "office", root)
            add(f"{slug}_head", f"{short}主任", code, "office_head", root)
        elif code.endswith("-ZFB"):
            root = code.removesuffix("-ZFB")
            level = root.count("-")
            for i in range(1, 4):
                title = LEVELS[level][1] if i == 1 else LEVELS[level][2]
                add(f"{slug}_leader{i}", title, code, "leader", root)
        elif code.endswith("-JW"):
            add(f"{slug}_auditor", f"{short}干部", code, "auditor", code.removesuffix("-JW"))
        elif kind == "department":
            add(f"{slug}_liaison", f"{short}联络员", code, "liaison", code)
            add(f"{slug}_leader", f"{short}负责人", code, "unit_leader", code)
    add("p_admin", "省政府办公厅信息处处长", "P-ZFB", "admin", "P")
    return out


# Helpers -----------------------------------------------------------------------------------------


def _conn() -> Any:
    from django.db import connection

    return connection


def execute(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> int:
    with _conn().cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def scalar(sql: str, params: Sequence[Any] | None = None) -> Any:
    with _conn().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return row[0] if row else None


def columns(model: Any, overrides: dict[str, str]) -> tuple[str, str, list[Any]]:
    """Column list, SELECT list and parameters: each override's SQL, or the field's default.

    Other helpers add columns to these tables while this runs; a NOT NULL one without an override
    gets its model default, so the generator keeps working."""
    names, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        column = str(field.column)
        if field.name in overrides or column in overrides:
            names.append(column)
            exprs.append(overrides.get(field.name, overrides.get(column, "")))
        elif (field.has_default() or not field.null) and not field.primary_key:
            names.append(column)
            exprs.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection=_conn()))
    return ", ".join(names), ", ".join(exprs), params


def insert_select(model: Any, overrides: dict[str, str], tail: str, params: Iterable[Any]) -> int:
    names, exprs, defaults = columns(model, overrides)
    table = model._meta.db_table
    # Column names come from the model, never from input.
    sql = f"INSERT INTO {table} ({names}) SELECT {exprs} {tail}"
    return execute(sql, [*defaults, *params])


def arrays(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)]


# Database -----------------------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def create_database(url: str, *, keep: bool) -> None:
    """CREATE DATABASE (dropping an existing one unless `keep`), from the template when set."""
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        template = os.environ.get("DUBAN_TEST_DB_TEMPLATE")
        clause = f' TEMPLATE "{template}"' if template else " TEMPLATE template0 ENCODING 'UTF8'"
        conn.execute(f'CREATE DATABASE "{name}"{clause}')


def drop_database(url: str) -> None:
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Organisation -----------------------------------------------------------------------------------


def create_org() -> None:
    """The units (paths by one recursive UPDATE), people and their roles, unless present."""
    from duban.org.models import Membership, Unit, User

    if Unit.objects.filter(code="P").exists():
        return
    rows = units()
    codes, names, shorts, kinds, parents = arrays(rows)
    insert_select(
        Unit,
        {
            "code": "u.code",
            "name": "u.name",
            "short_name": "u.short",
            "kind": "u.kind",
            "path": "''",
            "depth": "0",
            "sort_order": "u.ord",
            "created_at": "now()",
            "updated_at": "now()",
        },
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY"
        " AS u(code, name, short, kind, ord)",
        [codes, names, shorts, kinds],
    )
    execute(
        "UPDATE org_unit c SET parent_id = p.id FROM unnest(%s::text[], %s::text[]) AS x(code, up)"
        " JOIN org_unit p ON p.code = x.up WHERE c.code = x.code",
        [codes, parents],
    )
    execute(
        "WITH RECURSIVE t(id, path, depth) AS ("
        " SELECT id, '/' || lpad(id::text, 8, '0') || '/', 0 FROM org_unit WHERE code = 'P'"
        " UNION ALL SELECT u.id, t.path || lpad(u.id::text, 8, '0') || '/', t.depth + 1"
        " FROM org_unit u JOIN t ON u.parent_id = t.id)"
        " UPDATE org_unit SET path = t.path, depth = t.depth FROM t WHERE org_unit.id = t.id"
    )
    staff = people(rows)
    usernames, full, titles, unit_codes, roles, scopes = arrays(staff)
    insert_select(
        User,
        {
            # An unusable password, as Django's set_unusable_password writes; benches force_login.
            "password": "'!bench'",
            "username": "p.username",
            "full_name": "p.fullname",
            "title": "p.title",
            "is_superuser": "p.username = 'p_admin'",
            "is_active": "true",
            "date_joined": "now()",
        },
        "FROM unnest(%s::text[], %s::text[], %s::text[]) AS p(username, fullname, title)",
        [usernames, full, titles],
    )
    insert_select(
        Membership,
        {
            "user": "u.id",
            "unit": "unit.id",
            "role": "m.role",
            "scope": "scope.id",
            "active": "true",
            "created_at": "now()",
        },
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[])"
        " AS m(username, unit, role, scope)"
        " JOIN org_user u ON u.username = m.username JOIN org_unit unit ON unit.code = m.unit"
        " JOIN org_unit scope ON scope.code = m.scope",
        [usernames, unit_codes, roles, scopes],
    )


def _roots() -> list[str]:
    return [code for code, *_ in units() if ROOT.fullmatch(code)]


def _slots(roots: list[str]) -> list[int]:
    """1000 slots over the jurisdictions, in proportion to each level's share of the items."""
    per_level = Counter(root.count("-") for root in roots)
    slots: list[int] = []
    cumulative = 0.0
    for index, root in enumerate(roots, start=1):
        level = root.count("-")
        cumulative += 1000 * LEVEL_SHARE[level] / per_level[level]
        slots += [index] * (round(cumulative) - len(slots))
    return slots


def jurisdictions() -> None:
    """Scratch tables for the item batches: jurisdictions, their departments and leaders, slots."""
    roots = _roots()
    execute("DROP TABLE IF EXISTS bench_jur, bench_dept, bench_slot")
    execute(
        "CREATE TEMP TABLE bench_jur AS SELECT r.j, root.id AS root_id, root.short_name AS name,"
        " office.id AS office_id,"
        " (SELECT min(m.user_id) FROM org_membership m WHERE m.unit_id = office.id"
        "  AND m.role = 'office') AS clerk_id,"
        " (SELECT min(m.user_id) FROM org_membership m WHERE m.unit_id = office.id"
        "  AND m.role = 'office_head') AS head_id,"
        " (SELECT array_agg(u.full_name ORDER BY u.username) FROM org_membership m"
        "  JOIN org_user u ON u.id = m.user_id WHERE m.unit_id = gov.id AND m.role = 'leader')"
        "  AS leaders,"
        " (SELECT count(*) FROM org_unit d WHERE d.parent_id = root.id AND d.kind = 'department')"
        "  AS depts"
        " FROM unnest(%s::text[]) WITH ORDINALITY AS r(code, j)"
        " JOIN org_unit root ON root.code = r.code"
        " JOIN org_unit gov ON gov.code = r.code || '-ZFB'"
        " JOIN org_unit office ON office.code = r.code || '-DCS'",
        [roots],
    )
    execute(
        "CREATE TEMP TABLE bench_dept AS SELECT j.j,"
        " (row_number() OVER (PARTITION BY j.j ORDER BY d.code) - 1)::int AS k,"
        " d.id AS unit_id, d.short_name AS name,"
        " (SELECT min(m.user_id) FROM org_membership m WHERE m.unit_id = d.id"
        "  AND m.role = 'liaison') AS liaison_id,"
        " (SELECT min(m.user_id) FROM org_membership m WHERE m.unit_id = d.id"
        "  AND m.role = 'unit_leader') AS leader_id"
        " FROM bench_jur j JOIN org_unit d ON d.parent_id = j.root_id AND d.kind = 'department'"
    )
    execute("CREATE UNIQUE INDEX ON bench_dept (j, k)")
    execute(
        "CREATE TEMP TABLE bench_slot AS"
        " SELECT (s.slot - 1)::int AS slot, s.j"
        " FROM unnest(%s::int[]) WITH ORDINALITY AS s(j, slot)",
        [_slots(roots)],
    )
    execute("ANALYZE bench_jur; ANALYZE bench_dept; ANALYZE bench_slot")


# Items ------------------------------------------------------------------------------------------

# Weighted by how often each source reaches a 督查室 (in 100 draws).
SOURCES = (
    ["leader_instruction"] * 25 + ["meeting"] * 20 + ["document"] * 12 + ["work_report"] * 5
    + ["key_project"] * 5 + ["npc_suggestion"] * 8 + ["cppcc_proposal"] * 7 + ["superior"] * 8
    + ["complaint"] * 7 + ["other"] * 3
)  # fmt: skip
TOPICS = [
    "老旧小区改造", "优化营商环境", "河长制湖长制落实", "秸秆禁烧和综合利用", "质量强省创建",
    "学校周边交通安全", "食品安全监管", "农村人居环境整治", "大气污染防治", "减税降费政策落实",
    "中小企业纾困解难", "城市道路积水点改造", "燃气管道老化更新改造", "基层医疗服务能力提升",
    "义务教育学位保障", "农产品质量安全追溯", "城乡供水一体化", "交通拥堵综合治理", "提振消费市场",
    "工业企业技术改造", "开发区招商引资", "统计数据质量提升", "安全生产隐患排查整治",
    "重点项目前期手续办理", "高标准农田建设", "根治欠薪", "养老服务体系建设", "生活垃圾分类",
    "政务服务一网通办", "防汛抗旱准备", "森林防火", "耕地保护和违法占地整治", "住房保障",
    "城市更新", "乡村振兴示范村建设", "就业创业扶持", "医保基金监管", "校外培训治理",
    "电动自行车安全隐患整治", "历史文化街区保护",
]  # fmt: skip
VERBS = ["加快推进", "全面落实", "扎实开展", "统筹推进", "持续深化", "抓好"]
MEETINGS = [
    ("政府常务会议", "standing"), ("政府专题会议", "topical"), ("政府全体会议", "plenary"),
    ("现场办公会议", "on_site"), ("联席会议", "joint"),
]  # fmt: skip
NPC_TOPICS = [
    "学校周边交通拥堵治理", "增设中小学上下学公交专线", "老旧小区加装电梯", "农贸市场提升改造",
    "社区养老服务设施建设", "城区停车难问题", "农村公路养护", "背街小巷照明改善",
]  # fmt: skip
TARGETS = [
    "年内完成老旧小区改造#个", "新增城镇就业#千人", "新建改扩建中小学#所", "新增市场主体#千户",
    "改造城市积水点#处", "实施工业技改项目#个",
]  # fmt: skip
PROJECTS = [
    "快速路",
    "污水处理厂扩建",
    "城乡供水工程",
    "智能制造产业园",
    "综合客运枢纽",
    "人民医院新院区",
]
COMPLAINTS = ["夜间施工噪声扰民", "餐饮油烟直排", "小区违规占用绿地", "河道垃圾堆积", "占道经营"]
PLACES = ["城关街道", "东城街道", "西关街道", "南门街道", "新城街道", "工业园区"]
REPORTS = [
    "已制定工作方案,明确责任分工和时间节点,目前完成年度任务的六成。",
    "已召开专题推进会,完成现场摸排,问题清单已建立并逐项销号。",
    "主体工作已基本完成,正在开展验收和群众满意度回访。",
]
PLAN = "一、目标任务:按督查通知要求按期完成。二、主要措施:成立工作专班,建立周调度机制。"
FINAL = "已按要求完成全部任务,建立长效机制,相关佐证材料已整理归档。"


def _pick(array: str, r: str, n: int) -> str:
    return f"({array})[1 + floor({r} * {n})::int]"


def _text_array(values: Sequence[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


STATE_SQL = """CASE WHEN r1 < 0.05 + 0.9 * power(f, 3) THEN CASE
    WHEN r2 < 0.05 THEN 'draft' WHEN r2 < 0.08 THEN 'pending_approval'
    WHEN r2 < 0.23 THEN 'assigned' WHEN r2 < 0.88 THEN 'in_progress' ELSE 'submitted' END
  ELSE CASE WHEN r2 < 0.62 THEN 'completed' WHEN r2 < 0.95 THEN 'archived' ELSE 'cancelled' END
  END"""
STAGE_SQL = """CASE state WHEN 'draft' THEN 0 WHEN 'pending_approval' THEN 1
  WHEN 'assigned' THEN 2 WHEN 'in_progress' THEN 3 WHEN 'submitted' THEN 4
  WHEN 'completed' THEN 5 WHEN 'archived' THEN 6 ELSE 2 END"""


def _batch_sql() -> str:
    """One batch's items with everything the inserts need, computed from random draws per row."""
    meetings = _text_array([m for m, _k in MEETINGS])
    kinds = _text_array([k for _m, k in MEETINGS])
    randoms = ", ".join(f"random() AS r{i}" for i in range(1, 19))
    title = f"""CASE source
        WHEN 'leader_instruction' THEN '落实' || leader || '同志关于' || topic || '的批示'
        WHEN 'meeting' THEN {_pick(meetings, "r18", len(MEETINGS))} || '议定:'
          || {_pick(_text_array(VERBS), "r17", len(VERBS))} || topic
        WHEN 'document' THEN '贯彻落实《关于' || topic || '的实施意见》'
        WHEN 'work_report' THEN '政府工作报告目标任务:' || replace(target, '#', n::text)
        WHEN 'key_project' THEN jur_name || {_pick(_text_array(PROJECTS), "r18", len(PROJECTS))}
          || '项目建设'
        WHEN 'npc_suggestion' THEN '人大代表建议第' || lpad(n::text, 3, '0') || '号:关于'
          || {_pick(_text_array(NPC_TOPICS), "r18", len(NPC_TOPICS))} || '的建议'
        WHEN 'cppcc_proposal' THEN '政协提案第' || lpad(n::text, 3, '0') || '号:关于' || topic
          || '的提案'
        WHEN 'superior' THEN '上级督查交办:' || topic || '问题整改'
        WHEN 'complaint' THEN '群众反映' || jur_name
          || {_pick(_text_array(PLACES), "r17", len(PLACES))}
          || {_pick(_text_array(COMPLAINTS), "r18", len(COMPLAINTS))} || '问题'
        ELSE topic || '专项督查' END"""
    # Every piece is this module's own text: no input reaches the SQL.
    return f"""
    WITH b AS MATERIALIZED (
      SELECT g, g::float8 / %(total)s AS f, {randoms}
      FROM generate_series(%(first)s, %(last)s) AS g
    ), s AS (
      SELECT b.*, slot.j, {STATE_SQL} AS state,
        {_pick(_text_array(SOURCES), "r3", len(SOURCES))} AS source,
        {_pick(_text_array(TOPICS), "r11", len(TOPICS))} AS topic,
        {_pick(_text_array(TARGETS), "r17", len(TARGETS))} AS target,
        1 + floor(r18 * 300)::int AS n,
        now() - make_interval(secs => ((1 - f) * {SPAN_DAYS} + r4 * 3) * 86400) AS created_at
      FROM b JOIN bench_slot slot ON slot.slot = floor(b.r5 * 1000)::int
    ), t AS (
      SELECT s.*, {STAGE_SQL} AS stage, jur.office_id, jur.clerk_id, jur.head_id,
        jur.name AS jur_name, jur.leaders[1 + floor(r6 * 3)::int] AS leader,
        floor(r7 * jur.depts)::int AS k,
        CASE WHEN r8 < 0.47 THEN (floor(r7 * jur.depts)::int + 1
          + floor(r9 * (jur.depts - 1))::int) %% jur.depts END AS k2,
        CASE WHEN r8 < 0.12 THEN (floor(r7 * jur.depts)::int + 1
          + floor(r10 * (jur.depts - 1))::int) %% jur.depts END AS k3,
        extract(year FROM s.created_at)::int AS year
      FROM s JOIN bench_jur jur ON jur.j = s.j
    ), u AS (
      SELECT t.*,
        CASE WHEN stage >= 2 THEN created_at + make_interval(secs => (1 + r12 * 3) * 86400) END
          AS assigned_at,
        CASE WHEN stage >= 3 AND r15 < 0.06 THEN 1 WHEN stage >= 3 AND r15 < 0.07 THEN 2 ELSE 0 END
          AS ext,
        CASE WHEN stage >= 3 AND r15 > 0.99 THEN 2 WHEN stage >= 3 AND r15 > 0.92 THEN 1 ELSE 0 END
          AS ret,
        CASE WHEN stage >= 5 THEN CASE WHEN r13 < 0.72 THEN 'A' WHEN r13 < 0.87 THEN 'B'
          WHEN r13 < 0.96 THEN 'C' ELSE 'D' END ELSE '' END AS outcome,
        stage >= 5 AND r14 < 0.18 AS late
      FROM t
    ), v AS (
      SELECT u.*, CASE WHEN stage >= 3 THEN assigned_at + make_interval(secs => r12 * 2 * 86400) END
          AS ack_at,
        (coalesce(assigned_at, created_at))::date + 30 * ext + CASE WHEN source IN ('work_report',
          'key_project', 'npc_suggestion', 'cppcc_proposal') THEN 60 + floor(r16 * 300)::int
          ELSE 15 + floor(r16 * 165)::int END AS due
      FROM u
    )
    SELECT nextval(pg_get_serial_sequence('items_item', 'id')) AS id, v.*,
      lead.unit_id AS lead_id, lead.name AS lead_name, lead.liaison_id, lead.leader_id AS signer_id,
      co.unit_id AS co_id, co3.unit_id AS co3_id,
      {title} AS title,
      CASE source WHEN 'document' THEN left(jur_name, 1) || '政办发〔' || year || '〕' || n || '号'
        WHEN 'superior' THEN '省政督函〔' || year || '〕' || n || '号' ELSE '' END AS doc_number,
      CASE WHEN source = 'meeting' THEN {_pick(kinds, "r18", len(MEETINGS))} ELSE '' END
        AS meeting_kind,
      CASE WHEN stage >= 5 THEN least(now() - interval '1 hour', greatest(
          coalesce(ack_at, created_at) + interval '5 days',
          CASE WHEN late THEN due + 1 + floor(r17 * 30)::int ELSE due - floor(r17 * 60)::int END
            + time '16:00'))
        END AS completed_at
    FROM v
    JOIN bench_dept lead ON lead.j = v.j AND lead.k = v.k
    LEFT JOIN bench_dept co ON co.j = v.j AND co.k = v.k2
    LEFT JOIN bench_dept co3 ON co3.j = v.j AND co3.k = v.k3 AND v.k3 <> v.k2
    """  # noqa: S608


def _item_overrides() -> dict[str, str]:
    from duban.items.models import CHECK_AT_ONCE, OPEN_STATES

    opened = ", ".join(f"'{state}'" for state in OPEN_STATES)
    content = (
        "'请' || coalesce(b.lead_name, b.jur_name) || '牵头' || b.topic"
        " || '相关工作,明确责任分工和时间节点,按时报送进展情况。'"
    )
    return {
        "id": "b.id",
        "title": "b.title",
        "source": "b.source",
        "doc_number": "b.doc_number",
        "scope": "CASE WHEN b.source = 'work_report' THEN 'comprehensive' ELSE 'daily' END",
        "urgency": "CASE WHEN b.r16 < 0.7 THEN 'normal' WHEN b.r16 < 0.92 THEN 'urgent'"
        " ELSE 'very_urgent' END",
        "confidentiality": "CASE WHEN b.r14 > 0.995 THEN 'secret' WHEN b.r14 > 0.85 THEN 'public'"
        " ELSE 'internal' END",
        "content": content,
        "state": "b.state",
        "owner_unit": "b.office_id",
        "lead_unit": "CASE WHEN b.stage >= 2 THEN b.lead_id END",
        "source_person": "CASE b.source WHEN 'leader_instruction' THEN b.leader"
        " WHEN 'npc_suggestion' THEN b.leader || '代表'"
        " WHEN 'cppcc_proposal' THEN b.leader || '委员'"
        " ELSE '' END",
        "source_date": "CASE WHEN b.source IN ('leader_instruction', 'meeting', 'document',"
        " 'superior', 'complaint') THEN b.created_at::date - 3 END",
        "source_number": "CASE WHEN b.source IN ('npc_suggestion', 'cppcc_proposal')"
        " THEN '第' || lpad(b.n::text, 3, '0') || '号' WHEN b.source = 'complaint'"
        " THEN '12345-' || to_char(b.created_at, 'YYYYMMDD') || '-'"
        " || lpad((b.g %% 10000)::text, 4, '0')"
        " ELSE '' END",
        "source_text": "CASE b.source WHEN 'leader_instruction' THEN '请' || b.lead_name"
        " || '牵头研究,拿出具体措施,限期报告办理结果。'"
        " WHEN 'work_report' THEN replace(b.target, '#', b.n::text) ELSE '' END",
        "meeting_kind": "b.meeting_kind",
        "responsible_leader": "b.leader",
        "owner_name": "substr(b.leader, 1, 1) || '科长'",
        "time_limit": "CASE WHEN b.stage >= 2 THEN b.due - 30 * b.ext END",
        "deadline_start": "CASE WHEN b.stage >= 2 THEN b.assigned_at::date END",
        "due_date": "b.due",
        "original_due_date": "CASE WHEN b.stage >= 2 THEN b.due - 30 * b.ext END",
        "extension_count": "b.ext",
        "report_cadence": "CASE WHEN b.r17 < 0.3 THEN 'monthly' WHEN b.r17 < 0.4 THEN 'weekly'"
        " WHEN b.r17 < 0.5 THEN 'quarterly' ELSE 'none' END",
        "next_report_due": "CASE WHEN b.stage BETWEEN 2 AND 4 AND b.r17 < 0.5"
        " THEN current_date + floor(b.r18 * 30)::int END",
        # Closed items are what the lights sweep leaves them: no light, nothing to check; only
        # the open ones wait for the sweep (a million-row UPDATE would rewrite every index).
        "next_check_at": f"CASE WHEN b.state IN ({opened}) THEN DATE '{CHECK_AT_ONCE}' END",
        "outcome": "b.outcome",
        "follow_up_date": "CASE WHEN b.outcome IN ('B', 'C') THEN b.completed_at::date + 90 END",
        "return_count": "b.ret",
        "completed_late": "CASE WHEN b.stage >= 5 THEN b.completed_at::date > b.due END",
        "created_by": "b.clerk_id",
        "created_at": "b.created_at",
        "updated_at": "coalesce(b.completed_at, b.ack_at, b.assigned_at, b.created_at)",
        "assigned_at": "b.assigned_at",
        "completed_at": "b.completed_at",
        "version": "1 + b.stage + b.ext + b.ret",
        "search_text": "concat_ws(' ', b.title, nullif(b.doc_number, ''), " + content + ")",
    }


def insert_items() -> None:
    from duban.items.models import (
        ExtensionRequest,
        Item,
        ItemUnit,
        Milestone,
        ProgressReport,
    )

    insert_select(Item, _item_overrides(), "FROM bench_batch b", [])
    unit_row = {
        "item": "b.id",
        "role": "x.role",
        "assigned_at": "b.assigned_at",
        "acknowledged_at": "CASE WHEN b.stage >= 3 THEN b.ack_at END",
        "acknowledged_by": "CASE WHEN b.stage >= 3 AND x.role = 'lead' THEN b.liaison_id END",
        "unit": "x.unit_id",
    }
    insert_select(
        ItemUnit,
        unit_row,
        "FROM bench_batch b CROSS JOIN LATERAL (VALUES ('lead', b.lead_id), ('co', b.co_id),"
        " ('co', b.co3_id)) AS x(role, unit_id) WHERE b.stage >= 2 AND x.unit_id IS NOT NULL",
        [],
    )
    insert_select(
        Milestone,
        {
            "item": "b.id",
            "title": "x.title",
            "due_date": "greatest(b.due - x.before, b.assigned_at::date)",
            "done_at": "CASE WHEN b.stage >= x.done_from THEN least(now(), b.ack_at"
            " + make_interval(days => greatest(b.due - x.before - b.ack_at::date, 1))) END",
            "sort_order": "x.ord",
        },
        "FROM bench_batch b CROSS JOIN"
        " (VALUES ('完成摸底排查', 40, 0, 3), ('完成主体任务', 15, 1, 5))"
        " AS x(title, before, ord, done_from) WHERE b.stage >= 2 AND b.g %% 3 = 0",
        [],
    )
    insert_select(
        ProgressReport,
        {
            "item": "b.id",
            "unit": "b.lead_id",
            "kind": "x.kind",
            "state": "'submitted'",
            "content": "x.content",
            "problems": "CASE WHEN x.kind = 'progress' THEN '部分点位群众意见不一,协调难度较大。'"
            " ELSE '' END",
            "next_steps": "CASE WHEN x.kind = 'progress' THEN '下一步将加强统筹调度,确保按期完成。'"
            " ELSE '' END",
            "period_due": "CASE WHEN x.kind = 'progress' THEN (b.ack_at + x.after)::date END",
            "late": "x.kind = 'progress' AND b.r13 < 0.1",
            "created_by": "b.liaison_id",
            "created_at": "least(now(), b.ack_at + x.after)",
            "submitted_at": "least(now(), b.ack_at + x.after)",
            "signed_off_by": "CASE WHEN x.kind = 'final' THEN b.signer_id END",
            "signed_off_at": "CASE WHEN x.kind = 'final' THEN least(now(), b.ack_at + x.after) END",
        },
        "FROM bench_batch b CROSS JOIN LATERAL (VALUES"
        " ('plan', %s, interval '3 days', b.g %% 2 = 0),"
        " ('progress', (%s::text[])[1 + b.g %% 3], interval '20 days', true),"
        " ('final', %s, interval '40 days', b.stage >= 4)) AS x(kind, content, after, wanted)"
        " WHERE b.stage >= 3 AND x.wanted",
        [PLAN, REPORTS, FINAL],
    )
    insert_select(
        ExtensionRequest,
        {
            "item": "b.id",
            "unit": "b.lead_id",
            "reason": "'涉及多部门协调和资金拨付,原定时限内难以全部完成。'",
            "progress": "'主体工作已完成六成。'",
            "next_steps": "'已明确资金来源,拟于延期内完成全部建设任务。'",
            "requested_date": "b.due",
            "due_before": "b.due - 30 * b.ext",
            "state": "'approved'",
            "granted_date": "b.due",
            "decision_note": "'同意延期。'",
            "requested_by": "b.liaison_id",
            "requested_at": "least(now(), b.ack_at + interval '10 days')",
            "decided_by": "b.head_id",
            "decided_at": "least(now(), b.ack_at + interval '11 days')",
        },
        "FROM bench_batch b WHERE b.ext > 0",
        [],
    )


# Audit events ---------------------------------------------------------------------------------


def _transition(action: str, source: str, target: str, extra: str = "") -> str:
    """The canonical JSON (sorted keys, no spaces) of a transition's details, as SQL text."""
    more = f",{extra}" if extra else ""
    return f"""'{{"action":"{action}","from":"{source}"{more},"to":"{target}"}}'"""


RETURN_REASON = '"reason":"请补充佐证材料后重报。"'
# (step, event type, offset from the item's time, actor, unit, details, wanted) per item
EVENT_STEPS = f"""
  (1, 400, b.created_at, b.clerk_id, b.office_id,
   '{{"source":' || to_json(b.source)::text || ',"title":' || to_json(b.title)::text
   || ',"to":"draft"}}', true),
  (2, 410, b.created_at + interval '2 hours', b.clerk_id, b.office_id,
   {_transition("submit", "draft", "pending_approval")}, b.state = 'pending_approval'),
  (3, 413, b.assigned_at, b.clerk_id, b.office_id,
   {_transition("assign", "draft", "assigned")}, b.stage >= 2),
  (4, 414, b.ack_at, b.liaison_id, b.lead_id,
   {_transition("acknowledge", "assigned", "in_progress")}, b.stage >= 3),
  (5, 417, b.ack_at + interval '20 days', b.liaison_id, b.lead_id,
   {_transition("report_progress", "in_progress", "in_progress")}, b.stage >= 3),
  (6, 440, b.ack_at + interval '11 days', b.head_id, b.office_id,
   '{{"granted":"' || b.due || '"}}', b.ext > 0),
  (7, 421, b.ack_at + interval '30 days', b.clerk_id, b.office_id,
   {_transition("return_for_redo", "submitted", "in_progress", RETURN_REASON)},
   b.ret > 0),
  (8, 418, b.ack_at + interval '40 days', b.liaison_id, b.lead_id,
   {_transition("submit_final", "in_progress", "submitted")}, b.stage >= 4),
  (9, 420, b.completed_at, b.clerk_id, b.office_id,
   '{{"action":"accept","from":"submitted","outcome":"' || b.outcome || '","to":"completed"}}',
   b.stage >= 5),
  (10, 422, b.completed_at + interval '30 days', b.clerk_id, b.office_id,
   {_transition("archive", "completed", "archived")}, b.stage = 6),
  (11, 424, b.assigned_at + interval '10 days', b.head_id, b.office_id,
   {_transition("cancel", "assigned", "cancelled", '"reason":"已并入专项行动统一督办。"')},
   b.state = 'cancelled')
"""
# The payload `event_hash` hashes, up to the previous hash: [seq,type,actor,unit,model,id,repr,
# details,created_at,prev_hash] in canonical JSON (duban/audit/chain.py canonical()).
PREFIX = """'[' || seq || ',' || type || ',' || coalesce(actor_id::text, 'null') || ','
  || coalesce(unit_id::text, 'null') || ',"items.item",' || to_json(target_id)::text || ','
  || to_json(target_repr)::text || ',' || details || ',"'
  || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00","'"""


def insert_events() -> None:
    """Stage the batch's events in time order after the chain head, then fold the chain."""
    from duban.audit.models import Event

    head_seq, head_hash = _head()
    execute("DROP TABLE IF EXISTS bench_ev")
    execute(
        "CREATE TEMP TABLE bench_ev AS SELECT seq, type, actor_id, unit_id, target_id, target_repr,"  # noqa: S608
        f" details, created_at, {PREFIX} AS prefix FROM ("
        " SELECT %s + row_number() OVER (ORDER BY e.at, b.id, e.step) AS seq, e.type, e.actor AS"
        " actor_id, e.unit AS unit_id, b.id::text AS target_id, left(b.title, 200) AS target_repr,"
        " e.details, least(e.at, now()) AS created_at"
        f" FROM bench_batch b CROSS JOIN LATERAL (VALUES {EVENT_STEPS})"
        " AS e(step, type, at, actor, unit, details, wanted) WHERE e.wanted) AS x",
        [head_seq],
    )
    execute("CREATE UNIQUE INDEX ON bench_ev (seq)")
    execute("ANALYZE bench_ev")
    link = "encode(sha256(convert_to(e.prefix || {prev} || '\"]', 'UTF8')), 'hex')"
    insert_select(
        Event,
        {
            "seq": "e.seq",
            "type": "e.type",
            "actor": "e.actor_id",
            "unit": "e.unit_id",
            "target_model": "'items.item'",
            "target_id": "e.target_id",
            "target_repr": "e.target_repr",
            "details": "e.details::jsonb",
            "created_at": "e.created_at",
            "prev_hash": "c.prev",
            "hash": "c.hash",
        },
        "FROM (WITH RECURSIVE c(seq, prev, hash) AS ("  # noqa: S608
        f" SELECT e.seq, %s::text, {link.format(prev='%s::text')} FROM bench_ev e"
        " WHERE e.seq = %s + 1"
        f" UNION ALL SELECT e.seq, c.hash, {link.format(prev='c.hash')}"
        " FROM c JOIN bench_ev e ON e.seq = c.seq + 1) SELECT * FROM c) AS c"
        " JOIN bench_ev e ON e.seq = c.seq",
        [head_hash, head_hash, head_seq],
    )
    execute(
        "UPDATE audit_chainhead SET seq = e.seq, hash = e.hash FROM audit_event e"
        " WHERE audit_chainhead.id = 1 AND e.seq = (SELECT max(seq) FROM audit_event)"
    )


# 标签 of the province's items: (tag, every how many items carry it), a 专项台账 each.
TAGS = (("民生实事", 16), ("优化营商环境年", 29), ("安全生产", 41), ("乡村振兴", 53))


def insert_tags(ids: str) -> int:
    """Tag the items the subquery `ids` selects (SQL written here, never input), by their id:
    6 % 民生实事, 3 % 优化营商环境年 …"""
    names, everies = [name for name, _ in TAGS], [every for _, every in TAGS]
    return execute(
        "INSERT INTO items_itemtag (item_id, name) SELECT i.id, t.name"  # noqa: S608
        f" FROM ({ids}) i JOIN unnest(%s::text[], %s::int[]) t(name, every)"
        " ON i.id %% t.every = 0",
        [names, everies],
    )


def _head() -> tuple[int, str]:
    from duban.audit.log import _locked_head

    head = _locked_head()
    return head.seq, head.hash


# Driver -------------------------------------------------------------------------------------------


def generate(total: int) -> None:
    """Top the items up to `total`, one transaction per batch, a progress bar over the batches."""
    from django.db import transaction

    from duban.core.progress import track
    from duban.items import reach, reach_rows, tally
    from duban.items.models import Item
    from duban.ledgers import keyword_tally

    have = Item.objects.count()
    if have >= total:
        return
    jurisdictions()
    # The rows are consistent by construction: skip the per-row foreign-key triggers (checked at
    # each commit otherwise, a third of the time) and the wait for the WAL flush.
    execute("SET session_replication_role = replica")
    execute("SET synchronous_commit = off")
    starts = range(have + 1, total + 1, BATCH)
    try:
        for first in track(starts, total=len(starts), label="生成事项", bar=True, unit="批"):
            last = min(first + BATCH - 1, total)
            with transaction.atomic():
                execute("DROP TABLE IF EXISTS bench_batch")
                execute(
                    f"CREATE TEMP TABLE bench_batch AS {_batch_sql()}",
                    {"total": total, "first": first, "last": last},
                )
                insert_items()
                # The triggers that keep each item's reach are off with the others: one statement
                # gives the batch its reach (items/reach.py).
                execute(reach.backfill_sql("SELECT id FROM bench_batch"))
                execute(reach_rows.backfill_sql("SELECT id FROM bench_batch"))
                insert_tags("SELECT id FROM bench_batch")
                insert_events()
    finally:
        execute("SET session_replication_role = DEFAULT")
    # The tallies' triggers were off too; counting them afresh takes one pass each
    # (items/tally.py, ledgers/keyword_tally.py: the keywords a search kept, with --keep).
    tally.rebuild()
    keyword_tally.rebuild()
    execute("ANALYZE")


def set_lights() -> None:
    """The real lights sweep sets swept_light and next_check_at, as the worker would tonight."""
    from django.utils import timezone

    from duban.items.sweeps import sweep_lights

    sweep_lights(timezone.now())
    # All-visible pages let the ledger's counts and joins use index-only scans, as on a live
    # database after autovacuum.
    execute("VACUUM ANALYZE items_item")
    execute("VACUUM ANALYZE items_itemunit")
    execute("VACUUM ANALYZE items_reach_rows")
    # The tags are joined by index-only scans too: unvacuumed, a city's count of 民生实事 checked
    # all 62,500 tag rows in the table to find 3,785 items (13 ms a page, against 9 ms).
    execute("VACUUM ANALYZE items_itemtag")
    # The worker's compact_tally vacuums the tally every five minutes; unvacuumed, its sums
    # read the table instead of the index (the red lights' count: 17 → 5 ms).
    execute("VACUUM ANALYZE items_tally")


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    create_org()


def ensure(total: int, *, keep: bool = True) -> None:
    """The benches' entry: the province at `DATABASE_URL` with at least `total` items."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    create_database(url, keep=keep)
    django.setup()
    prepare()
    from duban.items.models import Item

    if Item.objects.count() < total:
        generate(total)
        set_lights()
    from duban.items.models import ItemTag

    if not ItemTag.objects.exists():  # a province generated before items had tags
        insert_tags("SELECT id FROM items_item")
        execute("VACUUM ANALYZE items_itemtag")


def summary() -> str:
    from duban.audit.models import Event
    from duban.items.models import Item, ItemUnit, ProgressReport
    from duban.org.models import Unit, User

    counts = {
        "units": Unit.objects.count(),
        "people": User.objects.count(),
        "items": Item.objects.count(),
        "open": Item.objects.open().count(),
        "item units": ItemUnit.objects.count(),
        "reports": ProgressReport.objects.count(),
        "events": Event.objects.count(),
    }
    return ", ".join(f"{name} {value:,}" for name, value in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument(
        "--keep", action="store_true", help="keep an existing database and top its items up"
    )
    options = parser.parse_args()
    ensure(options.items, keep=options.keep)
    print(summary())


if __name__ == "__main__":
    main()
