"""Demo supervision items for 示范市 (issue 4 item 14): about 300, every source, state and light.

Everything goes through `items.actions`, exactly as an office and its units would act, so the
timeline of each item is a real event log. Titles combine lists of the tasks a supervision office
really follows (老旧小区改造, 营商环境, 河长制, 秸秆禁烧, 质量强市创建, 人大建议 ...); a seeded
random.Random makes the set the same on every load. Due dates sit around today, so the 工作台 has
items overdue (red), due within three working days (yellow) and comfortably ahead (green).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from duban.assessment import actions as assessment_actions
from duban.assessment.models import (
    Applier,
    DecisionState,
    Escalation,
    Proposal,
    ProposalState,
)
from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.core.progress import ProgressCallback, track
from duban.core.worker import discover_tasks
from duban.documents import actions as document_actions
from duban.documents.models import DocKind, Document
from duban.items import actions, extending, progress, reporting, sweeps
from duban.items.demo_schedule import (
    Dates,
    Moment,
    office_plan,
    on_workdays,
    open_dates,
    plan,
    registered_on,
    timeline,
)
from duban.items.models import (
    Confidentiality,
    ExtensionRequest,
    ExtensionState,
    Item,
    ItemSource,
    ItemState,
    ReportCadence,
    Urgency,
)
from duban.ledgers import actions as view_actions
from duban.notify import actions as notify_actions
from duban.notify.models import Notification
from duban.org import actions as org_actions
from duban.org.demo import SURNAMES, UNITS, DemoAccount, load_demo
from duban.org.models import Role, Unit, User
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import nth_working_day

SEED = 2026
# How far back the demo's history reaches: the 月度趋势 shows twelve months.
HISTORY_DAYS = 340
UNREAD_DAYS = 3  # messages older than this are read by the time the demo opens
S = ItemState
# How many items end in each state; the total is the demo's size.
STATE_COUNTS: dict[str, int] = {
    S.DRAFT: 18,
    S.PENDING_APPROVAL: 12,
    S.ASSIGNED: 45,
    S.IN_PROGRESS: 110,
    S.SUBMITTED: 30,
    S.COMPLETED: 45,
    S.ARCHIVED: 25,
    S.CANCELLED: 15,
}

# (topic, lead unit code, co-unit codes to draw from)
TOPICS: list[tuple[str, str, tuple[str, ...]]] = [
    ("老旧小区改造", "SFS-ZJ", ("SFS-FGW", "SFS-DH", "SFS-XS")),
    ("优化营商环境", "SFS-FGW", ("SFS-SCJG", "SFS-SWJ", "SFS-SW")),
    ("河长制湖长制落实", "SFS-SL", ("SFS-HB", "SFS-NY", "SFS-NX")),
    ("秸秆禁烧和综合利用", "SFS-NY", ("SFS-HB", "SFS-NX", "SFS-XS")),
    ("质量强市创建", "SFS-SCJG", ("SFS-FGW", "SFS-GX", "SFS-TJ")),
    ("学校周边交通安全", "SFS-JT", ("SFS-JY", "SFS-DH")),
    ("食品安全监管", "SFS-SCJG", ("SFS-NY", "SFS-WJ")),
    ("农村人居环境整治", "SFS-NY", ("SFS-ZJ", "SFS-HB", "SFS-NX")),
    ("大气污染防治", "SFS-HB", ("SFS-GX", "SFS-ZJ", "SFS-JT")),
    ("减税降费政策落实", "SFS-SWJ", ("SFS-FGW", "SFS-GX")),
    ("中小企业纾困解难", "SFS-GX", ("SFS-SWJ", "SFS-SCJG")),
    ("城市道路积水点改造", "SFS-ZJ", ("SFS-SL", "SFS-DH")),
    ("燃气管道老化更新改造", "SFS-ZJ", ("SFS-SCJG", "SFS-XS")),
    ("基层医疗服务能力提升", "SFS-WJ", ("SFS-FGW", "SFS-NX")),
    ("义务教育学位保障", "SFS-JY", ("SFS-ZJ", "SFS-DH")),
    ("农产品质量安全追溯", "SFS-NY", ("SFS-SCJG",)),
    ("城乡供水一体化", "SFS-SL", ("SFS-ZJ", "SFS-NX")),
    ("交通拥堵综合治理", "SFS-JT", ("SFS-ZJ", "SFS-DH", "SFS-XS")),
    ("提振消费市场", "SFS-SW", ("SFS-FGW", "SFS-SCJG")),
    ("工业企业技术改造", "SFS-GX", ("SFS-FGW", "SFS-GXQ")),
    ("高新区招商引资", "SFS-GXQ", ("SFS-SW", "SFS-FGW")),
    ("统计数据质量提升", "SFS-TJ", ("SFS-FGW",)),
    ("安全生产隐患排查整治", "SFS-GX", ("SFS-ZJ", "SFS-JT", "SFS-DH")),
    ("重点项目前期手续办理", "SFS-FGW", ("SFS-ZJ", "SFS-HB")),
]
# 标签 an office gives the topics above: a theme, a 专项行动 or a campaign across sources and units.
TOPIC_TAGS: dict[str, tuple[str, ...]] = {
    "老旧小区改造": ("民生实事",),
    "城市道路积水点改造": ("民生实事",),
    "燃气管道老化更新改造": ("民生实事", "安全生产"),
    "城乡供水一体化": ("民生实事",),
    "义务教育学位保障": ("民生实事",),
    "基层医疗服务能力提升": ("民生实事",),
    "学校周边交通安全": ("民生实事", "安全生产"),
    "优化营商环境": ("优化营商环境年",),
    "减税降费政策落实": ("优化营商环境年",),
    "中小企业纾困解难": ("优化营商环境年",),
    "高新区招商引资": ("优化营商环境年",),
    "重点项目前期手续办理": ("优化营商环境年",),
    "河长制湖长制落实": ("生态环保",),
    "大气污染防治": ("生态环保",),
    "秸秆禁烧和综合利用": ("生态环保",),
    "农村人居环境整治": ("生态环保", "乡村振兴"),
    "安全生产隐患排查整治": ("安全生产",),
    "食品安全监管": ("安全生产", "质量强市"),
    "质量强市创建": ("质量强市",),
    "农产品质量安全追溯": ("质量强市", "乡村振兴"),
}
# The office's 专项台账 (seed 001 第二十二条): (name, filters, columns, sort).
SAVED_VIEWS: list[tuple[str, dict[str, str], list[str], str]] = [
    ("民生实事台账", {"tag": "民生实事"}, [], "due"),
    (
        "人大建议办理台账",
        {"source": "npc_suggestion"},
        ["doc_number", "lead_unit", "due_date", "state", "light", "outcome"],
        "due",
    ),
    ("逾期未办结事项", {"state": "open", "due": "overdue"}, [], "due"),
]
VERBS = ["加快推进", "全面落实", "扎实开展", "统筹推进", "持续深化", "抓好"]
LEADERS = ["张市长", "刘常务副市长", "陈副市长", "赵秘书长", "王副市长"]
# Meetings whose decisions become items, and their kind (seed 004 第六条(二)).
MEETINGS = ["市政府常务会议", "市政府专题会议", "市政府全体会议", "现场办公会议", "联席会议"]
MEETING_KINDS = dict(
    zip(MEETINGS, ("standing", "topical", "plenary", "on_site", "joint"), strict=True)
)
INSTRUCTIONS = [
    "请{unit}牵头研究,拿出具体措施,限期报告办理结果。",
    "此事关系群众切身利益,请抓紧督办落实,并将进展情况及时报我。",
    "同意。请督查室跟踪督办,确保按期完成。",
    "请认真研究,举一反三,建立长效机制。",
]
DEPUTIES = ["王建华", "李秀英", "张国强", "刘丽娟", "陈志明", "杨红梅", "赵永刚", "黄海燕"]
UNIT_NAMES = {code: short for code, _name, short, _kind, _parent in UNITS}
SUPERIORS = [
    ("省政府督查室", "省政督函"),
    ("省政府办公厅", "省政办函"),
    ("省发展改革委", "省发改督"),
]
NPC_TOPICS = [
    "学校周边交通拥堵治理",
    "增设中小学上下学公交专线",
    "老旧小区加装电梯",
    "农贸市场提升改造",
    "社区养老服务设施建设",
    "城区停车难问题",
    "农村公路养护",
    "背街小巷照明改善",
]
WORK_REPORT_TARGETS = [
    "年内完成老旧小区改造{n}个",
    "新增城镇就业{n}千人",
    "新建改扩建中小学{n}所",
    "新增市场主体{n}千户",
    "改造城市积水点{n}处",
    "实施工业技改项目{n}个",
]
PROJECTS = ["示范大道快速路", "东湖区污水处理厂扩建", "南溪县城乡供水", "高新区智能制造产业园"]
PLACES = ["东湖区湖滨街道", "西山区枫林镇", "南溪县清河镇", "东湖区青石镇", "西山区白云乡"]
COMPLAINTS = ["夜间施工噪声扰民", "餐饮油烟直排", "小区违规占用绿地", "河道垃圾堆积"]
FINAL_TEXTS = [
    "已按要求完成全部任务,建立长效机制,相关佐证材料已整理归档。",
    "经会同协办单位逐项整改,问题已全部解决,群众满意度回访良好。",
]
REASONS = {
    "decline": "该事项职责不属于我单位,建议改由属地政府承办。",
    "return": "办结报告未附佐证材料,整改成效表述不具体,请补充后重报。",
    "cancel": "该事项已并入市级专项行动统一督办,本事项予以撤销。",
    "send_back": "交办单位不够明确,请补充分工后再报审定。",
}
PLAN_TEXT = (
    "一、目标任务:按督查通知要求按期完成各项任务。\n"
    "二、主要措施:成立工作专班,建立周调度机制,逐项明确责任人和完成时限。\n"
    "三、时间安排:分摸底排查、集中推进、验收总结三个阶段实施。\n"
    "四、责任分工:主要负责同志牵头,分管负责同志具体抓,相关科室按职责落实。"
)
# 节点任务 of the demo: a title and how many days before the deadline it falls.
MILESTONES = [("完成摸底排查", 40), ("完成主体任务", 15)]
PROGRESS_TEXTS = [
    "已制定工作方案,明确责任分工和时间节点,目前完成年度任务的六成。",
    "已召开专题推进会,完成现场摸排,问题清单已建立并逐项销号。",
    "主体工作已基本完成,正在开展验收和群众满意度回访。",
]
LIAISONS = {"SFS-FGW": "fagai_lianluo", "SFS-SCJG": "shichang_lianluo"}
UNIT_LEADERS = {"SFS-FGW": "fagai_lingdao"}


@dataclass
class Spec:
    """One demo item: what to register and which state to drive it to."""

    index: int
    state: str
    source: str
    title: str
    lead: str
    co: list[str]
    fields: dict[str, Any]
    registered: dt.date
    start: dt.date | None = None
    due: dt.date | None = None
    late: bool = False
    cadence: str = ""  # how often the lead unit reports, when the office set it
    returned: bool = False
    declined: bool = False
    named: bool = False
    extension: str = ""  # "", "pending" or "approved"
    extra: dict[str, Any] = field(default_factory=dict)

    def dates(self) -> Dates:
        return Dates(
            index=self.index,
            state=self.state,
            registered=self.registered,
            start=self.start,
            due=self.due,
            late=self.late,
            declined=self.declined,
            returned=self.returned,
            extension=self.extension,
            cadence=bool(self.cadence),
            notice=self.index % 4 == 1,
            remind=self.index % 2 == 0 and self.state in (S.ASSIGNED, S.IN_PROGRESS),
            milestones=self.index % 3 == 0,
            plan=bool(self.index % 4),
        )


# Building the specs (pure: no database) --------------------------------------------------------


def _title(rng: random.Random, source: str, topic: str) -> tuple[str, dict[str, Any]]:
    """A title the office would write for this source, and the source's facts the title names."""
    n = rng.randint(2, 60)
    if source == ItemSource.LEADER_INSTRUCTION:
        leader = rng.choice(LEADERS)
        return f"落实{leader}关于{topic}的批示", {"source_person": leader}
    if source == ItemSource.MEETING:
        meeting = rng.choice(MEETINGS)
        title = f"{meeting}议定:{rng.choice(VERBS)}{topic}"
        return title, {"meeting_kind": MEETING_KINDS[meeting]}
    if source == ItemSource.DOCUMENT:
        doc = f"示政办发〔2026〕{n}号"
        return f"贯彻落实《关于{topic}的实施意见》", {"doc_number": doc}
    if source == ItemSource.WORK_REPORT:
        target = rng.choice(WORK_REPORT_TARGETS).format(n=n)
        return "政府工作报告目标任务:" + target, {"source_text": target}
    if source == ItemSource.KEY_PROJECT:
        return f"{rng.choice(PROJECTS)}项目建设", {}
    if source == ItemSource.NPC_SUGGESTION:
        title = f"市人大代表建议第{n:03d}号:关于{rng.choice(NPC_TOPICS)}的建议"
        return title, {"source_number": f"第{n:03d}号"}
    if source == ItemSource.CPPCC_PROPOSAL:
        return f"市政协提案第{n:03d}号:关于{topic}的提案", {"source_number": f"第{n:03d}号"}
    if source == ItemSource.SUPERIOR:
        return f"省政府督查室交办:{topic}问题整改", {}
    if source == ItemSource.COMPLAINT:
        return f"群众反映{rng.choice(PLACES)}{rng.choice(COMPLAINTS)}问题", {}
    return f"{topic}专项督查", {}


