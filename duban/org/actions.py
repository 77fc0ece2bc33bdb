"""The only code that changes units, people, roles and leading groups.

Each action checks permission, validates, saves, and records its audit event in one transaction.
`actor=None` is the system itself (command line, demo loader); pages and the API always pass a
person. Actions nest: an import runs many of them inside its own transaction, and a refused one
rolls back to its savepoint, leaving the caller's transaction usable.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.org.access import can, require
from duban.org.models import GroupMember, LeadingGroup, Membership, Role, Unit, UnitKind, User
from duban.org.validation import (
    check_code,
    check_optional,
    check_phone,
    check_required,
    check_username,
    fail,
)

atomic = transaction.atomic


def _diff(obj: Any, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that really change, JSON-friendly."""
    out: dict[str, list[Any]] = {}
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new:
            out[field] = [_plain(old), _plain(new)]
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


def _check_kind(kind: str) -> str:
    if kind not in UnitKind.values:
        names = "、".join(str(label) for label in UnitKind.labels)
        raise fail("kind", _("单位类型须为以下之一:%(names)s。") % {"names": names})
    return kind


# Units ---------------------------------------------------------------------------------------


def child_path(parent: Unit | None, pk: int) -> str:
    # Fixed-width segments make ORDER BY path a depth-first walk of the tree.
    return f"{parent.path if parent else '/'}{pk:08d}/"


@atomic
def create_unit(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    sort_order: int = 0,
    active: bool = True,
) -> Unit:
    require(actor, "unit", "manage", parent)
    if parent is None and actor is not None and not actor.is_superuser:
        raise fail("parent", _("请选择上级单位。"))
    code = check_code(code)
    if Unit.objects.filter(code=code).exists():
        raise fail("code", _("单位编码 %(code)s 已存在。") % {"code": code})
    unit = Unit.objects.create(
        code=code,
        name=check_required(name, "name", _("单位名称"), 100),
        short_name=check_optional(short_name, "short_name", _("简称"), 30),
        kind=_check_kind(kind),
        parent=parent,
        sort_order=sort_order,
        active=active,
        depth=parent.depth + 1 if parent else 0,
    )
    unit.path = child_path(parent, unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    record(
        EventType.UNIT_CREATED,
        actor=actor,
        unit=unit,
        target=unit,
        details={"code": code, "name": unit.name, "parent": parent.pk if parent else None},
    )
    return unit


UNIT_FIELDS = ("name", "short_name", "kind", "sort_order", "active")


@atomic
def update_unit(unit: Unit, *, actor: User | None, **changes: Any) -> Unit:
    require(actor, "unit", "manage", unit)
    unknown = set(changes) - set(UNIT_FIELDS) - {"parent"}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = check_required(changes["name"], "name", _("单位名称"), 100)
    if "short_name" in changes:
        changes["short_name"] = check_optional(changes["short_name"], "short_name", _("简称"), 30)
    if "kind" in changes:
        _check_kind(changes["kind"])
    new_parent = changes.pop("parent", unit.parent)
    if new_parent != unit.parent:
        move_unit(unit, new_parent, actor=actor)
    diff = _diff(unit, changes)
    if diff:
        for field in diff:
            setattr(unit, field, changes[field])
        unit.save(update_fields=[*diff, "updated_at"])
        record(EventType.UNIT_UPDATED, actor=actor, unit=unit, target=unit, details=diff)
    return unit


@atomic
def move_unit(unit: Unit, new_parent: Unit | None, *, actor: User | None) -> Unit:
    require(actor, "unit", "manage", unit)
    if new_parent is None:
        if actor is not None and not actor.is_superuser:
            raise fail("parent", _("请选择上级单位。"))
    else:
        require(actor, "unit", "manage", new_parent)
        if new_parent.path.startswith(unit.path):
            raise fail("parent", _("上级单位不能是本单位或其下级单位。"))
    old_parent_id, old_path = unit.parent_id, unit.path
    new_path = child_path(new_parent, unit.pk)
    delta = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    # One set-based UPDATE re-roots the whole subtree.
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    record(
        EventType.UNIT_MOVED,
        actor=actor,
        unit=unit,
        target=unit,
        details={"parent": [old_parent_id, new_parent.pk if new_parent else None]},
    )
    return unit


# People and roles ----------------------------------------------------------------------------


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except Exception as error:  # ValidationError with Django's own Chinese messages
        messages = getattr(error, "messages", [str(error)])
        raise fail("password", " ".join(messages)) from None
    user.set_password(password)


@atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    phone: str = "",
    title: str = "",
    email: str = "",
    password: str | None = None,
    superuser: bool = False,
) -> User:
    require(actor, "user", "manage")
    if superuser and actor is not None and not actor.is_superuser:
        raise fail("superuser", _("只有超级管理员可以设立超级管理员。"))
    username = check_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise fail("username", _("账号 %(name)s 已存在。") % {"name": username})
    user = User(
        username=username,
        full_name=check_required(full_name, "full_name", _("姓名"), 50),
        phone=check_phone(phone),
        title=check_optional(title, "title", _("职务"), 50),
        email=email.strip(),
        is_staff=superuser,
        is_superuser=superuser,
    )
    if password:
        _set_password(user, password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        EventType.USER_CREATED,
        actor=actor,
        target=user,
        details={"username": username, "full_name": user.full_name, "superuser": superuser},
    )
    return user


