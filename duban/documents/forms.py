"""Forms of the 督查文书 pages: they parse; documents/actions.py validates and changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.documents.models import DocKind, DocumentTemplate
from duban.org.forms import TablerForm
from duban.org.models import Unit

ROWS = {"body": 18, "body_template": 12, "font_fallbacks": 5}


class OfficeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _OfficeForm(TablerForm):
    office = OfficeField(label=_("发文单位"), queryset=Unit.objects.none(), empty_label=None)

    def __init__(self, *args: Any, offices: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["office"]
        field.queryset = Unit.objects.filter(pk__in=[o.pk for o in offices]).order_by("path")
        if offices:
            field.initial = offices[0].pk


class BulletinForm(_OfficeForm):
    period_start = forms.DateField(
        label=_("通报起始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("通报截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportForm(_OfficeForm):
    topic = forms.CharField(label=_("专报题目"), max_length=200)
    items = forms.CharField(
        label=_("相关事项编号"),
        required=False,
        help_text=_("事项详情页地址中的编号,多个用逗号或空格分隔"),
    )

    def clean_items(self) -> list[int]:
        raw = str(self.cleaned_data.get("items") or "").replace(",", ",").replace(",", " ")
        parts = raw.split()
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("相关事项编号只能是数字,多个用逗号或空格分隔。"))
        return [int(part) for part in parts]


class DocumentForm(TablerForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    recipients = forms.CharField(label=_("主送"), max_length=500, required=False)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": ROWS["body"]}),
        help_text=_("每段一行;「一、」开头的行排为黑体一级标题,「(一)」开头的行排为楷体二级标题"),
    )
    closing = forms.CharField(label=_("结束语"), max_length=200, required=False)
    signature = forms.CharField(label=_("署名"), max_length=100)
    copy_to = forms.CharField(label=_("抄送"), max_length=500, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TemplateForm(forms.ModelForm, TablerForm):
    class Meta:
        model = DocumentTemplate
        fields = [
            "issuer_mark",
            "number_prefix",
            "mark_top_mm",
            "title_template",
            "recipients",
            "body_template",
            "closing",
            "signature",
            "copy_to",
            "title_font",
            "body_font",
            "heading_font",
            "kai_font",
            "page_font",
            "font_fallbacks",
            "use_fallback_fonts",
        ]
        widgets = {
            "body_template": forms.Textarea(attrs={"rows": ROWS["body_template"]}),
            "font_fallbacks": forms.Textarea(attrs={"rows": ROWS["font_fallbacks"]}),
        }


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("文书类型"),
        choices=[("", _("全部类型")), *DocKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