def _facts(facts: random.Random, source: str, lead: str, registered: dt.date) -> dict[str, Any]:
    """The rest of the source's facts (items/intake.py), from their own random stream so that
    the titles, states and dates of the demo stay what they were before the facts existed."""
    day = registered - dt.timedelta(days=facts.randint(1, 30))
    k = facts.randint(1, 40)
    if source == ItemSource.LEADER_INSTRUCTION:
        text = facts.choice(INSTRUCTIONS).format(unit=lead)
        return {"source_text": text, "source_date": day}
    if source == ItemSource.MEETING:
        return {"source_date": day, "source_number": f"〔{day.year}〕{k}号"}
    if source == ItemSource.DOCUMENT:
        return {"source_date": day}
    if source == ItemSource.NPC_SUGGESTION:
        return {"source_person": facts.choice(DEPUTIES) + "代表"}
    if source == ItemSource.CPPCC_PROPOSAL:
        return {"source_person": facts.choice(DEPUTIES[::-1]) + "委员"}
    if source == ItemSource.SUPERIOR:
        office, code = facts.choice(SUPERIORS)
        return {
            "source_person": office,
            "doc_number": f"{code}〔{day.year}〕{k}号",
            "source_date": day,
        }
    if source == ItemSource.COMPLAINT:
        return {"source_number": f"12345-{day:%Y%m%d}-{k:04d}", "source_date": day}
    return {}


