"""The 台账 import page: upload an XLSX ledger, see every error by row and column, or the summary.

Routed by `path("import/", include("duban.items.import_views"))` in items/urls.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duban.items.importer import ImportResult, RowError, build_template, import_items
from duban.org.access import can
from duban.org.models import Membership, Role, Unit

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def owner_units(user: Any) -> list[Unit]:
    """The offices this person registers items for: where they hold an office role."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = Membership.objects.active().filter(
        user_id=user.pk, role__in=[Role.OFFICE, Role.OFFICE_HEAD]
    )
    units = Unit.objects.filter(pk__in=ids.values("unit_id"), active=True).order_by("path")
    return [unit for unit in units if can(user, "item", "change", unit)]


def _units_or_404(request: HttpRequest) -> list[Unit]:
    # A page one may not use looks the same as a missing one (principle of scoping).
    units = owner_units(request.user)
    if not units:
        raise Http404
    return units


def _upload(request: HttpRequest, units: list[Unit]) -> ImportResult:
    chosen = request.POST.get("owner_unit", "")
    owner = next((u for u in units if str(u.pk) == chosen), units[0] if len(units) == 1 else None)
    if owner is None:
        return ImportResult(errors=[RowError(0, "", _("请选择登记单位。"))])
    upload = request.FILES.get("file")
    if upload is None:
        return ImportResult(errors=[RowError(0, "", _("请选择要导入的文件。"))])
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        return ImportResult(errors=[RowError(0, "", _("文件不能超过 20 MB。"))])
    return import_items(
        upload.read(),
        actor=request.user,  # type: ignore[arg-type]
        owner_unit=owner,
        filename=upload.name or "",
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    units = _units_or_404(request)
    context: dict[str, object] = {"nav": "items", "units": units}
    if request.method == "POST":
        context["result"] = _upload(request, units)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "items/import_result.html", context)
    return render(request, "items/import.html", context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _units_or_404(request)
    response = HttpResponse(build_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_("督查事项导入模板") + ".xlsx"
    )
    return response


urlpatterns = [
    path("", import_page, name="import"),
    path("template.xlsx", import_template, name="import_template"),
]
