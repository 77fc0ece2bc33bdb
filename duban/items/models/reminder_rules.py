"""Reminder rules as data: when the worker reminds whom, in what words (items/sweeps.py).

Kept in a module of its own, loaded after the app's other models: the audit log describes an
event's fields by the first model of the app that has them (audit/describe.py), and the older
models' labels (催办内容, 类型) must keep winning over these.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """What a reminder rule watches; the sweeps (items/sweeps.py) select items by it."""

    BEFORE_DUE = "before_due", _("临期提醒")
    ON_DUE = "on_due", _("到期提醒")
    OVERDUE_EVERY = "overdue_every", _("逾期催办")
    REPORT_BEFORE = "report_before", _("进展报告临期提醒")
    REPORT_OVERDUE = "report_overdue", _("进展报告逾期催报")
    EXTENSION_WAITING = "extension_waiting", _("延期申请待审批提醒")
    FOLLOW_UP = "follow_up", _("跟踪办理提醒")
    CALENDAR_PROVISIONAL = "calendar_provisional", _("次年日历未公布提醒")


class ReminderRecipient(models.TextChoices):
    LIAISON = "liaison", _("主办单位联络员")
    UNIT_LEADER = "unit_leader", _("主办单位责任领导")
    OFFICE = "office", _("登记单位督查工作人员")
    OFFICE_HEAD = "office_head", _("登记单位督查室负责人")
    ADMIN = "admin", _("系统管理员")


# The placeholders a message may use; sweeps.py fills them in SQL.
REMINDER_PLACEHOLDERS = ("title", "date", "unit", "days", "year")


class ReminderRule(models.Model):
    """When the worker reminds whom, and in what words: data with presets (migration 0009).

    `days` is counted in working days: how long before (before_due, report_before), every how
    many while late (overdue_every, report_overdue), how long a request has waited
    (extension_waiting), how long before 1 January (calendar_provisional); on_due and follow_up
    ignore it. Rows with an empty source are the defaults; a source with active rows of its own
    uses those instead (like LightRule).
    """

    source = models.CharField(_("来源"), max_length=24, blank=True)
    kind = models.CharField(_("提醒类型"), max_length=24, choices=ReminderKind.choices)
    days = models.PositiveSmallIntegerField(_("工作日数"), default=0)
    recipients = models.CharField(_("提醒对象"), max_length=16, choices=ReminderRecipient.choices)
    message = models.CharField(
        _("提醒内容"),
        max_length=500,
        help_text=_(
            "可用占位符:{title} 事项名称、{date} 相关日期、{unit} 主办单位、"
            "{days} 工作日数、{year} 年份"
        ),
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")
        ordering = ["source", "kind", "days", "id"]

    def __str__(self) -> str:
        return f"{self.source or '默认'}: {self.get_kind_display()} {self.days}"
