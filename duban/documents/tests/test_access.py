"""Who may draft, issue and read documents (duban/org/access.py roles; shared/DESIGN.md 「Who
uses it」): office staff draft, the office head issues (signs), leaders and auditors read, the
units a document is addressed to read it once issued, and everyone else gets a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from duban.documents import actions
from duban.documents.models import DocState, Document
from duban.documents.tests.base import FAR, DocumentTestCase
from duban.org.models import User


class MatrixTest(DocumentTestCase):
    def may_draft(self, user: User) -> bool:
        item = self.assigned_until(FAR)
        try:
            actions.draft_for_item(item, "notice", actor=self.refreshed(user))
        except PermissionDenied:
            return False
        return True

    def test_who_drafts(self) -> None:
        allowed = {
            "office": True,
            "office_head": True,
            "admin": True,
            "leader": False,
            "auditor": False,
            "lead_liaison": False,
            "lead_leader": False,
            "sibling_liaison": False,
            "inspector": False,
            "district_office": False,  # an office, but not over the city's 督查室
        }
        seen = {name: self.may_draft(getattr(self, name)) for name in allowed}
        self.assertEqual(seen, allowed)

    def test_who_issues(self) -> None:
        for name, expected in {"office": False, "leader": False, "office_head": True}.items():
            document = self.notice()
            user = self.refreshed(getattr(self, name))
            with self.subTest(name):
                if expected:
                    actions.issue(document, actor=user, version=document.version)
                    self.assertEqual(Document.objects.get(pk=document.pk).state, DocState.ISSUED)
                else:
                    with self.assertRaises(PermissionDenied):
                        actions.issue(document, actor=user, version=document.version)

    def test_who_reads_drafts_and_issued_documents(self) -> None:
        draft = self.notice()
        issued = self.issued()
        readers = {
            "office": (True, True),
            "office_head": (True, True),
            "leader": (True, True),
            "auditor": (True, True),
            "lead_liaison": (False, True),  # addressed (主办), issued only
            "co_liaison": (False, True),  # addressed (协办)
            "lead_leader": (False, True),
            "sibling_liaison": (False, False),
            "district_office": (False, False),
        }
        for name, (sees_draft, sees_issued) in readers.items():
            visible = Document.objects.restrict(self.refreshed(getattr(self, name)))
            with self.subTest(name):
                self.assertEqual(visible.filter(pk=draft.pk).exists(), sees_draft)
                self.assertEqual(visible.filter(pk=issued.pk).exists(), sees_issued)

    def test_a_secret_items_document_stays_with_the_people_named(self) -> None:
        item = self.assigned_until(FAR, confidentiality="secret")
        document = self.issued(actions.draft_for_item(item, "notice", actor=self.office))
        self.assertTrue(Document.objects.restrict(self.office).filter(pk=document.pk).exists())
        leader = self.refreshed(self.leader)
        self.assertFalse(Document.objects.restrict(leader).filter(pk=document.pk).exists())


class PagesTest(DocumentTestCase):
    def test_outside_scope_is_404_and_a_unit_cannot_issue(self) -> None:
        document = self.issued()
        url = reverse("documents:detail", args=[document.pk])
        self.assertEqual(self.client_for(self.sibling_liaison).get(url).status_code, 404)
        self.assertEqual(self.client_for(self.lead_liaison).get(url).status_code, 200)
        docx_url = reverse("documents:docx", args=[document.pk])
        self.assertEqual(self.client_for(self.sibling_liaison).get(docx_url).status_code, 404)
        download = self.client_for(self.lead_liaison).get(docx_url)
        self.assertEqual(download.status_code, 200)
        self.assertIn("filename*=UTF-8''", download["Content-Disposition"])

    def test_office_staff_may_not_issue_through_the_page(self) -> None:
        document = self.notice()
        url = reverse("documents:issue", args=[document.pk])
        response = self.client_for(self.office).post(url, {"version": document.version})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Document.objects.get(pk=document.pk).state, DocState.DRAFT)
        response = self.client_for(self.office_head).post(url, {"version": document.version})
        self.assertEqual(response.status_code, 302)
        issued = Document.objects.get(pk=document.pk)
        self.assertEqual(issued.number, f"济政督〔{issued.year}〕1号")

    def test_templates_page_is_the_offices(self) -> None:
        url = reverse("documents:template", args=["notice"])
        self.assertEqual(self.client_for(self.lead_liaison).get(url).status_code, 403)
        self.assertEqual(self.client_for(self.office).get(url).status_code, 200)

    def test_item_page_button_only_for_drafters(self) -> None:
        item = self.assigned_until(FAR)
        url = reverse("items:detail", args=[item.pk])
        self.assertContains(self.client_for(self.office).get(url), "生成督查通知/催办单")
        self.assertNotContains(self.client_for(self.lead_liaison).get(url), "生成督查通知/催办单")
