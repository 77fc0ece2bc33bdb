"""Supervision items (督查事项), the units that handle them, and their milestones (节点任务)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField
from duban.items.models.rules import MeetingKind, Outcome, ReportCadence
from duban.org.models import Unit

if TYPE_CHECKING:
    from duban.org.access import Action


class ItemSource(models.TextChoices):
    """Seed 004 第六条 and seed 001 第六条; shared/DESIGN.md glossary 「来源」."""

    LEADER_INSTRUCTION = "leader_instruction", _("领导批示")
    MEETING = "meeting", _("会议议定")
    DOCUMENT = "document", _("重要文件")
    WORK_REPORT = "work_report", _("政府工作报告")
    KEY_PROJECT = "key_project", _("重点项目")
    NPC_SUGGESTION = "npc_suggestion", _("人大建议")
    CPPCC_PROPOSAL = "cppcc_proposal", _("政协提案")
    SUPERIOR = "superior", _("上级交办")
    COMPLAINT = "complaint", _("群众举报")
    OTHER = "other", _("其他")


class ItemScope(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合督查")
    DAILY = "daily", _("日常督查")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    VERY_URGENT = "very_urgent", _("特急")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("公开")
    INTERNAL = "internal", _("内部")
    SECRET = "secret", _("涉密")


class ItemState(models.TextChoices):
    """shared/DESIGN.md 「The item lifecycle」; transitions are in items/states.py."""

    DRAFT = "draft", _("拟办")
    PENDING_APPROVAL = "pending_approval", _("待审定")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    SUBMITTED = "submitted", _("待审核")
    COMPLETED = "completed", _("已办结")
    ARCHIVED = "archived", _("已归档")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATES = (
    ItemState.DRAFT,
    ItemState.PENDING_APPROVAL,
    ItemState.ASSIGNED,
    ItemState.IN_PROGRESS,
    ItemState.SUBMITTED,
)


# `Item.next_check_at` meaning "at the next sweep": earlier than any real day, so no clock is read.
CHECK_AT_ONCE = dt.date(2000, 1, 1)


class Light(models.TextChoices):
    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")


class UnitRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class ItemQuerySet(models.QuerySet["Item"]):
    def open(self) -> ItemQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def restrict(self, user: Any, action: Action = "view") -> ItemQuerySet:
        from duban.items.access import item_q

        return self.filter(item_q(user, action))

    def restrict_within(self, user: Any, action: Action, within: Q) -> ItemQuerySet | None:
        """`restrict` for a caller whose own filter implies `within`, asked of the scope's reach
        branch where one index holds both (access.item_q_within): the caller's items once that
        filter applies. None when the scope has no such branch: `restrict` then."""
        from duban.items.access import item_q_within

        hinted = item_q_within(user, action, within)
        return None if hinted is None else self.filter(hinted)

    def restrict_rows(self, user: Any, action: Action = "view") -> ItemQuerySet:
        """`restrict` for a few rows picked by id: the same items, each tested on its own."""
        from duban.items.access import rowwise_q

        return self.filter(rowwise_q(user, action))

    def restrict_shared(self, user: Any, action: Action = "view") -> ItemQuerySet:
        """The part of `restrict(user, action)` everyone with the person's scope shares: the items
        their units reach, without the 涉密 ones and those they reach only by name (access.py)."""
        from duban.items.access import shared_q

        return self.filter(shared_q(user, action))

    def restrict_personal(self, user: Any, action: Action = "view") -> ItemQuerySet:
        """The rest of `restrict(user, action)`: what the person sees beyond `restrict_shared`."""
        from duban.items.access import personal_only_q

        return self.filter(personal_only_q(user, action))


class Item(models.Model):
    title = models.CharField(_("事项名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=24, choices=ItemSource.choices)
    doc_number = models.CharField(_("文号"), max_length=50, blank=True)
    scope = models.CharField(
        _("督查类别"), max_length=16, choices=ItemScope.choices, default=ItemScope.DAILY
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    confidentiality = models.CharField(
        _("密级"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    content = models.TextField(_("事项内容"), blank=True)
    # 分解立项: sub-items per unit or milestone (seed 001 第二十条 四定).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ItemState.choices, default=ItemState.DRAFT
    )
    # The registering office's unit: office-side permissions are checked against it.
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="owned_items"
    )
    # Denormalised from the active lead ItemUnit so lists and sweeps filter without a join.
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_items",
    )
    # What the source itself says (issue 4 item 1), labelled per source in the forms:
    # 批示领导/代表委员, 批示日期/会议日期, 会议纪要号/建议提案号, 批示内容.
    source_person = models.CharField(_("批示领导或代表委员"), max_length=100, blank=True)
    source_date = models.DateField(_("批示或会议日期"), null=True, blank=True)
    source_number = models.CharField(_("纪要号或建议提案号"), max_length=50, blank=True)
    source_text = models.TextField(_("批示内容"), blank=True)
    meeting_kind = models.CharField(
        _("会议类型"), max_length=16, choices=MeetingKind.choices, blank=True
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)

    # shared/DESIGN.md principle 5: a deadline is stored with its rule, start, version, flag.
    time_limit = models.DateField(_("明确完成时限"), null=True, blank=True)
    deadline_rule = models.ForeignKey(
        "workdays.DeadlineRule",
        verbose_name=_("期限规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    deadline_start = models.DateField(_("期限起算日"), null=True, blank=True)
    due_date = models.DateField(_("办理时限"), null=True, blank=True)
    provisional = models.BooleanField(_("暂定"), default=False)
    calendar_version = models.PositiveIntegerField(_("日历版本"), null=True, blank=True)
    deadline_explanation = models.TextField(_("时限说明"), blank=True)
    # The first due date, kept when extensions move `due_date` (seed 004 第十八条).
    original_due_date = models.DateField(_("原定时限"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)

    # Progress reports on a cadence (seed 004 第十七条); the next one is due on this date.
    report_cadence = models.CharField(
        _("报告频次"), max_length=16, choices=ReportCadence.choices, default=ReportCadence.NONE
    )
    next_report_due = models.DateField(_("下次报告日期"), null=True, blank=True)
    # 一次填报、多方复用: items that are one real task share a group; one report answers all.
    link_group = models.ForeignKey(
        "items.LinkGroup",
        verbose_name=_("关联组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    # The light as of the last lights sweep (items/sweeps.py), for lists and counts at scale;
    # lights.py stays the rule (and its `light` annotation the live value). `next_check_at` is the
    # first day the light may change: CHECK_AT_ONCE after any action (actions._claim), NULL when
    # only an action can change it (closed, red, no due date).
    swept_light = models.CharField(_("灯"), max_length=8, choices=Light.choices, blank=True)
    next_check_at = models.DateField(
        _("下次检查日期"), null=True, blank=True, default=CHECK_AT_ONCE
    )
    outcome = models.CharField(_("办理结果"), max_length=1, choices=Outcome.choices, blank=True)
    follow_up_date = models.DateField(_("跟踪办理日期"), null=True, blank=True)

    # Who may see a 涉密 item besides its creator (issue 4 item 1).
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("知悉人员"),
        blank=True,
        related_name="named_items",
    )
    return_count = models.PositiveSmallIntegerField(_("退回重办次数"), default=0)
    completed_late = models.BooleanField(_("逾期办结"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_items",
    )
    created_at = StampField(_("登记时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Optimistic concurrency: every action updates WHERE version = the version it read.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # Title, 文号 and content in one column for trigram search (shared/DESIGN.md Stack).
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查事项")
        verbose_name_plural = _("督查事项")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_date"], name="item_state_due"),
            # Sweeps look only at open items by due date (shared/DESIGN.md Worker). On PostgreSQL
            # it also carries what restrict() and the light need, so a 台账 count of open or red
            # items over a city reads this index alone (60 % less time at a million items).
            models.Index(
                fields=["due_date"],
                name="item_open_due",
                condition=Q(state__in=[str(s) for s in OPEN_STATES]),
                include=[
                    "state",
                    "source",
                    "owner_unit",
                    "lead_unit",
                    "confidentiality",
                    "created_by",
                    "id",
                ],
            ),
            # The lights sweep reads only the items whose day has come (Healthchecks' alert_after).
            models.Index(
                fields=["next_check_at"],
                name="item_next_check",
                condition=Q(next_check_at__isnull=False),
            ),
            # No index on swept_light: lists and counts use the live light (lights.py), and one
            # would cost every light the sweep changes a write it never reads.
            # B/C outcomes come back on their follow-up date (reporting.follow_ups_due).
            models.Index(
                fields=["follow_up_date"],
                name="item_follow_up",
                condition=Q(state="completed", outcome__in=["B", "C"]),
            ),
            # The reminder sweeps: progress reports due, over open items only.
            models.Index(
                fields=["next_report_due"],
                name="item_open_report_due",
                condition=Q(state__in=[str(s) for s in OPEN_STATES]),
            ),
            # The few 涉密 items: the whole tree's count of a 标签 leaves them out by id
            # (ledgers/counts.py).
            models.Index(fields=["id"], name="item_secret", condition=Q(confidentiality="secret")),
            # 台账 (ledgers/filters.py): the default order and the filters offices use most, so a
            # page and its count at a million items read an index, not the table. Keyword search
            # has its own index (pg_trgm or FTS5 trigram, migration 0010).
            # It carries what the tally's filters and the 涉密 rule read, so the whole tree's page
            # of overdue items, newest first, walks it without the table (ledgers/pages.py).
            models.Index(
                fields=["created_at", "id"],
                name="item_created",
                include=["state", "due_date", "source", "confidentiality", "created_by"],
            ),
            models.Index(fields=["due_date", "id"], name="item_due"),
            models.Index(fields=["lead_unit", "state", "due_date"], name="item_lead_state_due"),
            models.Index(fields=["source", "state", "due_date"], name="item_source_state_due"),
            models.Index(fields=["responsible_leader", "state"], name="item_leader_state"),
            models.Index(
                fields=["completed_at"],
                name="item_completed",
                condition=Q(completed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class LinkGroup(models.Model):
    """Items that are the same real task arriving from several sources (issue 4 item 8)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = StampField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关联事项组")
        verbose_name_plural = _("关联事项组")

    def __str__(self) -> str:
        return f"#{self.pk}"


