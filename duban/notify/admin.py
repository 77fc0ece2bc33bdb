"""Read-only admin: notifications change only through notify/actions.py."""

from __future__ import annotations

from django.contrib import admin

from duban.notify.models import DeliveryWindow, Outbox
from duban.org.admin import ReadOnlyAdmin


@admin.register(DeliveryWindow)
class DeliveryWindowAdmin(ReadOnlyAdmin):
    list_display = ("start", "end", "workdays_only", "region", "max_attempts", "lease_seconds")


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "channel", "state", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("state", "channel")
