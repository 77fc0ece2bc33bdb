"""督查文书: templates per office and kind, documents drafted from data, and their numbering.

Seed 001 第十四条(十二)(十三): 督办通知, 《督查工作通报》 and 《督查专报》; seed 004 第十九条: the
通报 with its commendations. The layout is GB/T 9704-2012 (documents/layout.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField
from duban.org.models import Unit

if TYPE_CHECKING:
    from duban.org.access import Action


class DocKind(models.TextChoices):
    NOTICE = "notice", _("督查通知")
    REMINDER = "reminder", _("催办单/督办单")
    BULLETIN = "bulletin", _("督查通报")
    REPORT = "report", _("督查专报")


class DocState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


# The placeholders a template's texts may use; drafting.values() fills them.
PLACEHOLDERS = {
    "office": _("发文单位"),
    "title": _("事项名称或专报题目"),
    "units": _("承办单位"),
    "lead": _("主办单位"),
    "date": _("办理时限"),
    "source": _("事项来源"),
    "period": _("通报期间"),
    "form": _("催办单或督办单"),
    "data": _("由数据生成的正文"),
    "year": _("年份"),
}


class DocumentTemplate(models.Model):
    """An office's wording and layout settings for one kind of document.

    Rows without an office are the presets (migration 0002) every office starts from; an office's
    first edit makes its own row (documents/actions.py update_template).
    """

    kind = models.CharField(_("文书类型"), max_length=16, choices=DocKind.choices)
    office_unit = models.ForeignKey(
        Unit,
        verbose_name=_("发文单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_templates",
    )
    issuer_mark = models.CharField(_("发文机关标志"), max_length=40, help_text=_("例:{office}文件"))
    number_prefix = models.CharField(
        _("发文字号代字"), max_length=20, help_text=_("例:济政督,发文字号即 济政督〔2026〕3号")
    )
    mark_top_mm = models.PositiveSmallIntegerField(
        _("版头留空(毫米)"),
        default=35,
        help_text=_("发文机关标志上边缘至版心上边缘的距离;GB/T 9704 文件格式为 35 毫米"),
    )
    title_template = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送"), max_length=500, blank=True)
    body_template = models.TextField(_("正文"))
    closing = models.CharField(_("结束语"), max_length=200, blank=True)
    signature = models.CharField(_("署名"), max_length=100)
    copy_to = models.CharField(_("抄送"), max_length=500, blank=True)
    title_font = models.CharField(_("标题字体"), max_length=40, default="方正小标宋简体")
    body_font = models.CharField(_("正文字体"), max_length=40, default="仿宋_GB2312")
    heading_font = models.CharField(_("一级标题字体"), max_length=40, default="黑体")
    kai_font = models.CharField(_("二级标题字体"), max_length=40, default="楷体_GB2312")
    page_font = models.CharField(_("页码字体"), max_length=40, default="宋体")
    font_fallbacks = models.TextField(
        _("替代字体"),
        blank=True,
        help_text=_("每行一项「正式字体=替代字体」,未安装正式字体的电脑按此替代"),
    )
    use_fallback_fonts = models.BooleanField(
        _("直接使用替代字体"),
        default=False,
        help_text=_("本单位电脑未安装方正小标宋、仿宋_GB2312 等字体时勾选"),
    )
    updated_at = StampField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "office_unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["office_unit", "kind"], name="doctemplate_office_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(office_unit__isnull=True), name="doctemplate_preset"
            ),
        ]

    def __str__(self) -> str:
        owner = self.office_unit.name if self.office_unit else _("预设")
        return f"{owner} · {self.get_kind_display()}"

    def fallbacks(self) -> dict[str, str]:
        pairs = (line.split("=", 1) for line in self.font_fallbacks.splitlines() if "=" in line)
        return {official.strip(): other.strip() for official, other in pairs}


class DocumentQuerySet(models.QuerySet["Document"]):
    def restrict(self, user: Any, action: Action | str = "view") -> DocumentQuerySet:
        from duban.documents.access import document_q

        return self.filter(document_q(user, action))


class Document(models.Model):
    kind = models.CharField(_("文书类型"), max_length=16, choices=DocKind.choices)
    state = models.CharField(
        _("状态"), max_length=8, choices=DocState.choices, default=DocState.DRAFT
    )
    office_unit = models.ForeignKey(
        Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送"), max_length=500, blank=True)
    body = models.TextField(_("正文"))
    closing = models.CharField(_("结束语"), max_length=200, blank=True)
    signature = models.CharField(_("署名"), max_length=100)
    copy_to = models.CharField(_("抄送"), max_length=500, blank=True)
    # The colour of a 催办单/督办单: the item's light when it was drafted.
    light = models.CharField(_("灯"), max_length=8, blank=True)
    period_start = models.DateField(_("通报起始日期"), null=True, blank=True)
    period_end = models.DateField(_("通报截止日期"), null=True, blank=True)
    items = models.ManyToManyField(
        "items.Item", verbose_name=_("相关事项"), blank=True, related_name="documents"
    )
    # Units that read the issued document (主送 units: an item's handling units, a 通报's units).
    addressees = models.ManyToManyField(
        Unit, verbose_name=_("主送单位"), blank=True, related_name="addressed_documents"
    )
    number = models.CharField(_("发文字号"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    docx = models.FileField(_("DOCX 文件"), upload_to="documents/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="drafted_documents",
    )
    created_at = StampField(_("拟稿时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_documents",
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    # Optimistic concurrency, as items: every action updates WHERE version = the version it read.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查文书")
        verbose_name_plural = _("督查文书")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The second guard behind the counter: one 文号 per office, kind and year.
            models.UniqueConstraint(
                fields=["office_unit", "kind", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="document_unique_serial",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "state"], name="document_kind_year")]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_draft(self) -> bool:
        return self.state == DocState.DRAFT


class DocumentCounter(models.Model):
    """The last 发文字号 serial per (office, kind, year), locked while a document is issued."""

    office_unit = models.ForeignKey(Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT)
    kind = models.CharField(_("文书类型"), max_length=16, choices=DocKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("发文字号计数")
        verbose_name_plural = _("发文字号计数")
        constraints = [
            models.UniqueConstraint(
                fields=["office_unit", "kind", "year"], name="doccounter_office_kind_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_unit_id} {self.kind} {self.year}: {self.last}"
