"""Forms for the calendar pages: they parse and offer choices; year_loading and actions check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.org.forms import TablerForm
from duban.workdays.arrays import HORIZON_FIRST, HORIZON_LAST
from duban.workdays.models import NATIONAL, DeadlineKind, Region

LINES_HELP = _(
    "每行一项:「名称 开始日期 结束日期」为放假,「调休上班 日期」为调休上班日,"
    "例如「春节 2027-02-06 2027-02-13」「调休上班 2027-02-14」。也可上传文件。"
)
FILE_HELP = _("CSV 或 XLSX,第一行为列名:名称、开始日期、结束日期、调休上班日期。")


def next_year() -> int:
    return clock.today().year + 1


class LoadYearForm(TablerForm):
    year = forms.IntegerField(
        label=_("年份"), min_value=HORIZON_FIRST.year, max_value=HORIZON_LAST.year
    )
    region = forms.ModelChoiceField(
        label=_("地区"), queryset=Region.objects.all(), to_field_name="code", empty_label=None
    )
    source = forms.CharField(
        label=_("文号"), max_length=100, help_text=_("例如 国办发明电〔2026〕7号")
    )
    lines = forms.CharField(
        label=_("放假安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=LINES_HELP,
    )
    file = forms.FileField(label=_("或上传文件"), required=False, help_text=FILE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": next_year(), "region": NATIONAL})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not cleaned.get("lines", "").strip() and not cleaned.get("file"):
            self.add_error("lines", _("请逐行填写放假安排,或上传文件。"))
        return cleaned


class RuleForm(TablerForm):
    name = forms.CharField(label=_("规则名称"), max_length=50)
    kind = forms.ChoiceField(label=_("计算方式"), choices=DeadlineKind.choices)
    count = forms.IntegerField(label=_("期限"), min_value=1, max_value=1000)
    max_extension = forms.IntegerField(
        label=_("延期总上限"),
        required=False,
        min_value=0,
        max_value=1000,
        help_text=_("各次延期合计不得超过此数;留空即不设上限。"),
    )
    article = forms.CharField(label=_("依据条款"), max_length=100, required=False)
    basis = forms.CharField(
        label=_("条款原文"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    active = forms.BooleanField(label=_("启用"), required=False)
    sort_order = forms.IntegerField(label=_("排序"))
