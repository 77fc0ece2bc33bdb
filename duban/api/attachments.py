"""Attachments through the API (issue 4 items 4 and 12): upload as multipart, list, download.

The rules are items/attachments.py's, the same as the pages': the type is read from the file's
bytes (a renamed executable is refused), the size is limited by DUBAN_ATTACHMENT_MAX_MB, and a
file is handed out only after `attachment_for` — its item in `Item.objects.restrict`, its report
(if any) in `visible_reports`, so a draft's files stay with its unit until the report is sent.

An upload takes no `version`: `add_attachment` changes no field of the item and claims no
version, so there is nothing for a stale read to overwrite.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from duban.api.auth import actor
from duban.api.items import ERRORS, visible_item
from duban.items import attachments
from duban.items.access import visible_reports
from duban.items.models import Attachment, Item, ProgressReport

router = Router(tags=["attachments"])

# The form fields, described for the OpenAPI document.
FILE = File(..., description="附件文件,类型按内容判定")
REPORT = Form(None, description="附到本事项尚未报送的报告(如办结报告草稿);缺省附在事项上")
BINARY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


class AttachmentOut(Schema):
    id: int
    item_id: int
    report_id: int | None = Field(description="所属报告;为空表示附在事项上")
    original_name: str
    content_type: str = Field(description="按文件内容判定的类型")
    size: int = Field(description="字节数")
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str:
        return str(obj.uploaded_by)

    @staticmethod
    def resolve_download_url(obj: Attachment) -> str:
        return reverse("api-v1:download_attachment", kwargs={"attachment_id": obj.pk})


def _report(request: HttpRequest, item: Item, pk: int | None) -> ProgressReport | None:
    """A report the person may read; else the same refusal as a sent one, telling nothing."""
    if pk is None:
        return None
    found = visible_reports(actor(request), item).filter(pk=pk).first()
    if found is None:
        raise attachments.report_refused()
    return found


@router.post(
    "/items/{item_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传附件",
)
def upload_attachment(
    request: HttpRequest,
    item_id: int,
    file: UploadedFile = FILE,
    report: int | None = REPORT,
) -> Status[Attachment]:
    """One file (PDF、Word/Excel/PowerPoint、WPS、OFD、PNG/JPEG), on the item or on one of its
    reports not yet sent (`report`, e.g. the final-report draft)."""
    user = actor(request)
    item = visible_item(request, item_id)
    if not attachments.may_attach(user, item):
        # Seen but not theirs to change: 403 like the actions' refusals, not the action's 400.
        raise PermissionDenied(_("您没有权限为此事项上传附件。"))
    found = _report(request, item, report)
    stored = attachments.add_attachment(item, actor=user, upload=file, report=found)
    return Status(201, stored)


@router.get(
    "/items/{item_id}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    summary="附件列表",
)
def item_attachments(request: HttpRequest, item_id: int) -> Any:
    """The item's own files and those of the reports the person may read, oldest first."""
    item = visible_item(request, item_id)
    return attachments.visible_attachments(actor(request), item)


@router.get(
    "/attachments/{attachment_id}",
    response=ERRORS,
    summary="下载附件",
    url_name="download_attachment",
    openapi_extra={"responses": {200: {"description": "文件内容", "content": BINARY}}},
)
def download_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """The file under its original name; out of scope answers 404 like missing."""
    return attachments.download(attachments.attachment_for(actor(request), attachment_id))
