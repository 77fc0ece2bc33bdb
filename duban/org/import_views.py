"""The import page: upload a file of units and people, see every error or the summary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duban.org.access import can
from duban.org.importer import ImportResult, RowError, build_template
from duban.org.importer import import_org as run_import

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_manager(request: HttpRequest) -> None:
    # A page one may not use looks the same as a missing one (principle of scoping).
    if not can(request.user, "unit", "manage"):
        raise Http404


def _upload(request: HttpRequest) -> ImportResult:
    upload = request.FILES.get("file")
    if upload is None:
        return ImportResult(errors=[RowError("", 0, "", _("请选择要导入的文件。"))])
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        return ImportResult(errors=[RowError("", 0, "", _("文件不能超过 20 MB。"))])
    return run_import(upload.read(), actor=request.user, filename=upload.name or "")  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
def import_org(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    context: dict[str, object] = {"nav": "org"}
    if request.method == "POST":
        context["result"] = _upload(request)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "org/import_result.html", context)
    return render(request, "org/import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    response = HttpResponse(build_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_("组织机构导入模板") + ".xlsx"
    )
    return response
