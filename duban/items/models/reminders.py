"""催办 (seed 004 第七条(五) 催办督办): the office reminds a handling unit, in its own words.

A row per reminded unit, so each unit's answer is tracked on its own: `answered_at` is set when
that unit next reports on the item (a progress report, its co-unit input, the final report).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField
from duban.org.models import Unit

MESSAGE_MAX = 2000


class Reminder(models.Model):
    item = models.ForeignKey(
        "items.Item", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("催办单位"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("催办内容"), max_length=MESSAGE_MAX)
    # Null for a reminder the system sends by rule (shared/DESIGN.md Worker), not by hand.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = StampField(_("催办时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-sent_at", "-id"]
        # 工作台 asks "my units' unanswered reminders"; answering asks the same per unit.
        indexes = [models.Index(fields=["unit", "answered_at"], name="reminder_unit_answered")]

    def __str__(self) -> str:
        return f"{self.item} → {self.unit}"


class SentReminder(models.Model):
    """One reminder the worker sent by rule: the unique row that makes it once, not hope.

    (item, rule, anchor, period) is unique: `anchor` is the date reminded about (the due date, the
    report's due date, the day an extension was asked, the follow-up date), so a moved deadline is
    reminded about afresh; `period` counts the intervals of a repeating rule (0 for a one-off).
    A sweep inserts with ON CONFLICT DO NOTHING and notifies only the rows carrying its own `run`,
    read back as the ids after the newest one before its insert (sweeps._newest_reminder).
    """

    # A sweep writes tens of thousands of these a day at provincial scale, each selected from
    # the very rows it points at, so the database checks nothing here: no foreign-key triggers
    # (a lookup per row, most of an insert's cost) and no item index of its own (the unique
    # constraint below starts with it). Items and rules are never deleted, only closed or
    # switched off; Django's on_delete still cascades if one ever is.
    item = models.ForeignKey(
        "items.Item",
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        db_index=False,
        db_constraint=False,
    )
    # Filtered only together with `run`, whose index serves: no index of its own to keep up.
    rule = models.ForeignKey(
        "items.ReminderRule",
        verbose_name=_("规则"),
        on_delete=models.CASCADE,
        related_name="sent",
        db_index=False,
        db_constraint=False,
    )
    # The unit whose people hear of it (the lead unit, or the registering office for the office's
    # kinds), copied from the item as the row is written: telling people then groups the run's
    # rows by unit without reading each item again. Empty on rows written before it was kept.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("提醒单位"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    anchor = models.DateField(_("提醒所依日期"))
    period = models.PositiveIntegerField(_("周期"), default=0)
    run = models.CharField(_("批次"), max_length=32)
    sent_at = models.DateTimeField(_("提醒时间"))

    class Meta:
        verbose_name = _("自动提醒记录")
        verbose_name_plural = _("自动提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "rule", "anchor", "period"], name="sent_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.rule_id} · {self.anchor} · {self.period}"
