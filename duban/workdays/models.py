"""Working-day calendars as data: a national layer, regional overlays, versions, year status.

A date that is not listed follows the weekly rule (Monday to Friday work, weekends off). A
`DayOverride` states the exception: a holiday (is_workday False, including the weekend days
inside a holiday run, so the run keeps its name) or a swapped working day (调休, is_workday True).
Every change is stamped with the `CalendarVersion` it belongs to; deadline arithmetic is cached per
version (shared/DESIGN.md 「Calendar and deadlines」).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField

NATIONAL = "CN"


class Region(models.Model):
    """The national calendar ("CN") or a region whose own days overlay it (e.g. "XJ" 新疆)."""

    code = models.CharField(_("地区代码"), max_length=8, unique=True)
    name = models.CharField(_("地区名称"), max_length=50)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("日历地区")
        verbose_name_plural = _("日历地区")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def is_national(self) -> bool:
        return self.code == NATIONAL


class CalendarVersion(models.Model):
    """One applied change to any calendar; `number` only grows, deadlines report it."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    created_at = StampField(_("创建时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"


class DayOverride(models.Model):
    """A date whose status differs from the weekly rule, with its name and source 文号."""

    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="days"
    )
    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("名称"), max_length=100, blank=True)
    source = models.CharField(_("依据文号"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = StampField(_("录入时间"), auto_now_add=True)
    version = models.ForeignKey(
        CalendarVersion, verbose_name=_("日历版本"), on_delete=models.PROTECT, related_name="days"
    )

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["region", "date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="day_override_unique_date"),
        ]

    def __str__(self) -> str:
        state = _("上班") if self.is_workday else _("休息")
        return f"{self.region.code} {self.date} {self.name} {state}"


class YearState(models.TextChoices):
    OFFICIAL = "official", _("正式")
    PROVISIONAL = "provisional", _("暂定")


class CalendarYear(models.Model):
    """Whether a region's year holds the official arrangement; a year without a row is 暂定."""

    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    state = models.CharField(_("状态"), max_length=12, choices=YearState.choices)
    source = models.CharField(_("依据文号"), max_length=100, blank=True)
    version = models.ForeignKey(
        CalendarVersion, verbose_name=_("日历版本"), on_delete=models.PROTECT, related_name="years"
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="calendar_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region.code} {self.year} {self.get_state_display()}"


class DeadlineKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    DAYS = "days", _("日")
    MONTHS = "months", _("个月")
    QUARTER_REPORT = "quarter_report", _("每季度结束后日内")


class DeadlineRule(models.Model):
    """The time limit for one source of items (seed 004 第十六条), editable by administrators.

    An item with an explicit time limit uses it instead (第十六条(一)(三)). `max_extension`
    caps the total of all extensions, in the rule's own unit: 人大建议 3 months, at most 6
    (第十六条(七)).
    Empty means no fixed cap: each extension is applied for and decided (第十八条).
    """

    name = models.CharField(_("规则名称"), max_length=50, unique=True)
    kind = models.CharField(_("计算方式"), max_length=16, choices=DeadlineKind.choices)
    count = models.PositiveSmallIntegerField(_("期限"))
    max_extension = models.PositiveSmallIntegerField(
        _("延期总上限"),
        null=True,
        blank=True,
        help_text=_("各次延期合计不得超过此数;留空即不设上限。"),
    )
    article = models.CharField(_("依据条款"), max_length=100, blank=True)
    basis = models.TextField(_("条款原文"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.IntegerField(_("排序"), default=0)
    updated_at = StampField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def period_text(self) -> str:
        if self.kind == DeadlineKind.QUARTER_REPORT:
            return gettext("每季度结束后%(n)d日内") % {"n": self.count}
        return f"{self.count}{self.get_kind_display()}"