def _extension(rng: random.Random, state: str, due: dt.date, today: dt.date) -> str:
    """A few items in progress ask for more time (only possible before the deadline)."""
    if state != S.IN_PROGRESS or due <= today:
        return ""
    roll = rng.random()
    return "pending" if roll < 0.08 else "approved" if roll < 0.14 else ""


def build_specs(today: dt.date, soon: list[dt.date], seed: int = SEED) -> list[Spec]:
    """Every demo item, deterministic for a given today and seed."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
    states = [state for state, count in STATE_COUNTS.items() for _ in range(count)]
    sources = [ItemSource.values[i % len(ItemSource.values)] for i in range(len(states))]
    rng.shuffle(sources)
    specs = []
    for index, (state, source) in enumerate(zip(states, sources, strict=True)):
        topic, lead, co_pool = rng.choice(TOPICS)
        title, fields = _title(rng, source, topic)
        start, due, late = open_dates(rng, state, today, soon)
        registered = registered_on(rng, state, start, today)
        facts = random.Random(f"{seed}-{index}")  # noqa: S311  (demo data, not secrets)
        fields |= _facts(facts, source, UNIT_NAMES.get(lead, "相关单位"), registered)
        co = rng.sample(list(co_pool), k=rng.randint(0, min(2, len(co_pool))))
        fields |= {
            "urgency": rng.choice([Urgency.NORMAL] * 4 + [Urgency.URGENT, Urgency.VERY_URGENT]),
            "content": f"请{title.split(':')[-1]}相关工作,按时报送进展情况。",
            "responsible_leader": rng.choice(LEADERS),
            "owner_name": rng.choice("陈林黄何罗高梁谢宋唐") + "科长",
        }
        fields["tags"] = list(TOPIC_TAGS.get(topic, ()))
        if source == ItemSource.WORK_REPORT:
            fields["scope"] = "comprehensive"
        # 重点项目 report monthly; the most urgent, weekly (seed 004 第十七条).
        cadence = ReportCadence.MONTHLY if source == ItemSource.KEY_PROJECT else ""
        if fields["urgency"] == Urgency.VERY_URGENT:
            cadence = ReportCadence.WEEKLY
        specs.append(
            Spec(
                index=index,
                state=state,
                source=source,
                title=title,
                lead=lead,
                co=co,
                fields=fields,
                registered=registered,
                start=start,
                due=due,
                late=late,
                cadence=cadence,
                returned=state == S.IN_PROGRESS and rng.random() < 0.1,
                declined=state == S.DRAFT and rng.random() < 0.3,
                named=rng.random() < 0.02,
                extension=_extension(rng, state, due, today),
            )
        )
    return specs


# Driving items through the actions ------------------------------------------------------------


@dataclass
class Cast:
    """The demo accounts and units of duban/org/demo.py, looked up once."""

    units: dict[str, Unit]
    office: User
    head: User
    leader: User
    liaisons: dict[str, User]
    leaders: dict[str, User]
    owner: Unit

    @classmethod
    def load(cls) -> Cast:
        users = {u.username: u for u in User.objects.all()}
        units = {u.code: u for u in Unit.objects.all()}
        cast = cls(
            units=units,
            office=users["ducha"],
            head=users["ducha_zhuren"],
            leader=users["mishuzhang"],
            liaisons={code: users[name] for code, name in LIAISONS.items() if name in users},
            leaders={code: users[name] for code, name in UNIT_LEADERS.items() if name in users},
            owner=units["SFS-DCS"],
        )
        cast.staff_units()
        return cast

    def staff_units(self) -> None:
        """A liaison and a leader for every lead unit: reports are written by named people."""
        for index, code in enumerate(sorted({lead for _topic, lead, _co in TOPICS})):
            unit = self.units[code]
            if code not in self.liaisons:
                self.liaisons[code] = _person(unit, index, Role.LIAISON, "lianluo", "联络员")
            if code not in self.leaders:
                self.leaders[code] = _person(unit, index, Role.UNIT_LEADER, "lingdao", "负责人")

    def liaison(self, code: str) -> User | None:
        return self.liaisons.get(code)


def _person(unit: Unit, index: int, role: str, kind: str, title: str) -> User:
    suffix = unit.code.removeprefix("SFS-").lower().replace("-", "_")
    surname = SURNAMES[(index * 2 + len(kind)) % len(SURNAMES)]
    user = org_actions.create_user(
        actor=None,
        username=f"{kind}_{suffix}",
        full_name=f"{surname}{title[:2]}",
        title=f"{unit.short_name or unit.name}{title}",
        # No password: hashing one costs 0.4 s each; the org demo accounts are the ones to sign in.
        password=None,
    )
    org_actions.grant_role(user, unit, role, actor=None)
    return user


def _create(_item: Item | None, spec: Spec, cast: Cast) -> Item:
    fields = dict(spec.fields)
    named: list[User] = []
    if spec.named:
        # 涉密: only the people named may see or act, so the lead unit's two are named too.
        fields["confidentiality"] = Confidentiality.SECRET
        unit_people = [cast.liaison(spec.lead), cast.leaders.get(spec.lead)]
        named = [cast.head, cast.leader] + [person for person in unit_people if person]
    return actions.create_item(
        actor=cast.office,
        owner_unit=cast.owner,
        title=spec.title,
        source=spec.source,
        named_people=named,
        **fields,
    )


def _assign(item: Item, spec: Spec, cast: Cast) -> Item:
    return actions.assign(
        item,
        actor=cast.office,
        lead_unit=cast.units[spec.lead],
        co_units=[cast.units[code] for code in spec.co],
        time_limit=spec.due,
        start=clock.today() if spec.start else None,
    )


def _decline(item: Item, spec: Spec, cast: Cast) -> Item:
    unit = cast.units[spec.lead]
    reason = REASONS["decline"]
    return actions.decline(item, actor=cast.liaison(spec.lead), reason=reason, unit=unit)


def _acknowledge(item: Item, spec: Spec, cast: Cast) -> Item:
    """签收 by the lead unit, and by each co-unit that has a liaison for its part (not on a 涉密
    item: only the people named on it may act)."""
    item = actions.acknowledge(item, actor=cast.liaison(spec.lead), unit=cast.units[spec.lead])
    for code in [] if spec.named else spec.co:
        liaison = cast.liaison(code)
        if liaison is not None:
            item = actions.acknowledge(item, actor=liaison, unit=cast.units[code])
    return item


def _plan(item: Item, spec: Spec, cast: Cast) -> Item:
    """工作方案 (seed 004 第十一条) for most items in hand, and 节点任务 on every third one."""
    dates = spec.dates()
    if dates.plan:
        reporting.submit_plan(item, actor=cast.liaison(spec.lead), content=PLAN_TEXT)
    if dates.milestones and spec.due is not None:
        for title, before in MILESTONES:
            due = max(spec.due - dt.timedelta(days=before), clock.today())
            actions.add_milestone(item, actor=cast.office, title=title, due_date=due)
    item.refresh_from_db()
    return item


def _milestone_done(item: Item, spec: Spec, cast: Cast) -> Item:
    first = item.milestones.order_by("sort_order").first()
    if first is not None:
        progress.complete_milestone(item, first, actor=cast.liaison(spec.lead))
        item.refresh_from_db()
    return item


def _report_progress(item: Item, spec: Spec, cast: Cast) -> Item:
    reporting.report_progress(
        item,
        actor=cast.liaison(spec.lead),
        content=PROGRESS_TEXTS[spec.index % len(PROGRESS_TEXTS)],
        problems="部分点位群众意见不一,协调难度较大。",
        next_steps="下一步将加强统筹调度,确保按期完成。",
    )
    item.refresh_from_db()
    return item


def _submit_final(item: Item, spec: Spec, cast: Cast) -> Item:
    """The liaison drafts, the unit's leader signs off (审签), and the report goes to review."""
    text = FINAL_TEXTS[spec.index % len(FINAL_TEXTS)]
    liaison = cast.liaison(spec.lead)
    reporting.draft_final(item, actor=liaison, content=text)
    reporting.submit_for_signoff(item, actor=liaison)
    # Signing off sends it to the office too (seed 004 第十二条 审签、报送).
    reporting.sign_off(item, actor=cast.leaders.get(spec.lead))
    item.refresh_from_db()
    return item


