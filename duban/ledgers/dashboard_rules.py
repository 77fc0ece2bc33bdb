"""The dashboards' own rules (issue 6 item 3), kept as an editable row with a preset.

A unit, source or leader is ranked by its on-time completion rate only once it has completed
enough items for the rate to mean something: five items completed within one completion is
100 % — ranking on it would reward the unit that did the least. The preset numbers are the
office's own choice (the seeds give none); the reporting-load mark answers the 2024
《整治形式主义为基层减负若干规定》, which asks offices to watch how often they make units report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardRule(models.Model):
    min_sample = models.PositiveSmallIntegerField(
        _("排名最少办结件数"),
        default=5,
        help_text=_("期内办结不足此数的单位、来源或领导不参与按期办结率排名,列为「样本不足」。"),
    )
    overdue_top = models.PositiveSmallIntegerField(
        _("逾期清单显示条数"), default=10, help_text=_("统计分析页逾期事项清单列出的条数。")
    )
    report_load_warn = models.PositiveSmallIntegerField(
        _("报送负担提示线"),
        default=8,
        help_text=_("按报告频次,一个单位每月应报进展报告超过此数即标示为负担偏重。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects: models.Manager[DashboardRule] = models.Manager()

    class Meta:
        verbose_name = _("统计分析规则")
        verbose_name_plural = _("统计分析规则")

    def __str__(self) -> str:
        return str(_("统计分析规则"))


@dataclass(frozen=True)
class Rules:
    min_sample: int
    overdue_top: int
    report_load_warn: float


# Migration ledgers 0002's preset; used only if an administrator deleted the row.
PRESET = Rules(min_sample=5, overdue_top=10, report_load_warn=8)


def current_rules() -> Rules:
    row = DashboardRule.objects.order_by("pk").first()
    if row is None:
        return PRESET
    return Rules(row.min_sample, row.overdue_top, row.report_load_warn)
