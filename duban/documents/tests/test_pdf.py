"""PDF through LibreOffice headless (CI installs libreoffice-writer-nogui); without it, a clear
Chinese message and the DOCX still there."""

from __future__ import annotations

import os
import unittest

from django.test import override_settings
from django.urls import reverse

from duban.documents import pdf
from duban.documents.tests.base import DocumentTestCase


class PdfTest(DocumentTestCase):
    # CI sets DUBAN_TEST_REQUIRE_SOFFICE: there a missing LibreOffice fails instead of skipping.
    @unittest.skipUnless(
        pdf.soffice() or os.environ.get("DUBAN_TEST_REQUIRE_SOFFICE"),
        "服务器未安装 LibreOffice (soffice)",
    )
    def test_an_issued_document_as_pdf(self) -> None:
        document = self.issued()
        response = self.client_for(self.lead_liaison).get(
            reverse("documents:pdf", args=[document.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        self.assertRegex(response.content, rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+")  # A4
        if "Noto Serif CJK SC" in pdf.installed_families():
            # 仿宋_GB2312 is not on this server: the stand-in is embedded, not a random font.
            self.assertIn(b"NotoSerifCJK", response.content)

    @override_settings(DUBAN_SOFFICE="/nonexistent/soffice")
    def test_without_libreoffice_the_page_says_so(self) -> None:
        document = self.issued()
        client = self.client_for(self.office)
        response = client.get(reverse("documents:pdf", args=[document.pk]), follow=True)
        self.assertContains(response, "服务器未安装 LibreOffice,无法生成 PDF;请下载 DOCX 文件。")
        docx = client.get(reverse("documents:docx", args=[document.pk]))
        self.assertEqual(docx.status_code, 200)
