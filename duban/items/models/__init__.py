"""Supervision items, split by concept: the item itself, its reports, extensions and reminders."""

from duban.items.models.extensions import ExtensionRequest, ExtensionState
from duban.items.models.item import (
    OPEN_STATES,
    Confidentiality,
    Item,
    ItemQuerySet,
    ItemScope,
    ItemSource,
    ItemState,
    ItemUnit,
    LinkGroup,
    Milestone,
    SourceRule,
    UnitRole,
    Urgency,
)
from duban.items.models.reminders import Reminder
from duban.items.models.reports import Attachment, ProgressReport, ReportKind, ReportState
from duban.items.models.rules import LightRule, MeetingKind, Outcome, ReportCadence

__all__ = [
    "OPEN_STATES",
    "Attachment",
    "Confidentiality",
    "ExtensionRequest",
    "ExtensionState",
    "Item",
    "ItemQuerySet",
    "ItemScope",
    "ItemSource",
    "ItemState",
    "ItemUnit",
    "LightRule",
    "LinkGroup",
    "MeetingKind",
    "Milestone",
    "Outcome",
    "ProgressReport",
    "Reminder",
    "ReportCadence",
    "ReportKind",
    "ReportState",
    "SourceRule",
    "UnitRole",
    "Urgency",
]
