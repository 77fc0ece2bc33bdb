"""Attachments on items and reports: checked by content, stored outside static, served by check.

Issue 4 item 4: PDF, Office/WPS documents, OFD and images, with a size limit, the type taken from
the file's bytes and never from its name, kept under MEDIA_ROOT (which no URL serves) and handed
out only after `attachment_for`: its item in `Item.objects.restrict`, its report (if any) in
`visible_reports` — the pages' `serve_attachment` and api/attachments.py both ask it. A renamed
executable is refused.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from duban.audit.log import record
from duban.audit.types import EventType
from duban.items.access import SENT_REPORTS, active_units, may_see_secret, visible_reports
from duban.items.actions import atomic
from duban.items.models import Attachment, Item, ProgressReport
from duban.org.access import can
from duban.org.models import User
from duban.org.validation import fail

FIELD = "file"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: doc, xls, ppt and WPS's wps, et
EXECUTABLE = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xcf\xfa\xed\xfe",
)

# Content family → the extensions a file of that content may carry.
EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "png": frozenset({"png"}),
    "jpeg": frozenset({"jpg", "jpeg"}),
    "ole": frozenset({"doc", "xls", "ppt", "wps", "et"}),
    "docx": frozenset({"docx"}),
    "xlsx": frozenset({"xlsx"}),
    "pptx": frozenset({"pptx"}),
    "ofd": frozenset({"ofd"}),
}
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ofd": "application/ofd",
}
# OOXML packages carry [Content_Types].xml and their part folder; OFD (GB/T 33190) has OFD.xml.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ALLOWED_TEXT = "PDF、Word/Excel/PowerPoint、WPS、OFD、PNG/JPEG 图片"


def max_bytes() -> int:
    return int(getattr(settings, "DUBAN_ATTACHMENT_MAX_MB", 20)) * 1024 * 1024


def clean_name(name: str) -> str:
    """The last path component only, at most 200 characters, keeping the extension."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    if len(base) <= 200:
        return base
    suffix = PurePath(base).suffix[:20]
    return base[: 200 - len(suffix)] + suffix


def _zip_family(upload: UploadedFile) -> str | None:
    """Reads only the central directory: nothing is decompressed, so no zip bomb can bite."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" not in names:
        return None
    for family, folder in OOXML_PARTS.items():
        if any(entry.startswith(folder) for entry in names):
            return family
    return None


def sniff(upload: UploadedFile) -> str | None:
    """The content family from the file's first bytes (and a zip's entries), or None."""
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(OLE):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_family(upload)
    return None


def _refuse(name: str, message: str) -> ValidationError:
    return fail(FIELD, message % {"name": name})


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable file; else a Chinese refusal naming it."""
    name = clean_name(upload.name or "")
    ext = PurePath(name).suffix.lower().lstrip(".")
    size = upload.size or 0
    if size == 0:
        raise _refuse(name, _("文件「%(name)s」是空文件。"))
    if size > max_bytes():
        limit = max_bytes() // (1024 * 1024)
        raise fail(
            FIELD, _("文件「%(name)s」超过 %(mb)d MB 的大小限制。") % {"name": name, "mb": limit}
        )
    upload.seek(0)
    if upload.read(4).startswith(EXECUTABLE):
        raise _refuse(name, _("文件「%(name)s」是可执行程序,不能上传。"))
    family = sniff(upload)
    upload.seek(0)
    if family is None:
        message = _("文件「%(name)s」的内容不是允许的类型(%(allowed)s)。")
        raise fail(FIELD, message % {"name": name, "allowed": ALLOWED_TEXT})
    if ext not in EXTENSIONS[family]:
        message = _("文件「%(name)s」的内容与扩展名不符,请确认文件类型后重新上传。")
        raise _refuse(name, message)
    return ext, CONTENT_TYPES[ext]


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def store_checked(
    item: Item,
    upload: UploadedFile,
    ext: str,
    content_type: str,
    *,
    actor: Any,
    report: ProgressReport | None = None,
) -> Attachment:
    """Save a file that passed `check_upload`, under a random name (never the user's)."""
    attachment = Attachment(
        item=item,
        report=report,
        original_name=clean_name(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
        sha256=_sha256(upload),
        uploaded_by=actor,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    attachment.save()
    details = {
        "attachment": attachment.pk,
        "name": attachment.original_name,
        "sha256": attachment.sha256,
        "report": report.pk if report else None,
    }
    record(EventType.ITEM_ATTACHMENT_ADDED, actor=actor, unit=None, target=item, details=details)
    return attachment


def may_attach(user: User | None, item: Item) -> bool:
    """The office that owns the item, or a handling unit's liaison or leader."""
    if user is None:
        return True
    if not may_see_secret(user, item):
        return False
    if can(user, "item", "change", item.owner_unit):
        return True
    return any(can(user, "item_unit", "change", row.unit) for row in active_units(item))


def report_refused() -> ValidationError:
    """The one answer for a report that is sent, another item's, or not the person's to read."""
    return fail("report", _("只能为本事项尚未报送的报告上传附件。"))


@atomic
def add_attachment(
    item: Item,
    *,
    actor: User | None,
    upload: UploadedFile,
    report: ProgressReport | None = None,
) -> Attachment:
    """Attach a file to an open item, or to one of its reports not yet sent."""
    if not may_attach(actor, item):
        raise fail(FIELD, _("您没有权限为此事项上传附件。"))
    if not item.is_open:
        raise fail(FIELD, _("事项已办结或撤销,不能再上传附件。"))
    if report is not None and (report.item_id != item.pk or report.state in SENT_REPORTS):
        raise report_refused()
    ext, content_type = check_upload(upload)
    return store_checked(item, upload, ext, content_type, actor=actor, report=report)


def visible_attachments(user: Any, item: Item) -> QuerySet[Attachment]:
    """The files on an item that this person may open: the item's own, and those of the reports
    `visible_reports` lets them read (a draft's files stay with its unit until it is sent).

    `item` must already have been found through `Item.objects.restrict(user)`.
    """
    readable = visible_reports(user, item).values("pk")
    own = Q(item=item, report__isnull=True)
    return Attachment.objects.filter(own | Q(report__in=readable)).select_related("uploaded_by")


def attachment_for(user: Any, pk: int) -> Attachment:
    """The attachment, or Http404 — out of scope answers the same as missing (DESIGN
    principle 4): its item must be in `restrict(user)` and its report, if any, readable."""
    found = (
        Attachment.objects.filter(item__in=Item.objects.restrict(user))
        .select_related("item")
        .filter(pk=pk)
        .first()
    )
    if found is None or not visible_attachments(user, found.item).filter(pk=pk).exists():
        raise Http404
    return found


def download(attachment: Attachment) -> FileResponse:
    """As a download under its original name (Django writes RFC 5987 `filename*` for CJK)."""
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_GET
def serve_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The page's download: the same checks as the API's (api/attachments.py)."""
    return download(attachment_for(request.user, pk))
