"""Organisation pages. Every query starts from `restrict`; outside one's scope is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.audit.models import Event
from duban.core.http import AuthedRequest
from duban.org import actions
from duban.org.access import can
from duban.org.forms import (
    ConfirmForm,
    GrantRoleForm,
    GroupCreateForm,
    GroupEditForm,
    MemberAddForm,
    MemberContactsForm,
    PasswordForm,
    PersonCreateForm,
    PersonEditForm,
    TablerForm,
    UnitCreateForm,
    UnitEditForm,
)
from duban.org.models import GroupMember, LeadingGroup, Membership, Unit, UnitKind, User

PAGE_SIZE = 100


def _search(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:50]


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.restrict(request.user, "view")
    query = _search(request)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(short_name__icontains=query)
        )
    units = units.annotate(people=Count("memberships", filter=Q(memberships__active=True)))
    page = Paginator(units.order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/unit_list.html",
        {
            "page": page,
            "q": query,
            "nav": "org",
            "can_manage": can(request.user, "unit", "manage"),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.restrict(request.user, "view").select_related("parent"), pk=pk
    )
    children = Unit.objects.restrict(request.user, "view").filter(parent=unit)
    memberships = (
        Membership.objects.restrict(request.user, "view")
        .filter(unit=unit, active=True)
        .select_related("user", "scope")
        .order_by("role", "user__username")
    )
    history = Event.objects.restrict(request.user, "view").for_target(unit).select_related("actor")
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "memberships": memberships,
            "history": history[:50],
            "nav": "org",
            "can_manage": can(request.user, "unit", "manage", unit),
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = User.objects.restrict(request.user, "view")
    query = _search(request)
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    page = Paginator(people.order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    membership_rows = (
        Membership.objects.active().filter(user__in=[p.pk for p in page]).select_related("unit")
    )
    roles: dict[int, list[Membership]] = {}
    for membership in membership_rows:
        roles.setdefault(membership.user_id, []).append(membership)
    for person in page:
        person.role_list = roles.get(person.pk, [])
    context = {
        "page": page,
        "q": query,
        "nav": "org",
        "can_manage": can(request.user, "user", "manage"),
    }
    return render(request, "org/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.restrict(request.user, "view"), pk=pk)
    memberships = list(
        person.memberships.select_related("unit", "scope").order_by("-active", "unit__path")
    )
    for membership in memberships:
        membership.can_revoke = membership.active and can(
            request.user, "user", "manage", membership.unit
        )
    can_manage = User.objects.restrict(request.user, "manage").filter(pk=person.pk).exists()
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "nav": "org",
            "can_manage": can_manage,
        },
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        LeadingGroup.objects.restrict(request.user, "view")
        .select_related("office_unit")
        .annotate(member_count=Count("members"))
    )
    context = {
        "groups": groups,
        "nav": "groups",
        "can_create": can(request.user, "group", "manage"),
    }
    return render(request, "org/group_list.html", context)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(
        LeadingGroup.objects.restrict(request.user, "view").select_related("office_unit"), pk=pk
    )
    members = group.members.select_related("unit")
    history = (
        Event.objects.restrict(request.user, "view")
        .for_target(group)
        .select_related("actor", "unit")[:100]
    )
    return render(
        request,
        "org/group_detail.html",
        {
            "group": group,
            "members": members,
            "history": history,
            "nav": "groups",
            "can_manage": can(request.user, "group", "manage", group.office_unit),
        },
    )


# Management pages ----------------------------------------------------------------------------
# Objects are looked up through restrict(user, "manage"): outside one's scope is a 404, like a
# missing page. A page without an object answers 403 to a person who may see the section but
# not change it. Forms parse; the actions validate, save and write the audit event.


@dataclass(frozen=True)
class FormPage:
    title: str
    cancel_url: str
    submit_label: str = ""  # the form include says 保存
    pretitle: str = ""
    warning: str = ""
    danger: bool = False
    nav: str = "org"


# What a successful submit does: run the action(s), then say where to go and what to tell.
Perform = Callable[[dict[str, Any]], tuple[str, str]]


def _data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _form_response(
    request: AuthedRequest, form: TablerForm, page: FormPage, perform: Perform
) -> HttpResponse:
    """GET shows the form; a valid POST acts and redirects; a refused POST re-renders with 400."""
    if request.method == "POST":
        if form.is_valid():
            try:
                url, message = perform(form.cleaned_data)
            except ValidationError as error:
                form.attach_errors(error)
            else:
                messages.success(request, message)
                return redirect(url)
        status = 400
    else:
        status = 200
    context = {"form": form, "page": page, "nav": page.nav}
    return render(request, "org/form_page.html", context, status=status)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有权限执行此操作。"))


def _unit_url(unit: Unit) -> str:
    return reverse("org:unit", args=[unit.pk])


def _person_url(person: User) -> str:
    return reverse("org:person", args=[person.pk])


def _group_url(group: LeadingGroup) -> str:
    return reverse("org:group", args=[group.pk])


# Units -----------------------------------------------------------------------------------------


@login_required
def unit_create(request: AuthedRequest) -> HttpResponse:
    _require(can(request.user, "unit", "manage"))
    # ?parent= comes from a unit page's 新增下级单位; anything else just leaves the choice empty.
    wanted = request.GET.get("parent", "")
    parent = Unit.objects.restrict(request.user, "manage").filter(
        pk=int(wanted) if wanted.isdigit() else 0
    )
    form = UnitCreateForm(
        request.user,
        _data(request),
        initial={"parent": parent.first(), "kind": UnitKind.DEPARTMENT},
    )

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        unit = actions.create_unit(actor=request.user, **data)
        return _unit_url(unit), _("已新增单位“%(name)s”。") % {"name": unit.name}

    page = FormPage(_("新增单位"), reverse("org:units"))
    return _form_response(request, form, page, perform)


@login_required
def unit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.restrict(request.user, "manage"), pk=pk)
    initial = {field: getattr(unit, field) for field in actions.UNIT_FIELDS}
    form = UnitEditForm(request.user, _data(request), initial={**initial, "parent": unit.parent})

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.update_unit(unit, actor=request.user, **data)
        return _unit_url(unit), _("已保存单位“%(name)s”。") % {"name": unit.name}

    page = FormPage(_("编辑单位"), _unit_url(unit), pretitle=unit.name)
    return _form_response(request, form, page, perform)


# People and roles ------------------------------------------------------------------------------


def _managed_person(request: AuthedRequest, pk: int) -> User:
    return get_object_or_404(User.objects.restrict(request.user, "manage"), pk=pk)


@login_required
def person_create(request: AuthedRequest) -> HttpResponse:
    _require(can(request.user, "user", "manage"))
    form = PersonCreateForm(request.user, _data(request))

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        role = {name: data.pop(name) for name in ("unit", "role", "scope")}
        # One transaction: a person whose first role is refused is not created either.
        with transaction.atomic():
            person = actions.create_user(actor=request.user, **data)
            actions.grant_role(
                person, role["unit"], role["role"], actor=request.user, scope=role["scope"]
            )
        return _person_url(person), _("已新增人员“%(name)s”。") % {"name": person}

    page = FormPage(_("新增人员"), reverse("org:people"))
    return _form_response(request, form, page, perform)


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    initial = {field: getattr(person, field) for field in PersonEditForm.base_fields}
    form = PersonEditForm(_data(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.update_user(person, actor=request.user, **data)
        return _person_url(person), _("已保存人员“%(name)s”。") % {"name": person}

    page = FormPage(_("编辑人员"), _person_url(person), pretitle=str(person))
    return _form_response(request, form, page, perform)


@login_required
def person_password(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    form = PasswordForm(_data(request))

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.set_password(person, data["password"], actor=request.user)
        return _person_url(person), _("已为“%(name)s”设置新密码。") % {"name": person}

    page = FormPage(_("设置密码"), _person_url(person), pretitle=str(person))
    return _form_response(request, form, page, perform)


@login_required
def role_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    form = GrantRoleForm(request.user, _data(request))

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        membership = actions.grant_role(
            person, data["unit"], data["role"], actor=request.user, scope=data["scope"]
        )
        return _person_url(person), _("已授予“%(name)s”%(role)s角色。") % {
            "name": person,
            "role": membership.get_role_display(),
        }

    page = FormPage(_("授予角色"), _person_url(person), pretitle=str(person))
    return _form_response(request, form, page, perform)


@login_required
def role_revoke(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.restrict(request.user, "manage").select_related("unit", "user"),
        pk=membership_pk,
        user_id=pk,
        active=True,
    )

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.revoke_role(membership, actor=request.user)
        return _person_url(membership.user), _("已撤销“%(role)s”角色。") % {"role": membership}

    page = FormPage(
        _("撤销角色"),
        _person_url(membership.user),
        submit_label=_("确认撤销"),
        pretitle=str(membership.user),
        warning=_("撤销后,%(name)s将不再以该角色处理%(unit)s的事项。")
        % {"name": membership.user, "unit": membership.unit.name},
        danger=True,
    )
    return _form_response(request, ConfirmForm(_data(request)), page, perform)


# Leading groups (seed 002 第一至五条) ----------------------------------------------------------


def _managed_group(request: AuthedRequest, pk: int) -> LeadingGroup:
    groups = LeadingGroup.objects.restrict(request.user, "manage").select_related("office_unit")
    return get_object_or_404(groups, pk=pk)


def _managed_member(request: AuthedRequest, pk: int, member_pk: int) -> GroupMember:
    group = _managed_group(request, pk)
    return get_object_or_404(group.members.select_related("unit", "group"), pk=member_pk)


@login_required
def group_create(request: AuthedRequest) -> HttpResponse:
    _require(can(request.user, "group", "manage"))
    form = GroupCreateForm(request.user, _data(request))

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        group = actions.create_group(actor=request.user, **data)
        return _group_url(group), _("已成立“%(name)s”。") % {"name": group.name}

    page = FormPage(_("新建领导小组"), reverse("org:groups"), nav="groups")
    return _form_response(request, form, page, perform)


@login_required
def group_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    initial = {field: getattr(group, field) for field in GroupEditForm.base_fields}
    form = GroupEditForm(_data(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.update_group(group, actor=request.user, **data)
        return _group_url(group), _("已保存“%(name)s”。") % {"name": group.name}

    page = FormPage(_("编辑领导小组"), _group_url(group), pretitle=group.name, nav="groups")
    return _form_response(request, form, page, perform)


@login_required
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    form = MemberAddForm(request.user, group, _data(request))

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        unit = data.pop("unit")
        actions.add_group_member(group, unit, actor=request.user, **data)
        return _group_url(group), _("已增加成员单位“%(unit)s”。") % {"unit": unit.name}

    page = FormPage(_("增加成员单位"), _group_url(group), pretitle=group.name, nav="groups")
    return _form_response(request, form, page, perform)


@login_required
def member_edit(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _managed_member(request, pk, member_pk)
    initial = {field: getattr(member, field) for field in GroupMember.CONTACT_FIELDS}
    form = MemberContactsForm(_data(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.update_group_member(member, actor=request.user, **data)
        # The change is now in the group's 变更记录: the filing seed 002 第五条 asks for.
        return _group_url(member.group), _("已更新“%(unit)s”的人员信息。") % {
            "unit": member.unit.name
        }

    page = FormPage(
        _("成员单位人员调整"),
        _group_url(member.group),
        pretitle=f"{member.group.name} · {member.unit.name}",
        nav="groups",
    )
    return _form_response(request, form, page, perform)


@login_required
def member_remove(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _managed_member(request, pk, member_pk)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        actions.remove_group_member(member, actor=request.user)
        return _group_url(member.group), _("已移除成员单位“%(unit)s”。") % {
            "unit": member.unit.name
        }

    page = FormPage(
        _("移除成员单位"),
        _group_url(member.group),
        submit_label=_("确认移除"),
        pretitle=member.group.name,
        warning=_("将“%(unit)s”移出%(group)s,其职责分工和联系人信息一并删除(变更记录保留)。")
        % {"unit": member.unit.name, "group": member.group.name},
        danger=True,
        nav="groups",
    )
    return _form_response(request, ConfirmForm(_data(request)), page, perform)
