"""Forms for the rule pages: they parse and offer choices; rulesets/actions.py checks.

Numbers carry no bounds here so that the action's message, which names the field, is the one
shown (as workdays.forms.RuleForm leaves the name check to its action).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.assessment.models import Applier, LadderTrigger, Measure, Preset, ProposalTrigger
from duban.items.models import ItemSource, ReminderKind, ReminderRecipient
from duban.org.forms import TablerForm
from duban.workdays.models import DeadlineRule

DEFAULT_SOURCE = [("", _("默认(所有来源)"))]
MESSAGE_HELP = _(
    "可用占位符:{title} 事项名称、{date} 相关日期、{unit} 主办单位、{days} 工作日数、{year} 年份"
)


class LightRuleForm(TablerForm):
    yellow_within = forms.IntegerField(
        label=_("黄灯提前工作日数"), help_text=_("距办理时限不超过此工作日数即亮黄灯。")
    )
    note = forms.CharField(label=_("说明"), required=False)


class NewLightRuleForm(LightRuleForm):
    source = forms.ChoiceField(label=_("来源"), choices=ItemSource.choices)
    field_order = ["source", "yellow_within", "note"]


class DashboardRuleForm(TablerForm):
    min_sample = forms.IntegerField(
        label=_("排名最少办结件数"),
        help_text=_("期内办结不足此数的单位、来源或领导不参与按期办结率排名。"),
    )
    overdue_top = forms.IntegerField(label=_("逾期清单显示条数"))
    report_load_warn = forms.IntegerField(
        label=_("报送负担提示线"), help_text=_("每月应报进展报告超过此数即标为负担偏重。")
    )
    note = forms.CharField(label=_("说明"), required=False)


class ReminderRuleForm(TablerForm):
    source = forms.ChoiceField(
        label=_("来源"), choices=DEFAULT_SOURCE + list(ItemSource.choices), required=False
    )
    kind = forms.ChoiceField(label=_("提醒类型"), choices=ReminderKind.choices)
    days = forms.IntegerField(label=_("工作日数"))
    recipients = forms.ChoiceField(label=_("提醒对象"), choices=ReminderRecipient.choices)
    message = forms.CharField(
        label=_("提醒内容"), widget=forms.Textarea(attrs={"rows": 3}), help_text=MESSAGE_HELP
    )
    active = forms.BooleanField(label=_("启用"), required=False)
    note = forms.CharField(label=_("说明"), required=False)


class SourceRuleForm(TablerForm):
    rule = forms.ModelChoiceField(
        label=_("期限规则"), queryset=DeadlineRule.objects.filter(active=True), empty_label=None
    )


class NewSourceRuleForm(SourceRuleForm):
    source = forms.ChoiceField(label=_("来源"), choices=ItemSource.choices)
    field_order = ["source", "rule"]


class LadderRuleForm(TablerForm):
    measure = forms.ChoiceField(label=_("措施"), choices=Measure.choices)
    trigger = forms.ChoiceField(label=_("触发条件"), choices=LadderTrigger.choices)
    threshold = forms.IntegerField(
        label=_("阈值"), help_text=_("逾期的工作日数(0 即逾期当日起),或退回重办的次数。")
    )
    applier = forms.ChoiceField(label=_("决定人"), choices=Applier.choices)
    veto = forms.BooleanField(label=_("一票否决"), required=False)
    article = forms.CharField(label=_("条款依据"), required=False)
    active = forms.BooleanField(label=_("启用"), required=False)


class NewStepFields(forms.Form):
    preset = forms.ModelChoiceField(
        label=_("预设"), queryset=Preset.objects.order_by("pk"), empty_label=None
    )
    step = forms.IntegerField(label=_("步骤"), help_text=_("同一预设内不重复;按步骤号依次升级。"))


class NewLadderRuleForm(NewStepFields, LadderRuleForm):
    field_order = ["preset", "step"]


class AccountabilityRuleForm(TablerForm):
    trigger = forms.ChoiceField(label=_("触发条件"), choices=ProposalTrigger.choices)
    threshold = forms.IntegerField(
        label=_("阈值"),
        help_text=_("逾期:逾期工作日数;次数:年度内次数;未改进:采取措施后的工作日数。"),
    )
    counted_measure = forms.ChoiceField(
        label=_("所计措施"), choices=[("", "—"), *Measure.choices], required=False
    )
    measure = forms.ChoiceField(label=_("建议措施"), choices=Measure.choices)
    refer_to_discipline = forms.BooleanField(label=_("移交纪检监察机关"), required=False)
    basis = forms.CharField(label=_("依据条文"), widget=forms.Textarea(attrs={"rows": 4}))
    article = forms.CharField(label=_("条款依据"))
    active = forms.BooleanField(label=_("启用"), required=False)


class NewAccountabilityRuleForm(NewStepFields, AccountabilityRuleForm):
    field_order = ["preset", "step"]


def initial(row: Any, form_class: type[forms.Form]) -> dict[str, Any]:
    """The row's values for the fields the form has."""
    return {name: getattr(row, name) for name in form_class.base_fields}
