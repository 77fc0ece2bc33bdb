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
    # 3xx calendars and deadline rules
    CALENDAR_LOADED = 300
    CALENDAR_YEAR_LOADED = 301
    DEADLINE_RULE_CREATED = 310
    DEADLINE_RULE_UPDATED = 311

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
}

CHOICES = [(member.value, LABELS.get(member, member.name)) for member in EventType]
