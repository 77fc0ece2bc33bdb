"""规则设置 pages: a hub, then a list and an edit form per rule family (like workdays' rules).

Administrators and office heads see them (access.py 「rule_settings」); editing needs the family's
resource 「item_rule」 or 「assessment_rule」 manage, the same check the actions make. The rows have
no version, so two people saving one rule is last-write-wins (both writes are in the audit log).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.assessment.actions import activate_preset
from duban.assessment.models import AccountabilityRule, LadderRule, Preset
from duban.core.http import AuthedRequest
from duban.items.models import ItemSource, LightRule, ReminderRule, SourceRule
from duban.ledgers.dashboard_rules import DashboardRule
from duban.org.access import can
from duban.rulesets import actions
from duban.rulesets import forms as rule_forms

NAV = "calendar"
Cells = Callable[[Any], list[Any]]


def _require(request: AuthedRequest, resource: str, action: str) -> None:
    if not can(request.user, resource, action):
        raise PermissionDenied(_("您没有权限执行此操作。"))


def _source(value: str) -> str:
    return str(dict(ItemSource.choices).get(value, value)) if value else _("默认(所有来源)")


def _on(flag: bool) -> str:
    return _("启用") if flag else _("停用")


def _yes(flag: bool) -> str:
    return _("是") if flag else ""


@dataclass(frozen=True)
class Family:
    slug: str
    title: Promise
    about: Promise
    model: type[models.Model]
    resource: str
    form: type[forms.Form]
    update: Callable[..., Any]
    headers: Sequence[Promise]
    cells: Cells
    new_form: type[forms.Form] | None = None
    create: Callable[..., Any] | None = None
    related: list[str] = field(default_factory=list)

    def rows(self) -> Any:
        return self.model.objects.select_related(*self.related)  # type: ignore[attr-defined]


L = gettext_lazy
FAMILIES = {
    family.slug: family
    for family in [
        Family(
            "lights",
            L("红黄绿灯规则"),
            L("距办理时限不超过几个工作日亮黄灯;某来源可另设。"),
            LightRule,
            "item_rule",
            rule_forms.LightRuleForm,
            actions.update_light_rule,
            [L("来源"), L("黄灯提前工作日数"), L("说明")],
            lambda r: [_source(r.source), r.yellow_within, r.note],
            rule_forms.NewLightRuleForm,
            actions.create_light_rule,
        ),
        Family(
            "reminders",
            L("提醒规则"),
            L("临期、到期、逾期催办等提醒的时机、对象和内容。"),
            ReminderRule,
            "item_rule",
            rule_forms.ReminderRuleForm,
            actions.update_reminder_rule,
            [L("来源"), L("提醒类型"), L("工作日数"), L("提醒对象"), L("提醒内容"), L("状态")],
            lambda r: [
                _source(r.source),
                r.get_kind_display(),
                r.days,
                r.get_recipients_display(),
                r.message,
                _on(r.active),
            ],
            rule_forms.ReminderRuleForm,
            actions.create_reminder_rule,
        ),
        Family(
            "sources",
            L("来源期限规则"),
            L("各来源的督查事项按哪条期限规则计算办理时限。"),
            SourceRule,
            "item_rule",
            rule_forms.SourceRuleForm,
            actions.update_source_rule,
            [L("来源"), L("期限规则")],
            lambda r: [r.get_source_display(), r.rule],
            rule_forms.NewSourceRuleForm,
            actions.create_source_rule,
            ["rule"],
        ),
        Family(
            "dashboard",
            L("统计分析规则"),
            L("按期办结率排名所需的最少办结件数、逾期清单条数和报送负担提示线。"),
            DashboardRule,
            "item_rule",
            rule_forms.DashboardRuleForm,
            actions.update_dashboard_rule,
            [L("排名最少办结件数"), L("逾期清单显示条数"), L("报送负担提示线"), L("说明")],
            lambda r: [r.min_sample, r.overdue_top, r.report_load_warn, r.note],
        ),
        Family(
            "ladder",
            L("督办升级规则"),
            L("逾期或退回重办达到阈值时提出的督办措施;阈值须随步骤递增。"),
            LadderRule,
            "assessment_rule",
            rule_forms.LadderRuleForm,
            actions.update_ladder_rule,
            [L("预设"), L("步骤"), L("措施"), L("触发条件"), L("阈值"), L("决定人"), L("状态")],
            lambda r: [
                r.preset,
                r.step,
                r.get_measure_display(),
                r.get_trigger_display(),
                r.threshold,
                r.get_applier_display(),
                _on(r.active),
            ],
            rule_forms.NewLadderRuleForm,
            actions.create_ladder_rule,
            related=["preset"],
        ),
        Family(
            "accountability",
            L("问责规则"),
            L("提出问责建议的条件和建议措施;同一条件的阈值须随步骤递增。"),
            AccountabilityRule,
            "assessment_rule",
            rule_forms.AccountabilityRuleForm,
            actions.update_accountability_rule,
            [
                *[L("预设"), L("步骤"), L("触发条件"), L("阈值"), L("所计措施")],
                *[L("建议措施"), L("移交纪检监察机关"), L("状态")],
            ],
            lambda r: [
                r.preset,
                r.step,
                r.get_trigger_display(),
                r.threshold,
                r.get_counted_measure_display(),
                r.get_measure_display(),
                _yes(r.refer_to_discipline),
                _on(r.active),
            ],
            rule_forms.NewAccountabilityRuleForm,
            actions.create_accountability_rule,
            related=["preset"],
        ),
    ]
}


def _family(slug: str) -> Family:
    try:
        return FAMILIES[slug]
    except KeyError:
        raise Http404(slug) from None


@login_required
def hub(request: AuthedRequest) -> HttpResponse:
    _require(request, "rule_settings", "view")
    families = [(family, family.model._default_manager.count()) for family in FAMILIES.values()]
    context = {
        "nav": NAV,
        "families": families,
        "presets": Preset.objects.all(),
        "can_activate": can(request.user, "unit", "manage"),
        "can_load": can(request.user, "calendar", "manage"),
    }
    return render(request, "rulesets/hub.html", context)


@login_required
def family_list(request: AuthedRequest, slug: str) -> HttpResponse:
    _require(request, "rule_settings", "view")
    family = _family(slug)
    context = {
        "nav": NAV,
        "family": family,
        "rows": [(row.pk, family.cells(row)) for row in family.rows()],
        "can_manage": can(request.user, family.resource, "manage"),
    }
    return render(request, "rulesets/list.html", context)


def _form_page(
    request: AuthedRequest, family: Family, form: forms.Form, title: str, pretitle: str
) -> HttpResponse:
    page = {
        "title": title,
        "pretitle": pretitle,
        "cancel_url": reverse("rulesets:list", args=[family.slug]),
        "nav": NAV,
    }
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page": page, "nav": NAV}
    return render(request, "org/form_page.html", context, status=status)


def _saved(request: AuthedRequest, family: Family) -> HttpResponse:
    messages.success(request, _("已保存%(family)s。") % {"family": family.title})
    return redirect("rulesets:list", family.slug)


@login_required
def row_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    _require(request, "rule_settings", "view")
    family = _family(slug)
    _require(request, family.resource, "manage")
    row = get_object_or_404(family.rows(), pk=pk)
    form: Any = family.form(request.POST or None, initial=rule_forms.initial(row, family.form))
    if request.method == "POST" and form.is_valid():
        try:
            family.update(row, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach_errors(error)
        else:
            return _saved(request, family)
    title = _("修改%(family)s") % {"family": family.title}
    return _form_page(request, family, form, title, str(row))


@login_required
def row_new(request: AuthedRequest, slug: str) -> HttpResponse:
    _require(request, "rule_settings", "view")
    family = _family(slug)
    if family.new_form is None or family.create is None:
        raise Http404(slug)
    _require(request, family.resource, "manage")
    form: Any = family.new_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family.create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach_errors(error)
        else:
            return _saved(request, family)
    title = _("新增%(family)s") % {"family": family.title}
    return _form_page(request, family, form, title, "")


@login_required
@require_POST
def preset_activate(request: AuthedRequest, pk: int) -> HttpResponse:
    _require(request, "rule_settings", "view")
    _require(request, "unit", "manage")
    preset = activate_preset(get_object_or_404(Preset, pk=pk), actor=request.user)
    messages.success(request, _("已启用督办问责预设「%(name)s」。") % {"name": preset.name})
    return redirect("rulesets:hub")
