"""Read-only admin: presets and rules load from the seeds' presets, decisions go through actions."""

from __future__ import annotations

from django.contrib import admin

from duban.assessment.models import AccountabilityRule, Escalation, LadderRule, Preset, Proposal
from duban.org.admin import ReadOnlyAdmin


class LadderInline(admin.TabularInline):
    model = LadderRule
    extra = 0
    fields = ("step", "measure", "trigger", "threshold", "applier", "veto", "article", "active")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Preset)
class PresetAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "jurisdiction", "source", "active")
    inlines = [LadderInline]


@admin.register(LadderRule)
class LadderRuleAdmin(ReadOnlyAdmin):
    list_display = (
        "preset",
        "step",
        "measure",
        "trigger",
        "threshold",
        "applier",
        "veto",
        "active",
    )
    list_filter = ("preset", "measure")


@admin.register(AccountabilityRule)
class AccountabilityRuleAdmin(ReadOnlyAdmin):
    list_display = (
        "preset",
        "step",
        "trigger",
        "threshold",
        "counted_measure",
        "measure",
        "active",
    )
    list_filter = ("preset",)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("item", "unit", "measure", "proposed_at", "state", "decided_by")
    list_filter = ("state", "measure")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("unit", "item", "measure", "year", "state", "decided_measure", "decided_by")
    list_filter = ("state", "measure", "year")
