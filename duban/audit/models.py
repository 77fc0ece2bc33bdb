"""The append-only event log. Each event stores the hash of the one before it (a hash chain)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.audit.types import EventType


class AppendOnlyError(RuntimeError):
    pass


class EventQuerySet(models.QuerySet["Event"]):
    def restrict(self, user: Any, action: str = "view") -> EventQuerySet:
        from duban.org.access import scope_q

        return self.filter(scope_q(user, action, "audit", path_field="unit__path"))

    def for_target(self, obj: models.Model) -> EventQuerySet:
        return self.filter(target_model=obj._meta.label_lower, target_id=str(obj.pk))


class Event(models.Model):
    seq = models.BigIntegerField(_("序号"), unique=True)
    # No `choices`: every app adds its own event types, and none of them should need a migration.
    type = models.PositiveSmallIntegerField(_("事件类型"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("相关单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_model = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    details = models.JSONField(_("详情"), default=dict)
    created_at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(_("前一事件哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_model", "target_id", "seq"], name="event_target"),
            models.Index(fields=["unit", "seq"], name="event_unit"),
            models.Index(fields=["type", "seq"], name="event_type"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events are append-only")

    @property
    def detail_lines(self) -> list[str]:
        from duban.audit.describe import describe

        return describe(self.target_model, self.details if isinstance(self.details, dict) else {})

    @property
    def type_label(self) -> str:
        try:
            return EventType(self.type).label
        except ValueError:
            return str(self.type)


class ChainHead(models.Model):
    """The newest event's sequence number and hash; one row, locked by every append."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("哈希链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class SweepMark(models.Model):
    """How far a backlog sweep has read: the day it last ran and the last event it had seen.

    A sweep over the late-item backlog (reminders every N days late, the escalation ladder,
    accountability for late items) need only look at the items whose period turned since that day
    and at the items some event touched since that event (audit/marks.py). The key names the rule
    and every setting that shapes its candidates, so an edited rule has no mark and sweeps afresh.
    """

    key = models.CharField(_("标记"), max_length=200, unique=True)
    day = models.DateField(_("日期"))
    seq = models.BigIntegerField(_("事件序号"))

    class Meta:
        verbose_name = _("巡检进度")

    def __str__(self) -> str:
        return f"{self.key} {self.day} #{self.seq}"
