"""Rules about items that offices set as data: lights, reporting cadence, answer codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportCadence(models.TextChoices):
    """How often the lead unit reports progress (seed 004 第十七条: long items weekly)."""

    NONE = "none", _("不定期")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class Outcome(models.TextChoices):
    """办理结果 recorded at acceptance (the A/B/C/D answer codes of 建议提案办理)."""

    SOLVED = "A", _("A 已解决")
    SOLVING = "B", _("B 正在解决")
    PLANNED = "C", _("C 列入计划")
    REFERENCE = "D", _("D 留作参考")


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("全体会议")
    STANDING = "standing", _("常务会议")
    TOPICAL = "topical", _("专题会议")
    ON_SITE = "on_site", _("现场办公会议")
    JOINT = "joint", _("联席会议")


class LightRule(models.Model):
    """When an open item turns yellow: due within this many working days (red once overdue).

    A row with an empty source is the default; a row for a source overrides it.
    """

    source = models.CharField(_("来源"), max_length=24, blank=True, unique=True)
    yellow_within = models.PositiveSmallIntegerField(
        _("黄灯提前工作日数"), help_text=_("距办理时限不超过此工作日数即亮黄灯。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("红黄绿灯规则")
        verbose_name_plural = _("红黄绿灯规则")
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.source or '默认'}: {self.yellow_within}"
