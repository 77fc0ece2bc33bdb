"""专项台账: a saved ledger view, shared within the office that made it (seed 001 第二十二条:
「综合台账+专项台账」). A 专项台账 by source, leader, unit, campaign or tag is simply saved filters.

A saved view holds parameters, never items: whoever opens one still sees only the items their own
`restrict` allows, so sharing a view can never show a colleague an item outside their scope.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField
from duban.org.models import Membership, Role, Unit


class SavedViewQuerySet(models.QuerySet["SavedView"]):
    def visible_to(self, user: Any) -> SavedViewQuerySet:
        """Views of the units `user` belongs to (an active membership in any role)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        units = Membership.objects.active().filter(user_id=user.pk).values("unit_id")
        return self.filter(owner_unit__in=units)


class SavedView(models.Model):
    name = models.CharField(_("名称"), max_length=50)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="saved_views"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="saved_views",
    )
    # The ledger's GET parameters as strings (ledgers/filters.py FILTER_KEYS), blank ones left out.
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    columns = models.JSONField(_("显示列"), default=list, blank=True)
    sort = models.CharField(_("排序"), max_length=16, blank=True)
    created_at = StampField(_("创建时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项台账")
        verbose_name_plural = _("专项台账")
        ordering = ["owner_unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def editable_by(self, user: Any) -> bool:
        """The creator, and the office heads of the owning unit."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return True
        if self.created_by_id is not None and self.created_by_id == user.pk:
            return True
        heads = Membership.objects.active().filter(
            user_id=user.pk, unit_id=self.owner_unit_id, role=Role.OFFICE_HEAD
        )
        return heads.exists()


# The dashboards' rule row lives beside the dashboards (dashboard_rules.py); imported here so
# Django registers it with this app.
from duban.ledgers.dashboard_rules import DashboardRule  # noqa: E402, F401


class FigureSnapshot(models.Model):
    """The dashboards' counts over one scope and window, kept so a leader's page need not read a
    province's million items on every view (ledgers/figure_cache.py says when one is used).

    A derived copy, not domain state: it may be dropped at any time and is computed again."""

    key = models.CharField(_("键"), max_length=64, unique=True)
    scope = models.JSONField(_("范围"))
    window = models.JSONField(_("统计期"))
    figures = models.JSONField(_("数字"))
    overdue = models.JSONField(_("逾期清单"), default=list)  # the first ids, as the page lists
    day = models.DateField(_("统计日"))
    seq = models.BigIntegerField(_("事件序号"))
    cost_ms = models.PositiveIntegerField(_("统计用时（毫秒）"))
    computed_at = models.DateTimeField(_("统计时间"))
    viewed_at = models.DateTimeField(_("最近查看"), db_index=True)

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")

    def __str__(self) -> str:
        return f"{self.key[:12]} {self.computed_at:%Y-%m-%d %H:%M}"


class KeywordTerm(models.Model):
    """A keyword whose whole-tree count is kept (ledgers/keyword_tally.py)."""

    term = models.TextField(_("关键词"), unique=True)
    tracked_at = models.DateTimeField(_("开始计数时间"))

    class Meta:
        managed = False
        db_table = "ledgers_keyword_term"
        verbose_name = _("常用关键词")

    def __str__(self) -> str:
        return self.term


class KeywordTally(models.Model):
    """A delta of the number of items that are not 涉密 and hold a kept keyword, by state, source
    and due date (grain 0), or by state and source over all days (grain 1; due_date NULL)
    (ledgers/keyword_tally.py)."""

    id = models.BigAutoField(primary_key=True)
    term_id = models.IntegerField(_("关键词"))
    grain = models.SmallIntegerField(_("粒度"))
    state = models.CharField(_("状态"), max_length=24)
    source = models.CharField(_("来源"), max_length=24)
    due_date = models.DateField(_("办理时限"), null=True)
    n = models.BigIntegerField(_("件数"))

    class Meta:
        managed = False
        db_table = "ledgers_keyword_tally"
        verbose_name = _("常用关键词计数")

    def __str__(self) -> str:
        return f"{self.term_id}/{self.grain}/{self.state}/{self.source}/{self.due_date}: {self.n}"
