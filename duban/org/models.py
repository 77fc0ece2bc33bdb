"""Units in a tree, people, their roles in units, and leading groups (领导小组)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField

if TYPE_CHECKING:
    from duban.org.access import Action


class UnitKind(models.TextChoices):
    PARTY = "party", _("党委")
    GOVERNMENT = "government", _("政府")
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("乡镇街道")
    PARK = "park", _("园区")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    """The roles of shared/DESIGN.md 「Who uses it」."""

    OFFICE = "office", _("督查工作人员")
    OFFICE_HEAD = "office_head", _("督查室负责人")
    LEADER = "leader", _("领导")
    UNIT_LEADER = "unit_leader", _("单位责任领导")
    LIAISON = "liaison", _("联络员")
    INSPECTOR = "inspector", _("督查员")
    AUDITOR = "auditor", _("组织纪检阅知")
    ADMIN = "admin", _("系统管理员")


class UnitQuerySet(models.QuerySet["Unit"]):
    def restrict(self, user: Any, action: Action = "view") -> UnitQuerySet:
        from duban.org.access import scope_q

        return self.filter(scope_q(user, action, "unit", path_field="path"))

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of zero-padded primary keys, "/00000001/00000005/": a subtree is one
    # indexed prefix match, and ordering by path lists the tree depth-first.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    sort_order = models.IntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    created_at = StampField(_("创建时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class UserQuerySet(models.QuerySet["User"]):
    def restrict(self, user: Any, action: Action = "view") -> UserQuerySet:
        from duban.org.access import scope_q

        visible = self.filter(scope_q(user, action, "user", path_field="memberships__unit__path"))
        if action == "view" and getattr(user, "is_authenticated", False):
            visible = visible | self.filter(pk=user.pk)
        return visible.distinct()


class DubanUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    objects = DubanUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(active=True, unit__active=True, user__is_active=True)

    def restrict(self, user: Any, action: Action = "view") -> MembershipQuerySet:
        from duban.org.access import scope_q

        return self.filter(scope_q(user, action, "user", path_field="unit__path"))


class Membership(models.Model):
    """A person's role in a unit. The role reaches over `scope` and its subtree.

    `scope` is usually the unit itself; a city supervision office's staff sit in 市政府督查室 but
    supervise the whole city, so their scope is the city's root unit.
    """

    user = models.ForeignKey(
        User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    scope = models.ForeignKey(
        Unit,
        verbose_name=_("管辖范围"),
        on_delete=models.PROTECT,
        related_name="scoped_memberships",
        help_text=_("该角色管辖的单位及其下级;通常即所在单位,督查室人员可管辖全市。"),
    )
    active = models.BooleanField(_("有效"), default=True)
    created_at = StampField(_("创建时间"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["user", "active"], name="membership_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class LeadingGroupQuerySet(models.QuerySet["LeadingGroup"]):
    def restrict(self, user: Any, action: Action = "view") -> LeadingGroupQuerySet:
        from duban.org.access import scope_q

        return self.filter(scope_q(user, action, "group", path_field="office_unit__path"))


class LeadingGroup(models.Model):
    """领导小组: seed 002 第一至五条 (组长、副组长、成员单位,办公室设在某单位)."""

    name = models.CharField(_("领导小组名称"), max_length=100, unique=True)
    office_unit = models.ForeignKey(
        Unit,
        verbose_name=_("办公室设在"),
        on_delete=models.PROTECT,
        related_name="hosted_groups",
    )
    office_name = models.CharField(_("办公室名称"), max_length=100, blank=True)
    head = models.CharField(_("组长"), max_length=100, blank=True)
    deputy_heads = models.CharField(_("副组长"), max_length=255, blank=True)
    doc_number = models.CharField(_("成立文号"), max_length=50, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = StampField(_("创建时间"), auto_now_add=True)

    objects = LeadingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A member unit and its three named contacts (seed 002 第五条)."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.CASCADE, related_name="members"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("成员单位"), on_delete=models.PROTECT, related_name="group_seats"
    )
    duty = models.TextField(_("职责分工"), blank=True)
    leader_name = models.CharField(_("分管领导"), max_length=50, blank=True)
    leader_phone = models.CharField(_("分管领导电话"), max_length=20, blank=True)
    section_head_name = models.CharField(_("科室负责人"), max_length=50, blank=True)
    section_head_phone = models.CharField(_("科室负责人电话"), max_length=20, blank=True)
    handler_name = models.CharField(_("具体承办人"), max_length=50, blank=True)
    handler_phone = models.CharField(_("具体承办人电话"), max_length=20, blank=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit"], name="group_member_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.unit}"

    CONTACT_FIELDS = (
        "duty",
        "leader_name",
        "leader_phone",
        "section_head_name",
        "section_head_phone",
        "handler_name",
        "handler_phone",
        "sort_order",
    )