class ItemUnit(models.Model):
    """A lead (主办) or co (协办) unit on an item. A declined row stays as the unit's record."""

    item = models.ForeignKey(
        Item, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="item_roles"
    )
    role = models.CharField(_("承办角色"), max_length=8, choices=UnitRole.choices)
    assigned_at = models.DateTimeField(_("交办时间"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declined_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    decline_reason = models.TextField(_("退回理由"), blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["item", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit"],
                condition=Q(declined_at__isnull=True),
                name="item_unit_active_unique",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(declined_at__isnull=True, role="lead"),
                name="item_one_active_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "declined_at"], name="item_unit_unit"),
            # 台账's co_unit filter: EXISTS (active row of this unit in this role for the item).
            models.Index(
                fields=["unit", "role", "item"],
                name="item_unit_active_role",
                condition=Q(declined_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.unit} · {self.get_role_display()}"


class Milestone(models.Model):
    """节点任务: a dated step inside an item (seed 001 第二十条)."""

    item = models.ForeignKey(
        Item, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点任务"), max_length=200)
    due_date = models.DateField(_("完成时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("节点任务")
        verbose_name_plural = _("节点任务")
        ordering = ["item", "sort_order", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class SourceRule(models.Model):
    """Which deadline rule an item source uses: data an administrator edits, not code.

    The preset (migration 0002) follows seed 004 第十六条; a source without a row needs an explicit
    time limit at assignment (第十六条(一)(三)).
    """

    source = models.CharField(_("来源"), max_length=32, choices=ItemSource.choices, unique=True)
    rule = models.ForeignKey(
        "workdays.DeadlineRule",
        verbose_name=_("期限规则"),
        on_delete=models.PROTECT,
        related_name="sources",
    )

    class Meta:
        verbose_name = _("来源期限规则")
        verbose_name_plural = _("来源期限规则")
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} → {self.rule}"
