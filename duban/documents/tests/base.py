"""Documents on top of the item personas: the city's 督查室 issues under its own 代字 济政督."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from typing import Any
from unittest import TestCase

import docx
from django.test import override_settings
from docx.document import Document as DocxDocument

from duban.documents import actions
from duban.documents.models import Document
from duban.items import actions as items
from duban.items.models import Item
from duban.items.tests.base import ItemTestCase
from duban.org.models import Unit

TODAY = dt.date(2026, 3, 2)
FAR = dt.date(2099, 6, 30)
START = dt.date(2025, 12, 1)


def read(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def temp_media(case: TestCase) -> None:
    """Issued files go to a directory of the test's own, removed after it."""
    media = tempfile.mkdtemp(prefix="duban-documents-")
    override = override_settings(MEDIA_ROOT=media)
    override.enable()
    case.addCleanup(shutil.rmtree, media, ignore_errors=True)
    case.addCleanup(override.disable)


class DocumentTestCase(ItemTestCase):
    def setUp(self) -> None:
        super().setUp()
        temp_media(self)
        actions.update_template(
            self.supervision, "notice", actor=self.office, number_prefix="济政督"
        )

    def assigned_until(
        self, due: dt.date, lead: Unit | None = None, start: dt.date = START, **fields: Any
    ) -> Item:
        item = self.draft(**fields)
        lead = lead or self.lead
        co = [self.co] if lead != self.co else []
        return items.assign(
            item, actor=self.office, lead_unit=lead, co_units=co, time_limit=due, start=start
        )

    def notice(self, item: Item | None = None) -> Document:
        item = item or self.assigned_until(FAR)
        return actions.draft_for_item(item, "notice", actor=self.office, today=TODAY)

    def issued(self, document: Document | None = None, today: dt.date = TODAY) -> Document:
        document = document or self.notice()
        return actions.issue(
            document, actor=self.refreshed(self.office_head), version=document.version, today=today
        )
