"""Forms for the organisation pages.

Forms only parse and offer choices; the actions validate and save. An action's ValidationError names
its field, and `attach_errors` puts it next to that field, so the importer, the API and these pages
share one set of rules and messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duban.org.models import LeadingGroup, Role, Unit, UnitKind, User
from duban.org.offers import offered
from duban.org.picker import INDENT, UnitSelect

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TablerBoundField(forms.BoundField):
    """Adds Tabler's `is-invalid` when rendered, so errors an action adds after is_valid() show."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        built: dict[str, Any] = super().build_widget_attrs(attrs, widget)
        if self.errors:
            # Rendering lets these attrs replace the widget's own, so keep its form-control.
            own = (widget or self.field.widget).attrs.get("class", "")
            built["class"] = f"{built.get('class', own)} is-invalid".strip()
        return built


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class TablerForm(forms.Form):
    bound_field_class = TablerBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", _widget_class(field.widget))
            # Messages name the field, like the actions' own (validation.check_required).
            field.error_messages["required"] = _("%(label)s不能为空。") % {"label": field.label}
            if "invalid_choice" in field.error_messages:
                field.error_messages["invalid_choice"] = _("请从列表中选择%(label)s。") % {
                    "label": field.label
                }

    def attach_errors(self, error: ValidationError) -> None:
        """Put an action's errors on the named fields; names the form lacks go on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


def filterable(widget: forms.Widget) -> None:
    """A long unit list gets a type-to-filter box (duban/select-filter.js; works without it)."""
    widget.attrs.update({"data-filter": "", "data-filter-placeholder": _("输入名称筛选")})


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth, so the tree reads in a plain <select>; a long offer is listed
    short and searched as one types (org/picker.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitSelect)
        super().__init__(*args, **kwargs)
        filterable(self.widget)

    def label_from_instance(self, obj: Any) -> str:
        return INDENT * obj.depth + obj.name


def offer(form: forms.Form, name: str, user: User, offer_name: str) -> None:
    """Narrow a unit field's choices to the named offer of org/offers.py, which the picker's
    search uses too; a choice outside it is refused as invalid."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField) or not isinstance(field.widget, UnitSelect):
        raise TypeError(f"{name} is not a unit choice field")
    field.queryset = offered(user, offer_name)
    field.widget.offer = offer_name


def _text(label: StrOrPromise, max_length: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


# Units ---------------------------------------------------------------------------------------


class UnitEditForm(TablerForm):
    name = _text(_("单位名称"), 100, required=True)
    short_name = _text(_("简称"), 30)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    # Not required here: only a superuser may leave it empty, and the action says so.
    parent = UnitChoiceField(label=_("上级单位"), queryset=Unit.objects.none(), required=False)
    sort_order = forms.IntegerField(label=_("排序"), initial=0)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The unit's own subtree stays offered so the action can explain why it is refused.
        offer(self, "parent", user, "unit.manage")


class UnitCreateForm(UnitEditForm):
    code = _text(_("单位编码"), 32, required=True)
    field_order = ["code", "name", "short_name", "kind", "parent", "sort_order", "active"]


# People and roles ----------------------------------------------------------------------------


class PersonEditForm(TablerForm):
    full_name = _text(_("姓名"), 50, required=True)
    phone = _text(_("手机号码"), 20)
    title = _text(_("职务"), 50)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class RoleFieldsMixin(TablerForm):
    unit = UnitChoiceField(label=_("所在单位"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    scope = UnitChoiceField(
        label=_("管辖范围"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("留空即所在单位及其下级。"),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("unit", "scope"):
            offer(self, name, user, "user.manage")


class GrantRoleForm(RoleFieldsMixin):
    pass


class PersonCreateForm(RoleFieldsMixin):
    """A new person comes with a first role: without one nobody but a superuser could see them."""

    username = _text(_("账号"), 150, required=True)
    full_name = _text(_("姓名"), 50, required=True)
    phone = _text(_("手机号码"), 20)
    title = _text(_("职务"), 50)
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("留空则该账号暂不能登录,之后可再设置密码。"),
    )
    field_order = ["username", "full_name", "phone", "title", "password", "unit", "role", "scope"]


class PasswordForm(TablerForm):
    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


# Leading groups ------------------------------------------------------------------------------


class GroupEditForm(TablerForm):
    name = _text(_("领导小组名称"), 100, required=True)
    office_name = _text(_("办公室名称"), 100)
    head = _text(_("组长"), 100)
    deputy_heads = _text(_("副组长"), 255)
    doc_number = _text(_("成立文号"), 50)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class GroupCreateForm(GroupEditForm):
    office_unit = UnitChoiceField(label=_("办公室设在"), queryset=Unit.objects.none())
    field_order = ["name", "office_unit"]

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "office_unit", user, "group.manage")


class MemberContactsForm(TablerForm):
    """The three named contacts of seed 002 第五条, and the member's duty."""

    duty = forms.CharField(label=_("职责分工"), required=False, widget=forms.Textarea({"rows": 3}))
    leader_name = _text(_("分管领导"), 50)
    leader_phone = _text(_("分管领导电话"), 20)
    section_head_name = _text(_("科室负责人"), 50)
    section_head_phone = _text(_("科室负责人电话"), 20)
    handler_name = _text(_("具体承办人"), 50)
    handler_phone = _text(_("具体承办人电话"), 20)
    sort_order = forms.IntegerField(label=_("排序"), initial=0)


class MemberAddForm(MemberContactsForm):
    unit = UnitChoiceField(label=_("成员单位"), queryset=Unit.objects.none())
    field_order = ["unit"]

    def __init__(self, user: User, group: LeadingGroup, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any unit the office can see may join, except those already seated.
        offer(self, "unit", user, f"group.member:{group.pk}")


class ConfirmForm(TablerForm):
    """No fields: a POST with its CSRF token is the confirmation."""
