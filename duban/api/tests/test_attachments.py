"""Attachments through the API: multipart upload with a bearer token, list, download, refusals."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from duban.api.tests.base import ApiTestCase, Response
from duban.items import actions, reporting
from duban.items.models import Attachment, Item, ProgressReport
from duban.items.tests.test_attachments import EXE, PDF, PNG
from duban.org.models import User


class AttachmentApiTest(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.media = tempfile.mkdtemp(prefix="duban-media-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)

    def in_progress(self) -> Item:
        item = self.assigned()
        return actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))

    def final_draft(self, item: Item) -> ProgressReport:
        liaison = self.refreshed(self.lead_liaison)
        return reporting.draft_final(self.fresh(item), actor=liaison, content="已完成")

    def upload(
        self, user: User | None, item: Item, name: str, content: bytes, **form: Any
    ) -> Response:
        form["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
        return self.client_as(user).post(f"/api/v1/items/{item.pk}/attachments", form)

    def listed(self, user: User, item: Item) -> list[str]:
        response = self.get(user, f"/items/{item.pk}/attachments")
        self.assertEqual(response.status_code, 200, response.content.decode())
        return [row["original_name"] for row in response.json()]

    def files_on_disk(self) -> list[Path]:
        return [path for path in Path(self.media).rglob("*") if path.is_file()]

    def test_liaison_uploads_to_its_draft_lists_and_downloads(self) -> None:
        item = self.in_progress()
        draft = self.final_draft(item)
        response = self.upload(self.lead_liaison, item, "验收报告.pdf", PDF, report=draft.pk)
        self.assertEqual(response.status_code, 201, response.content.decode())
        body = response.json()
        stored = Attachment.objects.get()
        self.assertEqual(body["id"], stored.pk)
        self.assertEqual(body["report_id"], draft.pk)
        self.assertEqual(
            (body["original_name"], body["content_type"], body["size"], body["sha256"]),
            ("验收报告.pdf", "application/pdf", len(PDF), stored.sha256),
        )
        self.assertEqual(body["uploaded_by"], str(self.lead_liaison))
        self.assertEqual(body["download_url"], f"/api/v1/attachments/{stored.pk}")
        self.assertEqual(self.listed(self.lead_liaison, item), ["验收报告.pdf"])

        download: Response = self.client_as(self.lead_liaison).get(body["download_url"])
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), PDF)
        self.assertEqual(download["Content-Type"], "application/pdf")
        disposition = download["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertIn("filename*=utf-8''%E9%AA%8C%E6%94%B6%E6%8A%A5%E5%91%8A.pdf", disposition)

    def test_item_level_file_and_missing_file(self) -> None:
        item = self.in_progress()
        response = self.upload(self.office, item, "现场.png", PNG)
        self.assertEqual(response.status_code, 201, response.content.decode())
        self.assertIsNone(response.json()["report_id"])
        self.assertEqual(response.json()["content_type"], "image/png")
        for person in (self.lead_liaison, self.co_liaison, self.leader):
            with self.subTest(person=person.username):
                self.assertEqual(self.listed(person, item), ["现场.png"])
        no_file = self.client_as(self.office).post(f"/api/v1/items/{item.pk}/attachments", {})
        self.assertIn("file", self.assertRefused(no_file, 400, "invalid")["fields"])

    def test_renamed_executable_refused_and_nothing_stored(self) -> None:
        item = self.in_progress()
        refused = self.assertRefused(
            self.upload(self.lead_liaison, item, "通知.pdf", EXE), 400, "invalid"
        )
        self.assertEqual(list(refused["fields"]), ["file"])
        self.assertIn("可执行程序", refused["fields"]["file"][0])
        self.assertIn("通知.pdf", refused["message"])
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_too_large_refused(self) -> None:
        item = self.in_progress()
        with override_settings(DUBAN_ATTACHMENT_MAX_MB=1):
            big = PDF + b"0" * (1024 * 1024)
            refused = self.assertRefused(
                self.upload(self.lead_liaison, item, "大文件.pdf", big), 400, "invalid"
            )
        self.assertIn("超过 1 MB", refused["fields"]["file"][0])
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_who_may_upload(self) -> None:
        item = self.in_progress()
        # The city leader sees the item but does not handle it: 403, not 404.
        refused = self.assertRefused(self.upload(self.leader, item, "a.pdf", PDF), 403, "forbidden")
        self.assertIn("没有权限", refused["message"])
        self.assertRefused(self.upload(None, item, "a.pdf", PDF), 401, "unauthenticated")
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_sibling_unit_gets_404_everywhere(self) -> None:
        item = self.in_progress()
        found = Attachment.objects.get(
            pk=self.upload(self.lead_liaison, item, "方案.pdf", PDF).json()["id"]
        )
        sibling = self.sibling_liaison
        self.assertRefused(self.upload(sibling, item, "a.pdf", PDF), 404, "not_found")
        self.assertRefused(self.get(sibling, f"/items/{item.pk}/attachments"), 404, "not_found")
        self.assertRefused(self.get(sibling, f"/attachments/{found.pk}"), 404, "not_found")
        self.assertRefused(
            self.get(self.lead_liaison, f"/attachments/{found.pk + 99}"), 404, "not_found"
        )
        self.assertEqual(Attachment.objects.count(), 1)

    def test_office_sees_a_drafts_file_only_once_sent(self) -> None:
        item = self.in_progress()
        draft = self.final_draft(item)
        body = self.upload(self.lead_liaison, item, "验收报告.pdf", PDF, report=draft.pk).json()
        path = f"/attachments/{body['id']}"
        for person in (self.office, self.co_liaison):
            with self.subTest(person=person.username):
                self.assertEqual(self.listed(person, item), [])
                self.assertRefused(self.get(person, path), 404, "not_found")
        # The page's download asks the same question.
        page = reverse("items:attachment", args=[body["id"]])
        self.assertEqual(self.client_for(self.lead_liaison).get(page).status_code, 200)
        self.assertEqual(self.client_for(self.office).get(page).status_code, 404)

        self.act(self.lead_liaison, item, "submit_for_signoff")
        self.act(self.lead_leader, item, "sign_off")  # signs and sends (seed 004 第十二条)
        self.assertEqual(self.listed(self.office, item), ["验收报告.pdf"])
        download = self.get(self.office, path)
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), PDF)

    def test_upload_to_a_sent_or_unreadable_report_refused(self) -> None:
        item = self.in_progress()
        sent = reporting.report_progress(
            self.fresh(item), actor=self.refreshed(self.lead_liaison), content="完成过半"
        )
        draft = self.final_draft(item)
        cases = [
            (self.lead_liaison, sent.pk),  # already sent
            (self.office, draft.pk),  # another unit's draft: not the office's to read
            (self.co_liaison, draft.pk),
            (self.lead_liaison, draft.pk + 999),  # missing
        ]
        for person, report in cases:
            with self.subTest(person=person.username, report=report):
                refused = self.assertRefused(
                    self.upload(person, item, "a.pdf", PDF, report=report), 400, "invalid"
                )
                self.assertEqual(list(refused["fields"]), ["report"])
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_openapi_lists_the_paths(self) -> None:
        document = Client().get("/api/v1/openapi.json").json()
        paths = document["paths"]
        self.assertIn("post", paths["/api/v1/items/{item_id}/attachments"])
        self.assertIn("get", paths["/api/v1/items/{item_id}/attachments"])
        self.assertIn("get", paths["/api/v1/attachments/{attachment_id}"])
        body = paths["/api/v1/items/{item_id}/attachments"]["post"]["requestBody"]
        self.assertIn("multipart/form-data", body["content"])
