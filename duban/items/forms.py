"""Forms for the item pages: they parse and offer choices; items/actions.py validates and saves.

Every form that changes an existing item carries the `version` the person saw, so a second person
acting on the same item gets the conflict message instead of overwriting (issue 4 item 9).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from duban.items import intake
from duban.items.models import (
    Confidentiality,
    ItemScope,
    ItemSource,
    MeetingKind,
    Milestone,
    Outcome,
    Urgency,
)
from duban.org.forms import TablerForm, UnitChoiceField, filterable, offer
from duban.org.models import Unit, User
from duban.org.picker import INDENT, UnitSelectMultiple

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(TablerForm):
    """Base of the item forms: a version conflict is shown on top, not on the hidden field."""

    def attach_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "version" in error.error_dict:
            self.add_error(None, error.error_dict["version"])
            return
        super().attach_errors(error)


class VersionedForm(ItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _use(source: str, label: str, required: bool) -> str:
    """「领导批示:批示领导(必填)」: which source asks this fact, under what name."""
    if required:
        return str(_("%(source)s:%(label)s(必填)") % {"source": source, "label": label})
    return str(_("%(source)s:%(label)s") % {"source": source, "label": label})


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitSelectMultiple)
        super().__init__(*args, **kwargs)
        filterable(self.widget)

    def label_from_instance(self, obj: Any) -> str:
        return INDENT * obj.depth + obj.name


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


# Intake and editing ---------------------------------------------------------------------------


class ItemEditForm(ItemForm):
    """Registration and editing; the source's own facts sit in a 「来源信息」 fieldset.

    Without JavaScript every fact is shown, each with a hint naming the sources that use it;
    items/intake.js shows only the chosen source's, under that source's names. The rules are
    items/intake.py's, handed to the script in data attributes; the action enforces them.
    """

    scripts = ("items/intake.js",)
    SOURCE_SET = ("source", "doc_number", *intake.COLUMNS)

    source = forms.ChoiceField(label=_("来源"), choices=ItemSource.choices)
    meeting_kind = forms.ChoiceField(
        label=_("会议类型"), choices=_blank("—") + MeetingKind.choices, required=False
    )
    source_person = forms.CharField(label=_("批示领导或代表委员"), max_length=100, required=False)
    source_date = forms.DateField(label=_("批示或会议日期"), required=False, widget=DATE)
    source_number = forms.CharField(label=_("纪要号或建议提案号"), max_length=50, required=False)
    source_text = forms.CharField(
        label=_("批示内容或目标任务"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    title = forms.CharField(label=_("事项名称"), max_length=200)
    content = forms.CharField(
        label=_("事项内容"), required=False, widget=forms.Textarea({"rows": 4})
    )
    doc_number = forms.CharField(
        label=_("文号"),
        max_length=50,
        required=False,
        help_text=_("如:济政办发〔2016〕30号"),
    )
    scope = forms.ChoiceField(label=_("督查类别"), choices=ItemScope.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    confidentiality = forms.ChoiceField(
        label=_("密级"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
        help_text=_("涉密事项仅登记人和知悉人员可见。"),
    )
    time_limit = forms.DateField(
        label=_("明确完成时限"),
        required=False,
        widget=DATE,
        help_text=_("留空则交办时按来源的期限规则计算。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.attrs["data-source-select"] = "1"
        for name in ("doc_number", *intake.COLUMNS):
            self._describe(name)

    def _describe(self, name: str) -> None:
        """Which sources use this field, under what name, and where it is required."""
        field = self.fields[name]
        uses = [
            (source, d) for source in ItemSource for d in intake.details(source) if d.field == name
        ]
        field.widget.attrs.update(
            {
                "data-source-label": str(field.label),
                "data-source-labels": json.dumps({s: str(d.label) for s, d in uses}),
                "data-source-required": " ".join(s for s, d in uses if d.required),
            }
        )
        if name == "doc_number":  # shown for every source: a 批示件 or 通知 may have one too
            field.widget.attrs["data-source-always"] = "1"
            return
        hint = _(";").join(_use(str(s.label), str(d.label), d.required) for s, d in uses)
        field.help_text = _("适用于 %(uses)s。") % {"uses": hint}

    def fieldsets(self) -> list[tuple[str, list[BoundField]]]:
        """(legend, fields): the registering unit on top, then 来源信息, then 事项信息."""
        shown = [self[name] for name in self.fields if not self[name].is_hidden]
        top = [f for f in shown if f.name == "owner_unit"]
        source = [self[name] for name in self.SOURCE_SET if name in self.fields]
        rest = [f for f in shown if f not in top and f not in source]
        sets = [("", top), (str(_("来源信息")), source), (str(_("事项信息")), rest)]
        return [(legend, fields) for legend, fields in sets if fields]


class ItemCreateForm(ItemEditForm):
    owner_unit = UnitChoiceField(label=_("登记单位"), queryset=Unit.objects.none())
    tags = forms.CharField(
        label=_("标签"),
        max_length=250,
        required=False,
        help_text=_(
            "如:民生实事、优化营商环境年。用逗号、顿号或空格分隔,最多 10 个;可按标签建专项台账。"
        ),
    )
    field_order = ["owner_unit"]

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "owner_unit", user, "item.change")


class ItemUpdateForm(ItemEditForm, VersionedForm):
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=50, required=False)
    owner_name = forms.CharField(label=_("责任人"), max_length=50, required=False)


# Assignment and decomposition -----------------------------------------------------------------


class AssignForm(VersionedForm):
    lead_unit = UnitChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    co_units = UnitMultipleChoiceField(
        label=_("协办单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=UnitSelectMultiple({"size": 8}),
        help_text=_("可多选(按住 Ctrl)。"),
    )
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=50, required=False)
    owner_name = forms.CharField(label=_("责任人"), max_length=50, required=False)
    start = forms.DateField(label=_("交办日期"), widget=DATE, help_text=_("期限自交办次日起算。"))
    time_limit = forms.DateField(
        label=_("明确完成时限"),
        required=False,
        widget=DATE,
        help_text=_("留空则按来源的期限规则计算。"),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only units inside the assigning person's jurisdiction (the action checks again).
        for name in ("lead_unit", "co_units"):
            offer(self, name, user, "item.assign")
        self.fields["co_units"].widget.attrs["class"] = "form-select"


class DecomposeForm(VersionedForm):
    """四定 of seed 001 第二十条: target, content, deadline, owner."""

    basis = forms.ChoiceField(
        label=_("分解方式"),
        choices=[("unit", _("按单位分解")), ("milestone", _("按节点分解"))],
    )
    milestone = forms.ModelChoiceField(
        label=_("对应节点任务"),
        queryset=Milestone.objects.none(),
        required=False,
        help_text=_("按节点分解时可选,留空的目标和时限取自该节点。"),
    )
    title = forms.CharField(label=_("目标任务"), max_length=200, required=False)
    content = forms.CharField(
        label=_("工作内容"), required=False, widget=forms.Textarea({"rows": 3})
    )
    time_limit = forms.DateField(label=_("完成时限"), required=False, widget=DATE)
    owner_name = forms.CharField(label=_("责任人"), max_length=50)
    lead_unit = UnitChoiceField(
        label=_("主办单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("选择后子事项立即交办该单位。"),
    )

    def __init__(self, user: User, milestones: QuerySet[Milestone], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(self, "lead_unit", user, "item.assign")
        self.fields["milestone"].queryset = milestones  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        milestone = cleaned.get("milestone")
        if milestone is not None:
            cleaned["title"] = cleaned.get("title") or milestone.title
            cleaned["time_limit"] = cleaned.get("time_limit") or milestone.due_date
        return cleaned


class MilestoneForm(VersionedForm):
    title = forms.CharField(label=_("节点任务"), max_length=200)
    due_date = forms.DateField(label=_("完成时限"), widget=DATE)


# The buttons of the item page -------------------------------------------------------------------


class ActionForm(VersionedForm):
    """One lifecycle button: the version it saw, a reason where the state table asks one, and
    the 办理结果 (A/B/C/D, with a 跟踪办理 date for B or C) on acceptance."""

    def __init__(
        self, *args: Any, reason: bool = False, outcome: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if reason:
            field = forms.CharField(
                label=_("理由"),
                max_length=2000,
                widget=forms.Textarea({"rows": 2, "class": "form-control"}),
            )
            field.error_messages["required"] = _("理由不能为空。")
            self.fields["reason"] = field
        if outcome:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("办理结果"),
                choices=Outcome.choices,
                widget=forms.Select({"class": "form-select"}),
            )
            self.fields["outcome"].error_messages["required"] = _("办理结果不能为空。")
            self.fields["follow_up_date"] = forms.DateField(
                label=_("跟踪办理日期"),
                required=False,
                widget=forms.DateInput({"type": "date", "class": "form-control"}),
                help_text=_("办理结果为 B 或 C 时填写。"),
            )
