from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from duban.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("seq", "created_at", "type", "actor", "unit", "target_repr")
    list_filter = ("type",)
    search_fields = ("target_repr",)
    ordering = ("-seq",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