USER_FIELDS = ("full_name", "phone", "title", "email", "is_active")


def _user_unit(user: User, actor: User | None) -> Unit | None:
    """The unit through which `actor` manages `user`: any of the user's units in actor's scope.

    A person without any role can be managed by anyone who manages people somewhere; refuses
    (PermissionDenied) when none of the person's units lies in the actor's scope.
    """
    units = [m.unit for m in user.memberships.select_related("unit").order_by("-active", "pk")]
    if not units:
        require(actor, "user", "manage")
        return None
    for unit in units:
        if actor is None or can(actor, "user", "manage", unit):
            return unit
    require(actor, "user", "manage", units[0])
    return units[0]


@atomic
def update_user(user: User, *, actor: User | None, **changes: Any) -> User:
    unit = _user_unit(user, actor)
    if "full_name" in changes:
        changes["full_name"] = check_required(changes["full_name"], "full_name", _("姓名"), 50)
    if "phone" in changes:
        changes["phone"] = check_phone(changes["phone"])
    if "title" in changes:
        changes["title"] = check_optional(changes["title"], "title", _("职务"), 50)
    diff = _diff(user, {k: v for k, v in changes.items() if k in USER_FIELDS})
    if diff:
        for field in diff:
            setattr(user, field, changes[field])
        user.save(update_fields=list(diff))
        record(EventType.USER_UPDATED, actor=actor, unit=unit, target=user, details=diff)
    return user


@atomic
def set_password(user: User, password: str, *, actor: User | None) -> None:
    if actor is None or actor.pk != user.pk:
        _user_unit(user, actor)
    _set_password(user, password)
    user.save(update_fields=["password"])
    record(EventType.USER_PASSWORD_SET, actor=actor, target=user, details={})


@atomic
def grant_role(
    user: User, unit: Unit, role: str, *, actor: User | None, scope: Unit | None = None
) -> Membership:
    if role not in Role.values:
        names = "、".join(str(label) for label in Role.labels)
        raise fail("role", _("角色须为以下之一:%(names)s。") % {"names": names})
    scope = scope or unit
    require(actor, "user", "manage", unit)
    require(actor, "user", "manage", scope)
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"scope": scope}
    )
    if not created and membership.active and membership.scope_id == scope.pk:
        return membership
    membership.scope, membership.active = scope, True
    membership.save(update_fields=["scope", "active"])
    record(
        EventType.ROLE_GRANTED,
        actor=actor,
        unit=unit,
        target=user,
        details={"role": role, "unit": unit.pk, "scope": scope.pk},
    )
    return membership


@atomic
def revoke_role(membership: Membership, *, actor: User | None) -> None:
    require(actor, "user", "manage", membership.unit)
    if not membership.active:
        return
    membership.active = False
    membership.save(update_fields=["active"])
    record(
        EventType.ROLE_REVOKED,
        actor=actor,
        unit=membership.unit,
        target=membership.user,
        details={"role": membership.role, "unit": membership.unit_id},
    )


