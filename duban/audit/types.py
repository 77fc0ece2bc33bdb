"""Every kind of audit event, numbered in blocks per area (after Zulip's AuditLogEventType)."""

from __future__ import annotations

from enum import IntEnum, unique

from django.utils.translation import gettext_lazy as _


@unique
class EventType(IntEnum):
    # 1xx organisation
    UNIT_CREATED = 100
    UNIT_UPDATED = 101
    UNIT_MOVED = 102
    USER_CREATED = 110
    USER_UPDATED = 111
    USER_PASSWORD_SET = 112
    ROLE_GRANTED = 120
    ROLE_REVOKED = 121
    GROUP_CREATED = 130
    GROUP_UPDATED = 131
    GROUP_MEMBER_ADDED = 132
    GROUP_MEMBER_UPDATED = 133
    GROUP_MEMBER_REMOVED = 134
    ORG_IMPORTED = 140
    DEMO_LOADED = 150
    # 2xx sign-in security (failures only: the platform does not track who is online)
    SIGN_IN_FAILED = 200
    LOCKED_OUT = 201
    # 3xx calendars, deadline rules and the other rules set as data (rulesets)
    CALENDAR_LOADED = 300
    CALENDAR_YEAR_LOADED = 301
    DEADLINE_RULE_CREATED = 310
    DEADLINE_RULE_UPDATED = 311
    SOURCE_RULE_CREATED = 312
    SOURCE_RULE_UPDATED = 313
    LIGHT_RULE_CREATED = 320
    LIGHT_RULE_UPDATED = 321
    REMINDER_RULE_CREATED = 330
    REMINDER_RULE_UPDATED = 331
    DASHBOARD_RULE_UPDATED = 340
    # 4xx supervision items (issue 4); details carry from/to state and any reason
    ITEM_CREATED = 400
    ITEM_UPDATED = 401
    ITEM_DECOMPOSED = 402
    ITEM_MILESTONE_ADDED = 403
    ITEM_MILESTONE_DONE = 404
    ITEM_SUBMITTED = 410
    ITEM_APPROVED = 411
    ITEM_SENT_BACK = 412
    ITEM_ASSIGNED = 413
    ITEM_ACKNOWLEDGED = 414
    ITEM_PART_ACKNOWLEDGED = 415
    ITEM_DECLINED = 416
    ITEM_PROGRESS_REPORTED = 417
    ITEM_FINAL_SUBMITTED = 418
    ITEM_EXTENSION_REQUESTED = 419
    ITEM_ACCEPTED = 420
    ITEM_RETURNED = 421
    ITEM_ARCHIVED = 422
    ITEM_REOPENED = 423
    ITEM_CANCELLED = 424
    ITEM_REMINDED = 425
    ITEM_CO_INPUT_SENT = 430
    ITEM_FINAL_DRAFTED = 431
    ITEM_FINAL_SENT_FOR_SIGNOFF = 432
    ITEM_FINAL_SIGNED_OFF = 433
    ITEM_CADENCE_SET = 434
    ITEM_PLAN_SUBMITTED = 435
    ITEM_TAGGED = 436
    ITEM_EXTENSION_APPROVED = 440
    ITEM_EXTENSION_REJECTED = 441
    ITEM_EXTENSION_WITHDRAWN = 442
    ITEM_ATTACHMENT_ADDED = 445
    ITEMS_LINKED = 450
    ITEM_UNLINKED = 451
    ITEMS_IMPORTED = 460
    ITEM_DEADLINE_RECALCULATED = 461
    ITEMS_DEMO_LOADED = 462
    # 5xx API access (issue 4 item 12)
    API_TOKEN_CREATED = 500
    API_TOKEN_REVOKED = 501
    # 6xx notifications (issue 5 item 5)
    NOTIFY_DEAD_RETRIED = 600
    NOTIFY_PREFERENCES_SET = 601
    # 7xx assessment: escalation and accountability proposals (issue 5 items 3 and 4)
    ESCALATIONS_PROPOSED = 700
    ESCALATION_APPLIED = 701
    ESCALATION_DISMISSED = 702
    PROPOSALS_GENERATED = 710
    PROPOSAL_ACCEPTED = 711
    PROPOSAL_CHANGED = 712
    PROPOSAL_REJECTED = 713
    ASSESSMENT_PRESET_ACTIVATED = 720
    LADDER_RULE_UPDATED = 721
    ACCOUNTABILITY_RULE_UPDATED = 722
    LADDER_RULE_CREATED = 723
    ACCOUNTABILITY_RULE_CREATED = 724
    # 80x 专项台账 (ledgers)
    SAVED_VIEW_CREATED = 800
    SAVED_VIEW_RENAMED = 801
    SAVED_VIEW_UPDATED = 802
    SAVED_VIEW_DELETED = 803
    # 81x 台账 export (issue 6 item 2): data leaving the system
    ITEMS_EXPORTED = 810
    # 90x 督查文书 (documents, issue 6 item 5)
    DOCUMENT_DRAFTED = 900
    DOCUMENT_EDITED = 901
    DOCUMENT_ISSUED = 902
    DOCUMENT_DISCARDED = 903
    DOC_TEMPLATE_CREATED = 910
    DOC_TEMPLATE_UPDATED = 911

    @property
    def label(self) -> str:
        return str(LABELS.get(self, self.name))


