"""Supervision items, split by concept: the item itself, its reports, extensions and reminders."""

from duban.items.models.extensions import ExtensionRequest, ExtensionState
from duban.items.models.item import (
    CHECK_AT_ONCE,
    OPEN_STATES,
    Confidentiality,
    Item,
    ItemQuerySet,
    ItemScope,
    ItemSource,
    ItemState,
    ItemUnit,
    Light,
    LinkGroup,
    Milestone,
    SourceRule,
    UnitRole,
    Urgency,
)
from duban.items.models.reach import ReachRow, Tally
from duban.items.models.reminders import Reminder, SentReminder
from duban.items.models.reports import Attachment, ProgressReport, ReportKind, ReportState
from duban.items.models.rules import LightRule, MeetingKind, Outcome, ReportCadence
from duban.items.models.tags import TAG_MAX, TAGS_MAX, ItemTag

# isort: split
# Last: see reminder_rules.py on why.
from duban.items.models.reminder_rules import (
    REMINDER_PLACEHOLDERS,
    ReminderKind,
    ReminderRecipient,
    ReminderRule,
)

__all__ = [
    "CHECK_AT_ONCE",
    "OPEN_STATES",
    "REMINDER_PLACEHOLDERS",
    "TAGS_MAX",
    "TAG_MAX",
    "Attachment",
    "Confidentiality",
    "ExtensionRequest",
    "ExtensionState",
    "Item",
    "ItemQuerySet",
    "ItemScope",
    "ItemSource",
    "ItemState",
    "ItemTag",
    "ItemUnit",
    "Light",
    "LightRule",
    "LinkGroup",
    "MeetingKind",
    "Milestone",
    "Outcome",
    "ProgressReport",
    "ReachRow",
    "Reminder",
    "ReminderKind",
    "ReminderRecipient",
    "ReminderRule",
    "ReportCadence",
    "ReportKind",
    "ReportState",
    "SentReminder",
    "SourceRule",
    "Tally",
    "UnitRole",
    "Urgency",
]