# Leading groups (seed 002 第一至五条) --------------------------------------------------------


GROUP_FIELDS = ("name", "office_name", "head", "deputy_heads", "doc_number", "active")


@atomic
def create_group(
    *, actor: User | None, name: str, office_unit: Unit, **fields: Any
) -> LeadingGroup:
    require(actor, "group", "manage", office_unit)
    name = check_required(name, "name", _("领导小组名称"), 100)
    if LeadingGroup.objects.filter(name=name).exists():
        raise fail("name", _("领导小组 %(name)s 已存在。") % {"name": name})
    group = LeadingGroup.objects.create(name=name, office_unit=office_unit, **fields)
    record(
        EventType.GROUP_CREATED,
        actor=actor,
        unit=office_unit,
        target=group,
        details={"name": name, **{k: _plain(v) for k, v in fields.items()}},
    )
    return group


@atomic
def update_group(group: LeadingGroup, *, actor: User | None, **changes: Any) -> LeadingGroup:
    require(actor, "group", "manage", group.office_unit)
    if "name" in changes:
        # Checked like create_group, so a rename fails with a message, not an IntegrityError.
        changes["name"] = check_required(changes["name"], "name", _("领导小组名称"), 100)
        if LeadingGroup.objects.filter(name=changes["name"]).exclude(pk=group.pk).exists():
            raise fail("name", _("领导小组 %(name)s 已存在。") % {"name": changes["name"]})
    diff = _diff(group, {k: v for k, v in changes.items() if k in GROUP_FIELDS})
    if diff:
        for field in diff:
            setattr(group, field, changes[field])
        group.save(update_fields=list(diff))
        record(
            EventType.GROUP_UPDATED, actor=actor, unit=group.office_unit, target=group, details=diff
        )
    return group


def _clean_contacts(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(GroupMember.CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not a member field: {sorted(unknown)}")
    cleaned = dict(fields)
    for name in ("leader_phone", "section_head_phone", "handler_phone"):
        if name in cleaned:
            cleaned[name] = check_phone(cleaned[name], name)
    for name, label in (
        ("leader_name", _("分管领导")),
        ("section_head_name", _("科室负责人")),
        ("handler_name", _("具体承办人")),
    ):
        if name in cleaned:
            cleaned[name] = check_optional(cleaned[name], name, label, 50)
    return cleaned


@atomic
def add_group_member(
    group: LeadingGroup, unit: Unit, *, actor: User | None, **contacts: Any
) -> GroupMember:
    require(actor, "group", "manage", group.office_unit)
    if group.members.filter(unit=unit).exists():
        raise fail("unit", _("%(unit)s 已是该领导小组的成员单位。") % {"unit": unit.name})
    member = GroupMember.objects.create(group=group, unit=unit, **_clean_contacts(contacts))
    record(
        EventType.GROUP_MEMBER_ADDED,
        actor=actor,
        unit=unit,
        target=group,
        details={"unit": unit.pk, **{k: _plain(v) for k, v in contacts.items()}},
    )
    return member


@atomic
def update_group_member(member: GroupMember, *, actor: User | None, **contacts: Any) -> GroupMember:
    """A change of named people is filed with the office (seed 002 第五条), so it is recorded."""
    require(actor, "group", "manage", member.group.office_unit)
    diff = _diff(member, _clean_contacts(contacts))
    if diff:
        for field, (_old, new) in diff.items():
            setattr(member, field, new)
        member.save(update_fields=list(diff))
        record(
            EventType.GROUP_MEMBER_UPDATED,
            actor=actor,
            unit=member.unit,
            target=member.group,
            details={"unit": member.unit_id, **diff},
        )
    return member


@atomic
def remove_group_member(member: GroupMember, *, actor: User | None) -> None:
    require(actor, "group", "manage", member.group.office_unit)
    record(
        EventType.GROUP_MEMBER_REMOVED,
        actor=actor,
        unit=member.unit,
        target=member.group,
        details={"unit": member.unit_id, "unit_name": member.unit.name},
    )
    member.delete()