def _return(item: Item, spec: Spec, cast: Cast) -> Item:
    return actions.return_for_redo(item, actor=cast.office, reason=REASONS["return"])


def _request_extension(item: Item, spec: Spec, cast: Cast) -> Item:
    """延期申请 by the liaison (seed 004 第十八条), a month past the deadline."""
    assert spec.due is not None  # noqa: S101  (only items with a deadline ask)
    extending.request_extension(
        item,
        actor=cast.liaison(spec.lead),
        reason="涉及多部门协调和资金拨付,原定时限内难以全部完成。",
        progress=PROGRESS_TEXTS[spec.index % len(PROGRESS_TEXTS)],
        next_steps="已明确资金来源,拟于延期内完成全部建设任务。",
        requested_date=spec.due + dt.timedelta(days=30),
    )
    item.refresh_from_db()
    return item


def _approve_extension(item: Item, spec: Spec, cast: Cast) -> Item:
    request = ExtensionRequest.objects.get(item=item, state=ExtensionState.PENDING)
    extending.decide_extension(request, actor=cast.head, approve=True, note="同意延期。")
    item.refresh_from_db()
    return item


def _notice(item: Item, spec: Spec, cast: Cast) -> Item:
    """督查通知 of the 交办 (seed 004 第七条), drafted by the office, issued by its head."""
    _issue(document_actions.draft_for_item(item, DocKind.NOTICE, actor=cast.office), cast)
    return item


