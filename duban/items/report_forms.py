"""Forms of the units' and the office's report screens: progress, 协办意见, the final report and
its 审签, extension requests and their decision. They parse; reporting.py and extending.py validate
and save, and their errors come back onto the named fields (`attach_errors`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from duban.items.forms import DATE, VersionedForm

TEXT = forms.Textarea({"rows": 5})
SHORT_TEXT = forms.Textarea({"rows": 3})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); checked by content later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(upload, initial) for upload in data if upload]
        return [single(data, initial)] if data else []


def _files() -> MultipleFileField:
    # Named "file": attachments.check_upload reports its refusals on that field.
    return MultipleFileField(
        label=_("附件"),
        help_text=_("可多选。PDF、Word/WPS、Excel、OFD 或图片,按文件内容识别类型。"),
    )


class ReportForm(VersionedForm):
    """进展报告 and 办结报告: the same three parts (seed 004 第十七条 asks each of them)."""

    content = forms.CharField(label=_("进展情况"), widget=TEXT, max_length=20000)
    problems = forms.CharField(
        label=_("存在问题"), widget=SHORT_TEXT, required=False, max_length=20000
    )
    next_steps = forms.CharField(
        label=_("下步打算"), widget=SHORT_TEXT, required=False, max_length=20000
    )
    file = _files()


class FinalReportForm(ReportForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content"].label = _("办理情况")
        self.fields["content"].error_messages["required"] = _("办理情况不能为空。")


class PlanForm(VersionedForm):
    content = forms.CharField(
        label=_("工作方案"),
        widget=forms.Textarea({"rows": 10}),
        max_length=20000,
        help_text=_("目标任务、主要措施、时间安排和责任分工。"),
    )
    file = _files()


class CoInputForm(VersionedForm):
    content = forms.CharField(label=_("协办意见"), widget=TEXT, max_length=20000)
    file = _files()


class SignOffForm(VersionedForm):
    comment = forms.CharField(
        label=_("审签意见"), widget=SHORT_TEXT, required=False, max_length=2000
    )


class ExtensionRequestForm(VersionedForm):
    """seed 004 第十八条: the reason, what is done so far, the next steps and the date asked."""

    reason = forms.CharField(label=_("延期理由"), widget=SHORT_TEXT, max_length=20000)
    progress = forms.CharField(label=_("目前进展"), widget=SHORT_TEXT, max_length=20000)
    next_steps = forms.CharField(label=_("下步措施"), widget=SHORT_TEXT, max_length=20000)
    requested_date = forms.DateField(label=_("申请延至"), widget=DATE)


APPROVE, REJECT = "approve", "reject"


class ExtensionDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[(APPROVE, _("同意延期")), (REJECT, _("不同意延期"))],
        widget=forms.RadioSelect,
    )
    granted_date = forms.DateField(
        label=_("批准延至"),
        widget=DATE,
        required=False,
        help_text=_("留空则按申请日期批准。"),
    )
    decision_note = forms.CharField(
        label=_("审批意见"),
        widget=SHORT_TEXT,
        required=False,
        max_length=20000,
        help_text=_("不同意延期时必填。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
