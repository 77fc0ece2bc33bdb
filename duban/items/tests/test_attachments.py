"""Attachments: type by content (not name), size limit, kept in MEDIA_ROOT, served by check."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from duban.items import actions, attachments, reporting
from duban.items.models import Attachment, Item, ProgressReport
from duban.items.tests.base import ItemTestCase

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57


def package(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = package("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = package("[Content_Types].xml", "xl/workbook.xml")
PPTX = package("[Content_Types].xml", "ppt/presentation.xml")
OFD = package("OFD.xml", "Doc_0/Document.xml")
PLAIN_ZIP = package("readme.txt")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class MediaTestCase(ItemTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.media = tempfile.mkdtemp(prefix="duban-media-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)

    def started(self) -> Item:
        item = self.assigned()
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return item


class ContentCheckTest(MediaTestCase):
    def test_allowed_types_by_content(self) -> None:
        cases = [
            ("报告.pdf", PDF, "application/pdf"),
            ("现场.png", PNG, "image/png"),
            ("现场.JPG", JPEG, "image/jpeg"),
            ("旧版.doc", OLE, "application/msword"),
            ("表格.xls", OLE, "application/vnd.ms-excel"),
            ("金山.wps", OLE, "application/vnd.ms-works"),
            ("金山表格.et", OLE, "application/vnd.ms-excel"),
            ("方案.docx", DOCX, attachments.CONTENT_TYPES["docx"]),
            ("台账.xlsx", XLSX, attachments.CONTENT_TYPES["xlsx"]),
            ("汇报.pptx", PPTX, attachments.CONTENT_TYPES["pptx"]),
            ("公文.ofd", OFD, "application/ofd"),
        ]
        for name, content, content_type in cases:
            with self.subTest(name=name):
                self.assertEqual(attachments.check_upload(upload(name, content))[1], content_type)

    def refused(self, name: str, content: bytes) -> str:
        with self.assertRaises(ValidationError) as caught:
            attachments.check_upload(upload(name, content))
        return caught.exception.message_dict["file"][0]

    def test_renamed_executable_refused(self) -> None:
        self.assertIn("可执行程序", self.refused("通知.pdf", EXE))
        self.assertIn("可执行程序", self.refused("附件.docx", ELF))

    def test_name_does_not_make_the_type(self) -> None:
        self.assertIn("不是允许的类型", self.refused("说明.pdf", b"just some text"))
        self.assertIn("不是允许的类型", self.refused("假文档.docx", PLAIN_ZIP))
        self.assertIn("与扩展名不符", self.refused("报告.docx", PDF))
        self.assertIn("与扩展名不符", self.refused("没有扩展名", PDF))
        self.assertIn("与扩展名不符", self.refused("脚本.exe", PDF))

    def test_empty_and_too_large(self) -> None:
        self.assertIn("空文件", self.refused("空.pdf", b""))
        with override_settings(DUBAN_ATTACHMENT_MAX_MB=1):
            big = PDF + b"0" * (1024 * 1024)
            self.assertIn("超过 1 MB", self.refused("大文件.pdf", big))
            self.assertTrue(attachments.check_upload(upload("刚好.pdf", PDF + b"0" * 1000)))

    def test_name_keeps_only_the_last_part(self) -> None:
        self.assertEqual(attachments.clean_name("../../etc/passwd.pdf"), "passwd.pdf")
        self.assertEqual(attachments.clean_name("C:\\temp\\报告.pdf"), "报告.pdf")
        self.assertEqual(len(attachments.clean_name("长" * 300 + ".pdf")), 200)


class StorageTest(MediaTestCase):
    def test_stored_under_media_with_a_random_name(self) -> None:
        item = self.started()
        found = attachments.add_attachment(
            item, actor=self.refreshed(self.lead_liaison), upload=upload("方案.pdf", PDF)
        )
        path = Path(found.file.path)
        self.assertTrue(path.is_relative_to(Path(self.media)))
        self.assertNotIn("方案", path.name)
        self.assertEqual(path.suffix, ".pdf")
        self.assertEqual(path.read_bytes(), PDF)
        self.assertEqual(found.sha256, hashlib.sha256(PDF).hexdigest())
        self.assertEqual((found.original_name, found.size), ("方案.pdf", len(PDF)))

    def test_who_may_attach(self) -> None:
        item = self.started()
        for person in (self.lead_liaison, self.co_liaison, self.office):
            with self.subTest(person=person.username):
                attachments.add_attachment(
                    item, actor=self.refreshed(person), upload=upload("a.pdf", PDF)
                )
        with self.assertRaisesMessage(ValidationError, "没有权限"):
            attachments.add_attachment(
                item, actor=self.refreshed(self.sibling_liaison), upload=upload("a.pdf", PDF)
            )
        self.assertEqual(Attachment.objects.count(), 3)

    def test_report_with_files(self) -> None:
        item = self.started()
        report = reporting.report_progress(
            item,
            actor=self.refreshed(self.lead_liaison),
            content="已完成",
            files=[upload("照片.png", PNG), upload("方案.docx", DOCX)],
        )
        self.assertEqual(
            sorted(report.attachments.values_list("original_name", flat=True)),
            ["方案.docx", "照片.png"],
        )

    def test_one_bad_file_refuses_the_whole_report(self) -> None:
        item = self.started()
        with self.assertRaises(ValidationError):
            reporting.report_progress(
                item,
                actor=self.refreshed(self.lead_liaison),
                content="已完成",
                files=[upload("照片.png", PNG), upload("病毒.pdf", EXE)],
            )
        self.assertFalse(ProgressReport.objects.exists())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(list(Path(self.media).rglob("*.*")), [])


class ServeTest(MediaTestCase):
    def stored(self) -> Attachment:
        item = self.started()
        return attachments.add_attachment(
            item, actor=self.refreshed(self.lead_liaison), upload=upload("验收报告.pdf", PDF)
        )

    def get(self, user: Any, pk: int) -> Any:
        return self.client_for(user).get(reverse("items:attachment", args=[pk]))

    def test_served_as_download_to_people_in_scope(self) -> None:
        found = self.stored()
        for person in (self.lead_liaison, self.co_liaison, self.office, self.lead_leader):
            with self.subTest(person=person.username):
                response = self.get(person, found.pk)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(b"".join(response.streaming_content), PDF)
                self.assertEqual(response["Content-Type"], "application/pdf")
                self.assertTrue(response["Content-Disposition"].startswith("attachment;"))

    def test_sibling_liaison_gets_404_like_missing(self) -> None:
        found = self.stored()
        self.assertEqual(self.get(self.sibling_liaison, found.pk).status_code, 404)
        self.assertEqual(self.get(self.lead_liaison, found.pk + 999).status_code, 404)

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        found = self.stored()
        response = self.get(None, found.pk)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