def _remind(item: Item, spec: Spec, cast: Cast) -> Item:
    """督办单 of an overdue item (seed 001 第十四条), in the red of its light."""
    _issue(document_actions.draft_for_item(item, DocKind.REMINDER, actor=cast.office), cast)
    return item


def _issue(document: Document, cast: Cast) -> None:
    document_actions.issue(document, actor=cast.head, version=document.version)


Step = Callable[[Item, Spec, Cast], Item]
STEPS: dict[str, Step] = {
    "create": _create,
    "submit": lambda i, s, c: actions.submit_for_approval(i, actor=c.office),
    "cancel": lambda i, s, c: actions.cancel(i, actor=c.head, reason=REASONS["cancel"]),
    "assign": _assign,
    "cadence": lambda i, s, c: reporting.set_cadence(i, actor=c.office, cadence=s.cadence),
    "decline": _decline,
    "acknowledge": _acknowledge,
    "plan": _plan,
    "step": _milestone_done,
    "progress": _report_progress,
    "final": _submit_final,
    "return": _return,
    "extend": _request_extension,
    "approve": _approve_extension,
    "notice": _notice,
    "remind": _remind,
    "accept": lambda i, s, c: actions.accept(i, actor=c.office),
    "archive": lambda i, s, c: actions.archive(i, actor=c.office),
}


