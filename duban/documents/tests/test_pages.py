"""The 督查文书 pages: the list of issued documents per kind and year with a pinned number of
queries, an issued document's page, and the 主送 units told when it is issued."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.documents.tests.base import DocumentTestCase, read
from duban.notify.models import Notification


class ListTest(DocumentTestCase):
    def queries(self) -> int:
        client = self.client_for(self.office)
        client.get(reverse("documents:list"))  # session and scopes warmed
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("documents:list"))
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def test_query_count_does_not_grow_with_documents(self) -> None:
        self.issued()
        self.notice()
        one = self.queries()
        for _ in range(4):
            self.issued()
            self.notice()
        self.assertEqual(self.queries(), one)

    def test_issued_per_kind_and_year(self) -> None:
        first, second = self.issued(), self.issued()
        page = self.client_for(self.lead_liaison).get(reverse("documents:list"), {"year": 2026})
        self.assertContains(page, first.number)
        self.assertContains(page, second.number)
        self.assertNotContains(page, 'id="draft-list"')  # a unit sees no drafts
        other = self.client_for(self.office).get(reverse("documents:list"), {"kind": "bulletin"})
        self.assertNotContains(other, first.number)


class IssuedPageTest(DocumentTestCase):
    def test_the_mark_number_and_text(self) -> None:
        document = self.issued()
        page = self.client_for(self.co_liaison).get(reverse("documents:detail", args=[document.pk]))
        self.assertContains(page, "市政府督查室文件")
        self.assertContains(page, "济政督〔2026〕1号")
        self.assertNotContains(page, 'id="document-form"')

    def test_a_lost_file_is_laid_out_again_from_the_frozen_text(self) -> None:
        document = self.issued()
        document.docx.storage.delete(str(document.docx.name))
        response = self.client_for(self.office).get(reverse("documents:docx", args=[document.pk]))
        texts = [p.text for p in read(response.content).paragraphs]
        self.assertIn("济政督〔2026〕1号", texts)
        self.assertIn(document.title, texts)

    def test_addressed_units_are_told(self) -> None:
        document = self.issued()
        told = set(
            Notification.objects.filter(kind="document_issued").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(told, {"lead_liaison", "lead_leader", "co_liaison"})
        note = Notification.objects.filter(kind="document_issued").first()
        assert note is not None
        self.assertEqual(note.title, "督查通知 济政督〔2026〕1号")
        self.assertEqual(note.url, reverse("documents:detail", args=[document.pk]))
