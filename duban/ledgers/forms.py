"""The 台账 filter form: it parses the GET parameters of ledgers/filters.py and names bad ones.

A value that does not parse is shown beside its field with a Chinese message naming it, and only
that parameter is dropped: the list still applies every other one (Django leaves a field with an
error out of `cleaned_data`).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from duban.items.models import TAG_MAX, ItemSource, ItemState, Outcome
from duban.ledgers.columns import COLUMNS
from duban.ledgers.models import SavedView
from duban.org.forms import TablerForm, UnitChoiceField, offer
from duban.org.models import Unit, User
from duban.org.picker import UnitRows, UnitSelect

STATE_GROUPS = {"open": _("全部未办结"), "closed": _("已办结和已归档")}
SORTS = {
    "-created": _("登记时间由新到旧"),
    "created": _("登记时间由旧到新"),
    "due": _("完成时限由近到远"),
    "-due": _("完成时限由远到近"),
    "light": _("灯色(红灯在前)"),
    "title": _("事项名称"),
    "lead_unit": _("主办单位"),
    "-completed": _("办结时间由新到旧"),
}
DUE_FILTERS = {"overdue": _("已逾期"), "on_time": _("未逾期"), "provisional": _("时限暂定")}
PAGE_SIZES = (20, 50, 100)
LIGHT_LABELS = {"red": _("红灯(逾期)"), "yellow": _("黄灯(临近时限)"), "green": _("绿灯")}
LATE_CHOICES = {"1": _("逾期办结"), "0": _("按期办结")}
# The filters in view, in the order of two rows of the page's grid.
SHOWN_FILTERS = (
    "q",
    "state",
    "source",
    "light",
    "due",
    "lead_unit",
    "co_unit",
    "leader",
    "sort",
    "per",
)
# The filters a clerk sets now and then. They fold under 更多条件 so that the rows, not eighteen
# fields, fill the first screen; the fold opens when one of them is set or wrong.
MORE_FILTERS = (
    "tag",
    "due_from",
    "due_to",
    "created_from",
    "created_to",
    "completed_from",
    "completed_to",
    "outcome",
    "late",
    "extended",
    "returned",
)
YES = {"1": _("是")}
# (start, end) date pairs: each is inclusive, and the end may not come before the start.
DATE_RANGES = (
    ("due_from", "due_to"),
    ("created_from", "created_to"),
    ("completed_from", "completed_to"),
)


class PlainSelect(forms.Select):
    """A short <select> joined in Python: Django renders each option through a template, and the
    filter form's dozen selects cost the 台账 page more than its rows did."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        final = self.build_attrs(self.attrs, attrs) | {"name": name}
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308


