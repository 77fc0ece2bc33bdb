"""The escalation ladder and the accountability ladder as data, and what they propose.

A `Preset` is one jurisdiction's pair of ladders taken from a seed (Jinan 004 第二十条, Mianyang
002 第二十九条/第三十条, Qijiang 000 第三十四条); exactly one preset is active, chosen by a row, not
by code (shared/DESIGN.md principle 1). The rules only **propose**: an `Escalation` waits for the
office to apply or dismiss it, a `Proposal` for an office head or leader to accept, change or
reject it. Nothing is sanctioned automatically.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duban.org.models import Role, Unit


class Measure(models.TextChoices):
    """Escalation measures (催办 → 督办 → …) and accountability measures (通报批评 → …)."""

    REMIND = "remind", _("催办")
    SUPERVISE = "supervise", _("督办(督办通知)")
    LETTER = "letter", _("函告")
    NOTICE = "notice", _("通报")
    INTERVIEW = "interview", _("约谈")
    SPECIAL = "special", _("专项督查")
    ACCOUNTABILITY = "accountability", _("问责")
    CRITICISM = "criticism", _("通报批评")
    ADMONITION = "admonition", _("诫勉谈话")
    DISCIPLINE = "discipline", _("组织处理或纪律处分")


class Applier(models.TextChoices):
    """Who applies an escalation step; a higher role may apply a lower one's step."""

    OFFICE = Role.OFFICE.value, _("督查工作人员")
    OFFICE_HEAD = Role.OFFICE_HEAD.value, _("督查室负责人")
    LEADER = Role.LEADER.value, _("领导")


class LadderTrigger(models.TextChoices):
    OVERDUE = "overdue", _("逾期工作日数")
    RETURNED = "returned", _("退回重办次数")


class ProposalTrigger(models.TextChoices):
    LATE = "late", _("逾期未完成或逾期办结")
    COUNT = "count", _("年度内已采取某措施的次数")
    UNIMPROVED = "unimproved", _("采取措施后逾期工作日数仍未办结")


class PresetQuerySet(models.QuerySet["Preset"]):
    def current(self) -> Preset | None:
        return self.filter(active=True).first()