def _last_month(cast: Cast, _items: dict[int, Item]) -> None:
    """督查通报 of last month (seed 004 第十九条), drafted from the figures and issued."""
    today = clock.today()
    end = today.replace(day=1) - dt.timedelta(days=1)
    bulletin = document_actions.draft_bulletin(
        actor=cast.office, office=cast.owner, start=end.replace(day=1), end=end
    )
    _issue(bulletin, cast)


def _this_month(cast: Cast, _items: dict[int, Item]) -> None:
    today = clock.today()
    start = today.replace(day=1)
    document_actions.draft_bulletin(actor=cast.office, office=cast.owner, start=start, end=today)


def _report(cast: Cast, items: dict[int, Item]) -> None:
    """督查专报 on one task across its items, left as a draft for the office to write up."""
    chosen = [item.pk for item in items.values() if REPORT_TOPIC in item.title][:6]
    document_actions.draft_report(
        actor=cast.office, office=cast.owner, topic=f"{REPORT_TOPIC}工作推进情况", item_ids=chosen
    )


def _sweep(cast: Cast, _items: dict[int, Item]) -> None:
    """The worker's sweeps, as they run in production (items/sweeps.py, assessment's too)."""
    sweeps.run(clock.now())


def _decide(cast: Cast, _items: dict[int, Item]) -> None:
    """The office decides what the sweeps proposed: each 督办升级 step is applied by whom its rule
    names; the head accepts most 问责建议 and turns down one in five, with a reason."""
    for escalation in Escalation.objects.filter(state=DecisionState.PROPOSED).select_related(
        "rule"
    ):
        actor = cast.leader if escalation.rule.applier == Applier.LEADER else cast.head
        assessment_actions.apply_escalation(escalation, actor=actor, reason="按督办规则升级。")
    for proposal in Proposal.objects.filter(state=ProposalState.PROPOSED).order_by("pk"):
        if proposal.pk % 5:
            assessment_actions.decide(
                proposal, actor=cast.head, decision="accept", reason="经核实,逾期情况属实。"
            )
        else:
            reason = "该单位已说明客观原因并完成整改,不予问责。"
            assessment_actions.decide(proposal, actor=cast.head, decision="reject", reason=reason)