class PlainInput(Input):
    """An <input> joined in Python, for the same reason."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs) | {"type": self.input_type, "name": name}
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return format_html("<input{}>", flatatt(final))


class PlainDateInput(PlainInput, forms.DateInput):
    pass


class PlainTextInput(PlainInput, forms.TextInput):
    pass


DATE = PlainDateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _choice(label: Any, everything: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=_blank(everything) + list(choices), required=False, widget=PlainSelect
    )


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE, input_formats=["%Y-%m-%d"])


def _unit(label: Any) -> UnitChoiceField:
    return UnitChoiceField(label=label, queryset=Unit.objects.none(), required=False)


class LedgerFilterForm(TablerForm):
    # The 专项台账 whose parameters were merged in (set by ledgers/filters.parse).
    saved_view: SavedView | None = None

    q = forms.CharField(
        label=_("关键词"),
        max_length=50,
        required=False,
        widget=PlainTextInput({"placeholder": _("事项名称、文号或内容")}),
    )
    state = _choice(_("状态"), _("全部状态"), [*STATE_GROUPS.items(), *ItemState.choices])
    source = _choice(_("来源"), _("全部来源"), ItemSource.choices)
    light = _choice(_("灯"), _("全部灯色"), LIGHT_LABELS.items())
    lead_unit = _unit(_("主办单位"))
    co_unit = _unit(_("协办单位"))
    leader = forms.CharField(
        label=_("责任领导"), max_length=50, required=False, widget=PlainTextInput
    )
    due = _choice(_("时限"), _("全部时限"), DUE_FILTERS.items())
    tag = forms.CharField(
        label=_("标签"),
        max_length=TAG_MAX,
        required=False,
        widget=PlainTextInput({"placeholder": _("如:民生实事")}),
    )
    due_from = _date(_("完成时限起"))
    due_to = _date(_("完成时限止"))
    created_from = _date(_("登记日期起"))
    created_to = _date(_("登记日期止"))
    completed_from = _date(_("办结日期起"))
    completed_to = _date(_("办结日期止"))
    outcome = _choice(_("办理结果"), _("全部办理结果"), Outcome.choices)
    late = _choice(_("是否逾期办结"), _("不限"), LATE_CHOICES.items())
    extended = _choice(_("延期过"), _("不限"), YES.items())
    returned = _choice(_("退回重办过"), _("不限"), YES.items())
    view = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    sort = forms.ChoiceField(
        label=_("排序"), choices=list(SORTS.items()), required=False, widget=PlainSelect
    )
    per = forms.TypedChoiceField(
        label=_("每页"),
        choices=[(n, n) for n in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=None,
        widget=PlainSelect,
    )
    page = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    cols = forms.MultipleChoiceField(
        label=_("显示列"),
        choices=[(key, column.label) for key, column in COLUMNS.items() if column.optional],
        required=False,
        widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Both unit selects list the same rows, read once; the chosen ones are read with them.
        chosen = [self.data.get(name) or "" for name in ("lead_unit", "co_unit")]
        rows = None
        for name, everything in (("lead_unit", _("全部主办单位")), ("co_unit", _("全部协办单位"))):
            offer(self, name, user, "unit.view")
            field = cast(UnitChoiceField, self.fields[name])
            field.empty_label = everything
            rows = rows or UnitRows(cast("QuerySet[Unit]", field.queryset), pinned=chosen)
            cast(UnitSelect, field.widget).unit_rows = rows
        self._name_the_fields()

    def column_boxes(self) -> SafeString:
        """The 显示列 check boxes, joined in Python: through Django's templates, one per box,
        they cost the page more than its rows."""
        field = self["cols"]
        chosen = {str(value) for value in field.value() or ()}
        choices: Any = cast(forms.MultipleChoiceField, self.fields["cols"]).choices
        boxes = (
            '<label class="form-check form-check-inline m-0"><input type="checkbox" name="cols"'
            f' value="{escape(key)}" class="form-check-input" id="{field.auto_id}_{index}"'
            f"{' checked' if str(key) in chosen else ''}>"
            f' <span class="form-check-label">{escape(label)}</span></label>'
            for index, (key, label) in enumerate(choices)
        )
        return mark_safe("".join(boxes))  # noqa: S308  (each part escaped above)

    def _name_the_fields(self) -> None:
        for field in self.fields.values():
            label = {"label": field.label}
            messages = field.error_messages
            messages["invalid"] = _("%(label)s格式不正确。") % label
            if isinstance(field, forms.DateField):
                messages["invalid"] = _("%(label)s须为 YYYY-MM-DD 格式的日期。") % label
            if isinstance(field, forms.CharField):
                messages["max_length"] = _("%(label)s不能超过 %%(limit_value)d 个字。") % label
            if isinstance(field, forms.MultipleChoiceField):
                messages["invalid_choice"] = _("%(label)s中没有「%%(value)s」。") % label
            messages["min_value"] = _("%(label)s须为正整数。") % label
        self.fields["view"].error_messages["min_value"] = _("专项台账编号须为正整数。")
        self.fields["view"].error_messages["invalid"] = _("专项台账编号须为正整数。")
        self.fields["page"].error_messages["min_value"] = _("页码须为正整数。")
        self.fields["page"].error_messages["invalid"] = _("页码须为正整数。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end in DATE_RANGES:
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(
                    end,
                    _("%(end)s不能早于%(start)s。")
                    % {"end": self.fields[end].label, "start": self.fields[start].label},
                )
        return data

    def shown_filters(self) -> list[BoundField]:
        """The filters always in view, in two rows of the page's grid."""
        return [self[name] for name in SHOWN_FILTERS]

    def more_filters(self) -> list[BoundField]:
        return [self[name] for name in MORE_FILTERS]

    def more_given(self) -> int:
        """How many of the folded filters the address sets, right or wrong."""
        return sum(1 for name in MORE_FILTERS if self.data.get(name) not in (None, ""))

    def more_open(self) -> bool:
        return bool(self.more_given()) or any(self[name].errors for name in MORE_FILTERS)
