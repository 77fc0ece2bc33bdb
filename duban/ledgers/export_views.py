"""导出 XLSX from the 台账 page: the rows the person sees, under the filters in the address.

The workbook is written to a temporary file (constant memory, ledgers/xlsx_export.py) and then
streamed from it; the file is deleted once sent. The page's script (ledgers/export.js) shows the
progress meanwhile; without it the link still downloads.
"""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from duban.core.http import AuthedRequest
from duban.items.models import Item
from duban.ledgers import xlsx_export
from duban.ledgers.filters import cleaned, ledger_items, ordered, parse

# Chunks of the finished file sent to the browser.
SEND_BLOCK = 256 * 1024


@login_required
@require_GET
def export_xlsx(request: AuthedRequest) -> FileResponse:
    data = cleaned(parse(request.user, request.GET))
    items = ordered(ledger_items(request.user, data), data.get("sort"))
    name = xlsx_export.filename()
    out = tempfile.TemporaryFile(prefix="duban-export-")  # noqa: SIM115 (FileResponse closes it)
    try:
        rows = xlsx_export.export_items(
            items,
            out,
            actor=request.user,
            filters=data,
            viewable=Item.objects.restrict(request.user, "view"),
            name=name,
            via="page",
        )
    except BaseException:
        out.close()
        raise
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=name, content_type=xlsx_export.XLSX_TYPE
    )
    response.block_size = SEND_BLOCK
    response["X-Export-Rows"] = str(rows)
    response["Cache-Control"] = "no-store"
    return response