OfficeStep = Callable[[Cast, dict[int, Item]], None]
OFFICE_STEPS: dict[str, OfficeStep] = {
    "sweep": _sweep,
    "decide": _decide,
    "bulletin": _last_month,
    "bulletin_draft": _this_month,
    "report_draft": _report,
}
OFFICE = -1  # the office's own steps in the timeline, beside the items'
REPORT_TOPIC = "老旧小区改造"


def _soon(today: dt.date) -> list[dt.date]:
    """The next three working days: due on them lights yellow (the default LightRule)."""
    cal = calendar_for()
    return [nth_working_day(cal, today, n) for n in (1, 2, 3)]


def epoch(today: dt.date) -> dt.datetime:
    """Before the demo's first registration: when the city, its people and their roles were set
    up (the management command loads duban/org/demo.py at this moment)."""
    day = today - dt.timedelta(days=HISTORY_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8)))


def _schedule(specs: list[Spec], today: dt.date, now: dt.datetime, seed: int) -> list[Moment]:
    cal = calendar_for()

    def workday(day: dt.date) -> dt.date:
        while not cal.is_workday(day) and day < today:
            day += dt.timedelta(days=1)
        return day

    plans = []
    for spec in specs:
        steps = on_workdays(plan(spec.dates(), today, seed), workday, today)
        plans.append((spec.index, steps))
    office = office_plan(today, today - dt.timedelta(days=HISTORY_DAYS))
    plans.append((OFFICE, on_workdays(office, workday, today)))
    return timeline(plans, now)


