"""Progress reports, co-units' input, final reports with sign-off (审签), and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField
from duban.org.models import Unit


class ReportKind(models.TextChoices):
    # seed 004 第十一条: the handling unit drafts its 工作方案 first thing after signing.
    PLAN = "plan", _("工作方案")
    PROGRESS = "progress", _("进展报告")
    CO_INPUT = "co_input", _("协办意见")  # seed 004 第十二条: co-units feed the lead unit
    FINAL = "final", _("办结报告")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    AWAITING_SIGNOFF = "awaiting_signoff", _("待审签")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")


class ProgressReport(models.Model):
    """One report by one unit. Reports on any item of a link group answer the whole group."""

    item = models.ForeignKey(
        "items.Item", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="item_reports"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ReportKind.choices)
    state = models.CharField(
        _("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    content = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步打算"), blank=True)
    # The cadence date this report answers; lateness is fixed when it is submitted.
    period_due = models.DateField(_("应报日期"), null=True, blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = StampField(_("填报时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审签人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("审签时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["item", "kind", "state"], name="report_item_kind"),
            models.Index(fields=["unit", "state"], name="report_unit_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.item}"


class Attachment(models.Model):
    """A file on a report or an item, kept under the data folder and served only after a check."""

    item = models.ForeignKey(
        "items.Item", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = StampField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
