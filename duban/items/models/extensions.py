"""延期申请 (seed 004 第十八条): asked before the deadline, decided by an office head."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField
from duban.org.models import Unit


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")
    WITHDRAWN = "withdrawn", _("已撤回")


class ExtensionRequest(models.Model):
    item = models.ForeignKey(
        "items.Item", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("延期理由"))
    progress = models.TextField(_("目前进展"))
    next_steps = models.TextField(_("下步措施"))
    requested_date = models.DateField(_("申请延至"))
    # The due date when asked: the original and each extended deadline stay visible.
    due_before = models.DateField(_("原办理时限"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    granted_date = models.DateField(_("批准延至"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = StampField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One pending request per item at a time: a second would race the first decision.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.requested_date}"
