"""What the API reads and writes; the OpenAPI document is generated from these type hints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from duban.core import clock
from duban.items import states
from duban.items.models import Item
from duban.items.tagging import tags_of


class UnitRef(Schema):
    id: int
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    depth: int
    active: bool


class HandlingUnitOut(Schema):
    unit: UnitRef
    role: str
    assigned_at: dt.datetime
    acknowledged_at: dt.datetime | None
    declined_at: dt.datetime | None
    decline_reason: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    done_at: dt.datetime | None


class ItemOut(Schema):
    id: int
    title: str
    source: str
    source_label: str
    doc_number: str
    source_person: str = Field(description="批示领导,或提出建议提案的代表委员,或交办机关")
    source_date: dt.date | None = Field(description="批示、会议、印发、交办或举报日期")
    source_number: str = Field(description="会议纪要号、建议提案编号或线索编号")
    source_text: str = Field(description="批示内容,或政府工作报告的目标任务")
    meeting_kind: str = Field(description="会议类型代码,如 standing(常务会议)")
    meeting_kind_label: str
    scope: str
    urgency: str
    confidentiality: str
    state: str
    state_label: str
    parent_id: int | None
    owner_unit: UnitRef
    lead_unit: UnitRef | None
    responsible_leader: str
    owner_name: str
    time_limit: dt.date | None
    due_date: dt.date | None
    original_due_date: dt.date | None = Field(description="延期前的原定时限")
    provisional: bool
    overdue: bool
    return_count: int
    completed_late: bool | None
    created_at: dt.datetime
    assigned_at: dt.datetime | None
    completed_at: dt.datetime | None
    version: int = Field(description="乐观并发版本号:执行操作时原样带回")

    @staticmethod
    def resolve_source_label(obj: Item) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_meeting_kind_label(obj: Item) -> str:
        return str(obj.get_meeting_kind_display()) if obj.meeting_kind else ""

    @staticmethod
    def resolve_state_label(obj: Item) -> str:
        return states.state_label(obj.state)

    @staticmethod
    def resolve_overdue(obj: Item) -> bool:
        return bool(obj.is_open and obj.due_date and obj.due_date < clock.today())


class ItemDetailOut(ItemOut):
    content: str
    deadline_explanation: str
    units: list[HandlingUnitOut]
    milestones: list[MilestoneOut]
    tags: list[str] = Field(description="标签")

    @staticmethod
    def resolve_tags(obj: Item) -> list[str]:
        return tags_of(obj)

    @staticmethod
    def resolve_units(obj: Item) -> list[Any]:
        return list(obj.units.select_related("unit"))

    @staticmethod
    def resolve_milestones(obj: Item) -> list[Any]:
        return list(obj.milestones.all())


class Page(Schema):
    count: int = Field(description="符合条件的总数")


class ItemPage(Page):
    items: list[ItemOut]


class UnitPage(Page):
    items: list[UnitOut]


class EventOut(Schema):
    seq: int
    type: int
    type_label: str
    actor: str | None
    unit: str | None
    details: dict[str, Any]
    created_at: dt.datetime

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor_id else None

    @staticmethod
    def resolve_unit(obj: Any) -> str | None:
        return str(obj.unit) if obj.unit_id else None


class ActionOut(Schema):
    action: str = Field(description="即 POST /items/{id}/<action> 的路径名")
    label: str
    reason_required: bool


SOURCE_FACTS = (
    "各来源须填写的内容:领导批示 source_person(批示领导)、source_text(批示内容);"
    "会议议定 meeting_kind、source_date(会议日期);重要文件 doc_number(如 济政办发〔2016〕30号);"
    "政府工作报告 source_text(目标任务);人大建议、政协提案 source_number、source_person。"
    "与所选来源无关的内容不予保存。"
)


class ItemIn(Schema):
    title: str
    source: str = Field(
        description="来源代码,如 leader_instruction、meeting、document。" + SOURCE_FACTS
    )
    owner_unit: int | None = Field(None, description="登记单位;缺省为本人所在督查机构")
    doc_number: str = ""
    source_person: str = Field("", description="批示领导,或提出建议提案的代表委员,或交办机关")
    source_date: dt.date | None = Field(None, description="批示、会议、印发、交办或举报日期")
    source_number: str = Field("", description="会议纪要号、建议提案编号或线索编号")
    source_text: str = Field("", description="批示内容,或政府工作报告的目标任务")
    meeting_kind: str = Field("", description="会议类型:plenary、standing、topical、on_site、joint")
    scope: str = "daily"
    urgency: str = "normal"
    confidentiality: str = "internal"
    content: str = ""
    responsible_leader: str = ""
    owner_name: str = ""
    time_limit: dt.date | None = None
    named_people: list[int] = Field([], description="涉密事项的知悉人员编号")
    tags: list[str] = Field([], description="标签,最多 10 个,每个不超过 20 个字")


class VersionIn(Schema):
    version: int = Field(description="读取事项时得到的版本号;他人已修改则返回 conflict")


class ItemEditIn(VersionIn):
    """A draft's changes: only the fields sent are changed (null clears a date)."""

    title: str | None = None
    source: str | None = Field(None, description="来源代码。" + SOURCE_FACTS)
    doc_number: str | None = None
    source_person: str | None = None
    source_date: dt.date | None = None
    source_number: str | None = None
    source_text: str | None = None
    meeting_kind: str | None = None
    scope: str | None = None
    urgency: str | None = None
    confidentiality: str | None = None
    content: str | None = None
    responsible_leader: str | None = None
    owner_name: str | None = None
    time_limit: dt.date | None = None


