"""Read-only admin: every change goes through the actions (the org pages and import)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from duban.org.models import GroupMember, LeadingGroup, Membership, Unit, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "short_name", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code", "short_name")


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("unit", "role", "scope", "active")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "full_name", "title", "phone", "is_active")
    search_fields = ("username", "full_name")
    list_filter = ("is_active",)
    exclude = ("password",)
    inlines = [MembershipInline]


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0


@admin.register(LeadingGroup)
class LeadingGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "head", "office_unit", "active")
    inlines = [GroupMemberInline]