LABELS = {
    EventType.UNIT_CREATED: _("新增单位"),
    EventType.UNIT_UPDATED: _("修改单位"),
    EventType.UNIT_MOVED: _("调整上级单位"),
    EventType.USER_CREATED: _("新增人员"),
    EventType.USER_UPDATED: _("修改人员"),
    EventType.USER_PASSWORD_SET: _("设置密码"),
    EventType.ROLE_GRANTED: _("授予角色"),
    EventType.ROLE_REVOKED: _("撤销角色"),
    EventType.GROUP_CREATED: _("成立领导小组"),
    EventType.GROUP_UPDATED: _("修改领导小组"),
    EventType.GROUP_MEMBER_ADDED: _("增加成员单位"),
    EventType.GROUP_MEMBER_UPDATED: _("成员单位人员调整"),
    EventType.GROUP_MEMBER_REMOVED: _("移除成员单位"),
    EventType.ORG_IMPORTED: _("导入组织机构"),
    EventType.DEMO_LOADED: _("载入演示数据"),
    EventType.SIGN_IN_FAILED: _("登录失败"),
    EventType.LOCKED_OUT: _("账号锁定"),
    EventType.CALENDAR_LOADED: _("载入节假日数据"),
    EventType.CALENDAR_YEAR_LOADED: _("载入年度放假安排"),
    EventType.DEADLINE_RULE_CREATED: _("新增期限规则"),
    EventType.DEADLINE_RULE_UPDATED: _("修改期限规则"),
    EventType.SOURCE_RULE_CREATED: _("新增来源期限规则"),
    EventType.SOURCE_RULE_UPDATED: _("修改来源期限规则"),
    EventType.LIGHT_RULE_CREATED: _("新增红黄绿灯规则"),
    EventType.LIGHT_RULE_UPDATED: _("修改红黄绿灯规则"),
    EventType.REMINDER_RULE_CREATED: _("新增提醒规则"),
    EventType.REMINDER_RULE_UPDATED: _("修改提醒规则"),
    EventType.DASHBOARD_RULE_UPDATED: _("修改统计分析规则"),
    EventType.ITEM_CREATED: _("登记督查事项"),
    EventType.ITEM_UPDATED: _("修改督查事项"),
    EventType.ITEM_DECOMPOSED: _("分解立项"),
    EventType.ITEM_MILESTONE_ADDED: _("增加节点任务"),
    EventType.ITEM_MILESTONE_DONE: _("节点任务完成"),
    EventType.ITEM_SUBMITTED: _("事项送审"),
    EventType.ITEM_APPROVED: _("事项审定同意"),
    EventType.ITEM_SENT_BACK: _("事项退回修改"),
    EventType.ITEM_ASSIGNED: _("事项交办"),
    EventType.ITEM_ACKNOWLEDGED: _("事项签收"),
    EventType.ITEM_PART_ACKNOWLEDGED: _("事项协办签收"),
    EventType.ITEM_DECLINED: _("事项退回(退单)"),
    EventType.ITEM_PROGRESS_REPORTED: _("事项报送进展"),
    EventType.ITEM_FINAL_SUBMITTED: _("事项报送办结报告"),
    EventType.ITEM_EXTENSION_REQUESTED: _("事项申请延期"),
    EventType.ITEM_ACCEPTED: _("事项审核通过"),
    EventType.ITEM_RETURNED: _("事项退回重办"),
    EventType.ITEM_ARCHIVED: _("事项归档"),
    EventType.ITEM_REOPENED: _("事项回访复核重新办理"),
    EventType.ITEM_CANCELLED: _("事项撤销"),
    EventType.ITEM_REMINDED: _("催办"),
    EventType.ITEM_CO_INPUT_SENT: _("报送协办意见"),
    EventType.ITEM_FINAL_DRAFTED: _("起草办结报告"),
    EventType.ITEM_FINAL_SENT_FOR_SIGNOFF: _("办结报告送审签"),
    EventType.ITEM_FINAL_SIGNED_OFF: _("办结报告审签报送"),
    EventType.ITEM_PLAN_SUBMITTED: _("报送工作方案"),
    EventType.ITEM_CADENCE_SET: _("设定报告频次"),
    EventType.ITEM_TAGGED: _("修改事项标签"),
    EventType.ITEM_EXTENSION_APPROVED: _("同意延期"),
    EventType.ITEM_EXTENSION_REJECTED: _("不同意延期"),
    EventType.ITEM_EXTENSION_WITHDRAWN: _("撤回延期申请"),
    EventType.ITEM_ATTACHMENT_ADDED: _("上传附件"),
    EventType.ITEMS_LINKED: _("关联事项"),
    EventType.ITEM_UNLINKED: _("取消关联"),
    EventType.ITEMS_IMPORTED: _("导入督查事项"),
    EventType.ITEM_DEADLINE_RECALCULATED: _("暂定时限重新计算"),
    EventType.ITEMS_DEMO_LOADED: _("载入演示督查事项"),
    EventType.API_TOKEN_CREATED: _("创建接口令牌"),
    EventType.API_TOKEN_REVOKED: _("撤销接口令牌"),
    EventType.NOTIFY_DEAD_RETRIED: _("重发失败消息"),
    EventType.NOTIFY_PREFERENCES_SET: _("设置通知偏好"),
    EventType.ESCALATIONS_PROPOSED: _("提出督办升级建议"),
    EventType.ESCALATION_APPLIED: _("采取督办升级措施"),
    EventType.ESCALATION_DISMISSED: _("不采取督办升级措施"),
    EventType.PROPOSALS_GENERATED: _("提出问责建议"),
    EventType.PROPOSAL_ACCEPTED: _("同意问责建议"),
    EventType.PROPOSAL_CHANGED: _("变更问责措施"),
    EventType.PROPOSAL_REJECTED: _("不予问责"),
    EventType.ASSESSMENT_PRESET_ACTIVATED: _("启用督办问责预设"),
    EventType.LADDER_RULE_UPDATED: _("修改督办升级规则"),
    EventType.ACCOUNTABILITY_RULE_UPDATED: _("修改问责规则"),
    EventType.LADDER_RULE_CREATED: _("新增督办升级步骤"),
    EventType.ACCOUNTABILITY_RULE_CREATED: _("新增问责规则"),
    EventType.SAVED_VIEW_CREATED: _("新建专项台账"),
    EventType.SAVED_VIEW_RENAMED: _("重命名专项台账"),
    EventType.SAVED_VIEW_UPDATED: _("修改专项台账筛选条件"),
    EventType.SAVED_VIEW_DELETED: _("删除专项台账"),
    EventType.ITEMS_EXPORTED: _("导出督查事项台账"),
    EventType.DOCUMENT_DRAFTED: _("起草督查文书"),
    EventType.DOCUMENT_EDITED: _("修改督查文书草稿"),
    EventType.DOCUMENT_ISSUED: _("签发督查文书"),
    EventType.DOCUMENT_DISCARDED: _("废弃督查文书草稿"),
    EventType.DOC_TEMPLATE_CREATED: _("新建文书模板"),
    EventType.DOC_TEMPLATE_UPDATED: _("修改文书模板"),
}

CHOICES = [(member.value, LABELS.get(member, member.name)) for member in EventType]
