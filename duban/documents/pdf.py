"""PDF through LibreOffice headless, when the server has it (`soffice --headless --convert-to pdf`).

Run synchronously with a time limit: one document converts in a few seconds, and the person who
asked waits for the file anyway. Each run has its own LibreOffice profile directory, since two
conversions sharing a profile block each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from duban.documents.models import Document

SOFFICE = "/usr/bin/soffice"
TIMEOUT_SECONDS = 120


class PdfUnavailable(Exception):
    pass


def soffice() -> str | None:
    """LibreOffice where Debian puts it (libreoffice-writer-nogui), or at settings.DUBAN_SOFFICE."""
    path = getattr(settings, "DUBAN_SOFFICE", SOFFICE)
    return path if Path(path).exists() else None


@cache
def installed_families() -> frozenset[str]:
    """Font families fontconfig knows: the PDF uses the stand-ins when the official ones miss."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    out = subprocess.run(  # noqa: S603  (fixed program, no shell)
        [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def convert(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable(_("服务器未安装 LibreOffice,无法生成 PDF;请下载 DOCX 文件。"))
    with tempfile.TemporaryDirectory(prefix="duban-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(_("PDF 转换超时,请稍后重试或下载 DOCX 文件。")) from None
        result = folder / "document.pdf"
        if not result.exists():
            raise PdfUnavailable(_("PDF 转换失败,请下载 DOCX 文件。"))
        return result.read_bytes()


def document_pdf(document: Document) -> bytes:
    """The document as PDF; laid out with the stand-in fonts when the server lacks the official."""
    from duban.documents.actions import docx_bytes, template_for

    template = template_for(document.office_unit, document.kind)
    official = {template.title_font, template.body_font}
    fallback = None if official <= installed_families() else True
    return convert(docx_bytes(document, fallback=fallback, for_pdf=True))
