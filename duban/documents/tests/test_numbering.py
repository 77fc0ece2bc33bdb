"""发文字号: 〔year〕N号 per office, kind and year, with no gap and no duplicate (issue 6 item 5).

On SQLite the IMMEDIATE transaction serialises issuers; on PostgreSQL the counter row's FOR
UPDATE lock does, which the two-connection test proves with real concurrent transactions.
"""

from __future__ import annotations

import datetime as dt
import threading
import unittest

from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import TransactionTestCase

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.documents import actions
from duban.documents.models import Document, DocumentCounter, DocumentTemplate
from duban.documents.tests.base import FAR, TODAY, DocumentTestCase, temp_media
from duban.items import actions as items
from duban.org import actions as org
from duban.org.models import User


class SerialTest(DocumentTestCase):
    def test_one_after_another_per_kind_and_year(self) -> None:
        numbers = [self.issued().number for _ in range(3)]
        self.assertEqual(numbers, [f"济政督〔2026〕{n}号" for n in (1, 2, 3)])
        reminder = actions.draft_for_item(
            self.assigned_until(FAR), "reminder", actor=self.office, today=TODAY
        )
        self.assertEqual(self.issued(reminder).number, "督办〔2026〕1号")  # the preset 代字
        self.assertEqual(self.issued(today=dt.date(2027, 1, 4)).number, "济政督〔2027〕1号")

    def test_a_failed_issue_leaves_no_gap(self) -> None:
        # A 代字 with a space could only come from outside the actions; the issue refuses it
        # after taking its number, and the rollback must give the number back.
        DocumentTemplate.objects.filter(office_unit=self.supervision, kind="notice").update(
            number_prefix="济政 督"
        )
        document = self.notice()
        with self.assertRaises(ValidationError):
            self.issued(document)
        self.assertFalse(DocumentCounter.objects.filter(last__gt=0).exists())
        self.assertTrue(Document.objects.get(pk=document.pk).is_draft)
        DocumentTemplate.objects.filter(office_unit=self.supervision, kind="notice").update(
            number_prefix="济政督"
        )
        self.assertEqual(
            self.issued(Document.objects.get(pk=document.pk)).number, "济政督〔2026〕1号"
        )

    def test_an_issued_document_is_frozen(self) -> None:
        document = self.issued()
        with self.assertRaises(items.Conflict):
            actions.edit_draft(document, actor=self.office, version=document.version, title="改")
        with self.assertRaises(items.Conflict):
            actions.issue(document, actor=self.office_head, version=document.version)
        self.assertEqual(Document.objects.get(pk=document.pk).title, document.title)
        self.assertEqual(Event.objects.filter(type=EventType.DOCUMENT_ISSUED).count(), 1)


@unittest.skipUnless(
    connection.vendor == "postgresql", "真正并发的事务需要 PostgreSQL 的行锁;SQLite 串行写入"
)
class ConcurrentIssueTest(TransactionTestCase):
    """N office heads press 签发 at the same moment, each on its own connection."""

    serialized_rollback = True
    N = 6

    def setUp(self) -> None:
        temp_media(self)
        city = org.create_unit(actor=None, code="N", name="并发市", kind="other")
        office = org.create_unit(
            actor=None, code="N-DCS", name="并发市督查室", kind="government", parent=city
        )
        lead = org.create_unit(
            actor=None, code="N-FGW", name="并发市发改委", kind="department", parent=city
        )
        self.staff = self.person("staff", office, "office", city)
        self.heads = [self.person(f"head{n}", office, "office_head", city) for n in range(self.N)]
        actions.update_template(office, "notice", actor=self.staff, number_prefix="并政督")
        self.drafts = []
        for n in range(self.N):
            item = items.create_item(
                actor=self.staff, owner_unit=office, title=f"并发事项{n}", source="other"
            )
            items.assign(item, actor=self.staff, lead_unit=lead, time_limit=FAR)
            self.drafts.append(actions.draft_for_item(item, "notice", actor=self.staff).pk)

    def person(self, name: str, unit: object, role: str, scope: object) -> User:
        user = org.create_user(actor=None, username=name, full_name=name, password=None)
        org.grant_role(user, unit, role, actor=None, scope=scope)  # type: ignore[arg-type]
        return User.objects.get(pk=user.pk)

    def test_n_concurrent_issues_get_1_to_n(self) -> None:
        barrier = threading.Barrier(self.N)
        errors: list[BaseException] = []

        def press(n: int) -> None:
            try:
                document = Document.objects.get(pk=self.drafts[n])
                barrier.wait(timeout=20)
                actions.issue(document, actor=self.heads[n], version=document.version, today=TODAY)
            except BaseException as error:  # reported below, in the test's own thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press, args=(n,)) for n in range(self.N)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        issued = Document.objects.filter(pk__in=self.drafts)
        self.assertEqual(
            sorted(issued.values_list("serial", flat=True)), list(range(1, self.N + 1))
        )
        numbers = set(issued.values_list("number", flat=True))
        self.assertEqual(numbers, {f"并政督〔2026〕{n}号" for n in range(1, self.N + 1)})
        self.assertEqual(DocumentCounter.objects.get(kind="notice", year=2026).last, self.N)