@transaction.atomic
def load_demo_items(
    *, callback: ProgressCallback | None = None, bar: bool = False, seed: int = SEED
) -> Counter[str]:
    """Create the demo items on top of the demo city, each step on its day of the past year;
    returns the count by state."""
    now = clock.now()
    today = timezone.localdate(now)
    discover_tasks()  # the assessment app's sweeps register when its tasks load
    with clock.at(epoch(today)):
        cast = Cast.load()
    specs = build_specs(today, _soon(today), seed)
    items: dict[int, Item] = {}
    moments = _schedule(specs, today, now, seed)
    for moment in track(moments, total=len(moments), label="演示事项", callback=callback, bar=bar):
        with clock.at(moment.at):
            if moment.index == OFFICE:
                OFFICE_STEPS[moment.step](cast, items)
                continue
            spec = specs[moment.index]
            items[spec.index] = STEPS[moment.step](items.get(spec.index), spec, cast)  # type: ignore[arg-type]
    _read_old_messages(now - dt.timedelta(days=UNREAD_DAYS))
    for name, params, columns, sort in SAVED_VIEWS:
        view_actions.create_view(
            actor=cast.office,
            owner_unit=cast.owner,
            name=name,
            params=params,
            columns=columns,
            sort=sort,
        )
    counts = Counter(item.state for item in items.values())
    record(EventType.ITEMS_DEMO_LOADED, actor=None, details={"items": dict(counts)})
    return counts


def _read_old_messages(before: dt.datetime) -> None:
    """People read their messages: only the last few days' are still unread in the demo."""
    old = Notification.objects.filter(created_at__lt=before, read_at__isnull=True)
    for user in User.objects.filter(pk__in=old.values("recipient_id")):
        notify_actions.mark_read(user, old.filter(recipient=user).values_list("pk", flat=True))


def load_demo_city(*, bar: bool = False) -> list[DemoAccount]:
    """The demo city set up a year ago, then a year of its items' work: `duban load-demo`."""
    with clock.at(epoch(clock.today())):
        accounts = load_demo()
    load_demo_items(bar=bar)
    return accounts
