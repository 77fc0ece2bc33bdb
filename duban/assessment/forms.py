"""Forms of the 督办与问责 pages: they parse; assessment/actions.py validates and decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.assessment.models import DecisionState, Measure, ProposalState
from duban.org.forms import TablerForm
from duban.org.models import Unit

ACCOUNTABILITY_MEASURES = [
    (m.value, m.label) for m in (Measure.CRITICISM, Measure.ADMONITION, Measure.DISCIPLINE)
]
DECISION_CHOICES = [
    ("accept", _("同意")),
    ("change", _("变更措施")),
    ("reject", _("不予问责")),
]


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ProposalFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), choices=_blank(_("全部状态")) + ProposalState.choices, required=False
    )
    measure = forms.ChoiceField(
        label=_("措施"), choices=_blank(_("全部措施")) + Measure.choices, required=False
    )
    unit = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("全部单位"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2099, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        for bound in self.fields.values():
            bound.widget.attrs.setdefault("class", "form-select")
        self.fields["year"].widget.attrs.update({"class": "form-control", "placeholder": _("年度")})


class EscalationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), choices=_blank(_("全部状态")) + DecisionState.choices, required=False
    )
    measure = forms.ChoiceField(
        label=_("措施"), choices=_blank(_("全部措施")) + Measure.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select")


class DecideForm(TablerForm):
    """同意 / 变更措施 / 不予问责, always with a reason, on the version the person saw."""

    decision = forms.ChoiceField(
        label=_("决定"), choices=DECISION_CHOICES, widget=forms.RadioSelect, initial="accept"
    )
    measure = forms.ChoiceField(
        label=_("变更为"), choices=_blank(_("(变更措施时选择)")) + Measure.choices, required=False
    )
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea({"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscalationDecideForm(TablerForm):
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("apply", _("采取")), ("dismiss", _("不采取"))]
    )
    reason = forms.CharField(label=_("理由"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