class ApproveIn(VersionIn):
    comment: str = ""


class ReasonIn(VersionIn):
    reason: str = Field(description="理由(必填)")


class AssignIn(VersionIn):
    lead_unit: int
    co_units: list[int] = []
    time_limit: dt.date | None = Field(None, description="明确完成时限;缺省按来源规则计算")
    start: dt.date | None = Field(None, description="起算日;缺省为今天")


class UnitActionIn(VersionIn):
    unit: int | None = Field(None, description="以哪个承办单位的身份办理;缺省自动判断")


class DeclineIn(UnitActionIn):
    reason: str


class AcceptIn(VersionIn):
    outcome: str = Field("", description="办理结果:A 已解决、B 正在解决、C 列入计划、D 留作参考")
    follow_up_date: dt.date | None = Field(None, description="B、C 须填写跟踪办理日期")


class ReportIn(VersionIn):
    content: str = Field(description="进展情况")
    problems: str = ""
    next_steps: str = ""


class CoInputIn(VersionIn):
    content: str = Field(description="协办意见")


class PlanIn(VersionIn):
    content: str = Field(description="工作方案:目标任务、主要措施、时间安排和责任分工")


class SignOffIn(VersionIn):
    comment: str = ""
    send: bool = Field(True, description="审签后即报送;false 则由联络员 submit_final 报送")


class ReportOut(Schema):
    id: int
    item_id: int
    unit: UnitRef
    kind: str
    kind_label: str
    state: str
    state_label: str
    content: str
    problems: str
    next_steps: str
    period_due: dt.date | None
    late: bool
    created_by: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    signed_off_by: str | None
    signed_off_at: dt.datetime | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_created_by(obj: Any) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_signed_off_by(obj: Any) -> str | None:
        return str(obj.signed_off_by) if obj.signed_off_by_id else None


class ExtensionIn(VersionIn):
    # Blank defaults: the action refuses a missing field with its own Chinese label.
    reason: str = Field("", description="延期理由")
    progress: str = Field("", description="目前进展")
    next_steps: str = Field("", description="下步措施")
    requested_date: dt.date | None = Field(None, description="申请延至")


class DecisionIn(VersionIn):
    approve: bool
    granted_date: dt.date | None = Field(None, description="批准延至;缺省为申请日期")
    note: str = Field("", description="审批意见;不同意时必填")


class ExtensionOut(Schema):
    id: int
    unit: UnitRef
    reason: str
    progress: str
    next_steps: str
    requested_date: dt.date
    due_before: dt.date
    state: str
    state_label: str
    granted_date: dt.date | None
    decision_note: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_requested_by(obj: Any) -> str:
        return str(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None


class FinalReportIn(VersionIn):
    text: str = Field("", description="报送说明")
