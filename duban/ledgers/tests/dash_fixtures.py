"""A small, hand-counted set of items for the dashboard and wall chart tests.

Rows are written directly (no action involved): the figures read columns the actions keep
(state, completed_at/completed_late, return_count, extension_count, report_cadence), and the
fixture needs them at chosen dates. The expected numbers in the tests are counted from this list
by hand, in its comments.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone

from duban.items.models import (
    ExtensionRequest,
    ExtensionState,
    Item,
    ItemSource,
    ItemState,
    Milestone,
    ProgressReport,
    ReportCadence,
    ReportKind,
    ReportState,
)
from duban.items.tests.base import ItemTestCase
from duban.org.models import Unit

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
S = ItemState


def at(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
CREATED_DONE = at(2025, 1, 15, 10)  # the completed items were registered in January
CREATED_OPEN = at(2025, 3, 10, 10)  # the open ones in March
COMPLETED = at(2025, 6, 20, 16)  # and completed in June
FAR = D(2099, 12, 31)
PAST = D(2020, 6, 30)


class DashboardTestCase(ItemTestCase):
    n = 0

    def make(self, unit: Unit | None, state: str, created: dt.datetime, **fields: Any) -> Item:
        DashboardTestCase.n += 1
        fields.setdefault("title", f"统计事项{DashboardTestCase.n}")
        fields.setdefault("source", ItemSource.OTHER)
        fields.setdefault("owner_unit", self.supervision)
        item = Item.objects.create(lead_unit=unit, state=state, **fields)
        Item.objects.filter(pk=item.pk).update(created_at=created)
        return item

    def done(self, unit: Unit, late: bool, leader: str, source: str, **fields: Any) -> Item:
        fields.setdefault("completed_at", COMPLETED)
        created = fields.pop("created", CREATED_DONE)
        fields.setdefault("state", S.COMPLETED)
        return self.make(
            unit,
            fields.pop("state"),
            created,
            completed_late=late,
            responsible_leader=leader,
            source=source,
            due_date=D(2025, 6, 30),
            **fields,
        )

    def build_city(self) -> None:
        """18 items registered in 2025 (12 in January, 6 in March) and two from 2024.

        completed in 2025 — 发改委 6 (5 on time: 4 registered in 2025 + 1 from 2024; 1 late),
        住建局 5 (all on time, one of them archived), 市场监管局 2 (1 on time: below the sample).
        open, registered in 2025 — 发改委: red (2020, weekly, returned twice), yellow (today,
        weekly), green (2099, monthly, extended once); 住建局: green (2099, quarterly, extended
        twice, three requests); a draft without unit (green). One cancelled.
        """
        lead, co, sibling = self.lead, self.co, self.sibling
        zhang, li, wang = "张副市长", "李副市长", "王副市长"
        instruction, meeting, document = (
            ItemSource.LEADER_INSTRUCTION,
            ItemSource.MEETING,
            ItemSource.DOCUMENT,
        )
        for i in range(4):
            self.done(lead, False, zhang, instruction, return_count=1 if i == 0 else 0)
        self.done(lead, True, zhang, instruction)
        self.done(
            lead,
            False,
            zhang,
            instruction,
            created=at(2024, 11, 1, 9),
            completed_at=at(2025, 2, 10, 9),
        )
        self.done(
            lead,
            True,
            zhang,
            instruction,
            created=at(2024, 3, 1, 9),
            completed_at=at(2024, 5, 1, 9),
        )
        for i in range(5):
            self.done(co, False, li, meeting, state=S.ARCHIVED if i == 0 else S.COMPLETED)
        self.done(sibling, False, wang, document)
        self.done(sibling, True, wang, document)

        self.red = self.make(
            lead,
            S.IN_PROGRESS,
            CREATED_OPEN,
            due_date=PAST,
            report_cadence=ReportCadence.WEEKLY,
            return_count=2,
            responsible_leader=zhang,
        )
        self.yellow = self.make(
            lead,
            S.IN_PROGRESS,
            CREATED_OPEN,
            due_date=timezone.localdate(),
            report_cadence=ReportCadence.WEEKLY,
        )
        self.green = self.make(
            lead,
            S.IN_PROGRESS,
            CREATED_OPEN,
            due_date=FAR,
            report_cadence=ReportCadence.MONTHLY,
            extension_count=1,
        )
        self.co_open = self.make(
            co,
            S.ASSIGNED,
            CREATED_OPEN,
            due_date=FAR,
            report_cadence=ReportCadence.QUARTERLY,
            extension_count=2,
            responsible_leader=li,
        )
        self.make(None, S.DRAFT, CREATED_OPEN)
        self.make(sibling, S.CANCELLED, CREATED_OPEN, due_date=FAR)
        for state in (ExtensionState.APPROVED, ExtensionState.APPROVED, ExtensionState.REJECTED):
            self.extension(self.co_open, co, state)
        for due in (D(2025, 3, 1), D(2025, 4, 1), D(2024, 12, 1)):
            self.report(self.red, lead, due)
        Milestone.objects.create(item=self.red, title="完成方案", due_date=D(2020, 3, 1))
        Milestone.objects.create(
            item=self.green, title="开工", due_date=D(2025, 6, 1), done_at=COMPLETED
        )
        Milestone.objects.create(item=self.green, title="竣工", due_date=D(2099, 6, 1))

    def extension(self, item: Item, unit: Unit, state: str) -> None:
        ExtensionRequest.objects.create(
            item=item,
            unit=unit,
            reason="工程量大",
            progress="过半",
            next_steps="加快",
            requested_date=FAR,
            due_before=D(2099, 1, 1),
            state=state,
            requested_by=self.co_liaison,
        )

    def report(self, item: Item, unit: Unit, due: dt.date) -> None:
        ProgressReport.objects.create(
            item=item,
            unit=unit,
            kind=ReportKind.PROGRESS,
            state=ReportState.SUBMITTED,
            content="按计划推进",
            period_due=due,
            created_by=self.lead_liaison,
        )
