"""Read-only admin: calendar data changes only through the actions (versioned, audited)."""

from __future__ import annotations

from django.contrib import admin

from duban.org.admin import ReadOnlyAdmin
from duban.workdays.models import CalendarVersion, CalendarYear, DayOverride, DeadlineRule, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "sort_order")


@admin.register(CalendarVersion)
class CalendarVersionAdmin(ReadOnlyAdmin):
    list_display = ("number", "created_at", "actor", "note")


@admin.register(DayOverride)
class DayOverrideAdmin(ReadOnlyAdmin):
    list_display = ("date", "region", "is_workday", "name", "source", "version")
    list_filter = ("region", "is_workday")
    date_hierarchy = "date"
    search_fields = ("name", "source")


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "region", "state", "source", "version")
    list_filter = ("region", "state")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "count", "max_extension", "article", "active")