class Preset(models.Model):
    code = models.SlugField(_("预设代码"), max_length=32, unique=True)
    name = models.CharField(_("预设名称"), max_length=100)
    jurisdiction = models.CharField(_("适用地区"), max_length=50)
    source = models.CharField(_("依据"), max_length=200)
    active = models.BooleanField(_("当前启用"), default=False)

    objects = PresetQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办问责预设")
        verbose_name_plural = _("督办问责预设")
        ordering = ["code"]
        constraints = [
            # The active preset is a row: at most one at a time.
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="assessment_one_active_preset"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LadderRule(models.Model):
    """One step of the escalation ladder: at `threshold` (working days overdue, or times
    returned) the system proposes `measure`, which `applier` then applies or dismisses."""

    preset = models.ForeignKey(
        Preset, verbose_name=_("预设"), on_delete=models.CASCADE, related_name="ladder"
    )
    step = models.PositiveSmallIntegerField(_("步骤"))
    measure = models.CharField(_("措施"), max_length=16, choices=Measure.choices)
    trigger = models.CharField(
        _("触发条件"), max_length=16, choices=LadderTrigger.choices, default=LadderTrigger.OVERDUE
    )
    threshold = models.PositiveSmallIntegerField(
        _("阈值"), help_text=_("逾期的工作日数(0 即逾期当日起),或退回重办的次数。")
    )
    applier = models.CharField(_("决定人"), max_length=16, choices=Applier.choices)
    veto = models.BooleanField(
        _("一票否决"), default=False, help_text=_("采取该措施的单位在年度考核中一票否决。")
    )
    article = models.CharField(_("条款依据"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("督办升级规则")
        verbose_name_plural = _("督办升级规则")
        ordering = ["preset", "step"]
        constraints = [
            models.UniqueConstraint(fields=["preset", "step"], name="ladder_rule_unique_step"),
        ]

    def __str__(self) -> str:
        return f"{self.preset.code} {self.step}. {self.get_measure_display()}"


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    APPLIED = "applied", _("已采取")
    DISMISSED = "dismissed", _("不采取")


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def restrict(self, user: Any, action: str = "view") -> EscalationQuerySet:
        from duban.assessment.access import escalation_q

        return self.filter(escalation_q(user, action))


class Escalation(models.Model):
    item = models.ForeignKey(
        "items.Item", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="escalations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="escalations"
    )
    rule = models.ForeignKey(
        LadderRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="escalations"
    )
    step = models.PositiveSmallIntegerField(_("步骤"))
    measure = models.CharField(_("措施"), max_length=16, choices=Measure.choices)
    proposed_at = models.DateTimeField(_("提出时间"))
    # The escalate() run that inserted the row: the new rows of a run are found by it.
    batch = models.CharField(_("批次"), max_length=32, editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=DecisionState.choices, default=DecisionState.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办升级")
        verbose_name_plural = _("督办升级")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # A step is proposed once per item, however often the sweep runs.
            models.UniqueConstraint(fields=["item", "rule"], name="escalation_once_per_step"),
        ]
        indexes = [
            models.Index(fields=["batch"], name="escalation_batch"),
            models.Index(fields=["state", "proposed_at"], name="escalation_state"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_measure_display()}"


class AccountabilityRule(models.Model):
    """One rung of the accountability ladder (seed 004 第二十条 for the Jinan preset)."""

    preset = models.ForeignKey(
        Preset, verbose_name=_("预设"), on_delete=models.CASCADE, related_name="accountability"
    )
    step = models.PositiveSmallIntegerField(_("步骤"))
    trigger = models.CharField(_("触发条件"), max_length=16, choices=ProposalTrigger.choices)
    threshold = models.PositiveSmallIntegerField(
        _("阈值"),
        help_text=_("逾期:逾期工作日数;次数:年度内次数;未改进:采取措施后的工作日数。"),
    )
    counted_measure = models.CharField(
        _("所计措施"), max_length=16, choices=Measure.choices, blank=True
    )
    measure = models.CharField(_("建议措施"), max_length=16, choices=Measure.choices)
    refer_to_discipline = models.BooleanField(_("移交纪检监察机关"), default=False)
    basis = models.TextField(_("依据条文"))
    article = models.CharField(_("条款依据"), max_length=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问责规则")
        verbose_name_plural = _("问责规则")
        ordering = ["preset", "step"]
        constraints = [
            models.UniqueConstraint(fields=["preset", "step"], name="accountability_unique_step"),
        ]

    def __str__(self) -> str:
        return f"{self.preset.code} {self.step}. {self.get_measure_display()}"


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    ACCEPTED = "accepted", _("同意")
    CHANGED = "changed", _("变更措施")
    REJECTED = "rejected", _("不予问责")


# Decisions that put a measure on the unit's record (and count towards the yearly ladder).
TAKEN = (ProposalState.ACCEPTED, ProposalState.CHANGED)
DECIDED = (*TAKEN, ProposalState.REJECTED)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def restrict(self, user: Any, action: str = "view") -> ProposalQuerySet:
        from duban.assessment.access import proposal_q

        return self.filter(proposal_q(user, action))


class Proposal(models.Model):
    # "r<rule>:i<item>", "r<rule>:u<unit>:y<year>" or "r<rule>:p<proposal>": unique, so each
    # ground is proposed once however often the sweep runs.
    key = models.CharField(_("建议键"), max_length=64, unique=True, editable=False)
    rule = models.ForeignKey(
        AccountabilityRule,
        verbose_name=_("规则"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="proposals"
    )
    item = models.ForeignKey(
        "items.Item",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    measure = models.CharField(_("建议措施"), max_length=16, choices=Measure.choices)
    basis = models.TextField(_("依据"))
    # The calendar year the measure counts in: the year proposed, then the year decided.
    year = models.PositiveSmallIntegerField(_("年度"))
    proposed_at = models.DateTimeField(_("提出时间"))
    batch = models.CharField(_("批次"), max_length=32, editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_measure = models.CharField(
        _("决定措施"), max_length=16, choices=Measure.choices, blank=True
    )
    reason = models.TextField(_("理由"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责建议")
        verbose_name_plural = _("问责建议")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "year", "state"], name="proposal_unit_year"),
            models.Index(fields=["state", "proposed_at"], name="proposal_state"),
            models.Index(fields=["batch"], name="proposal_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_measure_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == ProposalState.PROPOSED
