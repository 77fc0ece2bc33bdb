"""督查文书 pages: issued documents per kind and year, drafting, editing, issuing, downloads,
and the office's templates.

Every lookup starts from `restrict`: a document outside one's scope is a 404. Saving and issuing
post the version the person saw; a stale page answers 409 with the conflict message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.http import AuthedRequest
from duban.documents import actions, drafting, pdf
from duban.documents.access import offices_for
from duban.documents.forms import (
    BulletinForm,
    DocumentForm,
    ListFilterForm,
    ReportForm,
    TemplateForm,
    VersionForm,
)
from duban.documents.models import DocKind, DocState, Document
from duban.items.actions import Conflict
from duban.items.models import Item, Light
from duban.org.access import can
from duban.org.models import Unit

PAGE_SIZE = 50


def _status(error: ValidationError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _document(request: AuthedRequest, pk: int) -> Document:
    rows = Document.objects.restrict(request.user).select_related(
        "office_unit", "created_by", "issued_by"
    )
    return get_object_or_404(rows, pk=pk)


@login_required
def document_list(request: AuthedRequest) -> HttpResponse:
    visible = Document.objects.restrict(request.user)
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    issued = visible.filter(state=DocState.ISSUED)
    if data.get("kind"):
        issued = issued.filter(kind=data["kind"])
    if data.get("year"):
        issued = issued.filter(year=data["year"])
    page = Paginator(
        issued.select_related("office_unit").order_by("-issued_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    counts = (
        visible.filter(state=DocState.ISSUED)
        .values("kind", "year")
        .annotate(n=Count("pk"))
        .order_by("-year", "kind")
    )
    drafts = visible.filter(state=DocState.DRAFT).select_related("office_unit", "created_by")
    offices = offices_for(request.user)
    context = {
        "nav": "documents",
        "form": form,
        "page": page,
        "counts": [{**row, "label": DocKind(row["kind"]).label} for row in counts],
        "drafts": drafts.order_by("-updated_at")[:PAGE_SIZE] if offices else [],
        "may_draft": bool(offices),
        "query": _query(request),
    }
    return render(request, "documents/document_list.html", context)


def _query(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _offices_or_403(request: AuthedRequest) -> list[Unit]:
    offices = offices_for(request.user)
    if not offices:
        raise PermissionDenied(_("您没有权限起草督查文书。"))
    return offices


@login_required
def new_bulletin(request: AuthedRequest) -> HttpResponse:
    offices = _offices_or_403(request)
    form = BulletinForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.draft_bulletin(
                actor=request.user,
                office=data["office"],
                start=data["period_start"],
                end=data["period_end"],
            )
        except ValidationError as refused:
            form.attach_errors(refused)
        else:
            messages.success(request, _("已根据数据起草督查通报,请核改后签发。"))
            return redirect(reverse("documents:detail", args=[document.pk]))
    return _new_page(request, form, DocKind.BULLETIN)


@login_required
def new_report(request: AuthedRequest) -> HttpResponse:
    offices = _offices_or_403(request)
    # From an item's documents page the item comes along (?items=<pk>).
    initial = {"items": request.GET.get("items", "")}
    form = ReportForm(request.POST or None, offices=offices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.draft_report(
                actor=request.user,
                office=data["office"],
                topic=data["topic"],
                item_ids=data["items"],
            )
        except ValidationError as refused:
            form.attach_errors(refused)
        else:
            messages.success(request, _("已起草督查专报。"))
            return redirect(reverse("documents:detail", args=[document.pk]))
    return _new_page(request, form, DocKind.REPORT)


def _new_page(request: AuthedRequest, form: Any, kind: str) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"nav": "documents", "form": form, "kind_label": DocKind(kind).label}
    return render(request, "documents/document_new.html", context, status=status)


@login_required
def for_item(request: AuthedRequest, pk: int) -> HttpResponse:
    """An item's documents, and (POST) a new 督查通知 or 催办单/督办单 of it."""
    item = get_object_or_404(
        Item.objects.restrict(request.user).select_related("owner_unit"), pk=pk
    )
    may_draft = can(request.user, "document", "draft", item.owner_unit)
    error = ""
    if request.method == "POST":
        if not may_draft:
            raise PermissionDenied(_("您没有权限起草督查文书。"))
        try:
            document = actions.draft_for_item(
                item, request.POST.get("kind", ""), actor=request.user
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("已起草%(kind)s。") % {"kind": document.get_kind_display()})
            return redirect(reverse("documents:detail", args=[document.pk]))
    documents = Document.objects.restrict(request.user).filter(items=item).order_by("-created_at")
    context = {
        "nav": "documents",
        "item": item,
        "documents": documents,
        "may_draft": may_draft,
        "error": error,
    }
    return render(request, "documents/item_documents.html", context, status=400 if error else 200)


@login_required
def document_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A draft: its texts to edit (POST saves); an issued document: its text and files."""
    document = _document(request, pk)
    may_edit = document.is_draft and can(request.user, "document", "draft", document.office_unit)
    form = DocumentForm(initial=_initial(document))
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("您没有权限修改此文书。"))
        form = DocumentForm(request.POST)
        status = _save(request, document, form)
        if status == 302:
            messages.success(request, _("已保存。"))
            return redirect(reverse("documents:detail", args=[document.pk]))
    return render(
        request, "documents/document_detail.html", _detail(request, document, form), status=status
    )


def _initial(document: Document) -> dict[str, Any]:
    return {name: getattr(document, name) for name in actions.TEXT_FIELDS} | {
        "version": document.version
    }


def _save(request: AuthedRequest, document: Document, form: DocumentForm) -> int:
    if not form.is_valid():
        return 400
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        actions.edit_draft(document, actor=request.user, version=version, **data)
    except ValidationError as refused:
        form.attach_errors(refused)
        if isinstance(refused, Conflict):
            document.refresh_from_db()
        return _status(refused)
    return 302


def _detail(request: AuthedRequest, document: Document, form: DocumentForm) -> dict[str, Any]:
    may_draft = can(request.user, "document", "draft", document.office_unit)
    return {
        "nav": "documents",
        "document": document,
        "form": form,
        "may_edit": document.is_draft and may_draft,
        "may_issue": document.is_draft
        and can(request.user, "document", "issue", document.office_unit),
        "mark": _mark(document),
        "light_label": Light(document.light).label if document.light else "",
        "items": document.items.filter(pk__in=Item.objects.restrict(request.user).values("pk")),
    }


def _mark(document: Document) -> str:
    template = actions.template_for(document.office_unit, document.kind)
    return drafting.fill(template.issuer_mark, {"office": document.office_unit.name})


@login_required
@require_POST
def document_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not can(request.user, "document", "issue", document.office_unit):
        raise PermissionDenied(_("只有督查室负责人可以签发督查文书。"))
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else -1
    try:
        actions.issue(document, actor=request.user, version=version)
    except ValidationError as refused:
        document.refresh_from_db()
        page = DocumentForm(initial=_initial(document))
        page.attach_errors(refused)
        context = _detail(request, document, page)
        return render(request, "documents/document_detail.html", context, status=_status(refused))
    messages.success(request, _("已签发,发文字号 %(number)s。") % {"number": document.number})
    return redirect(reverse("documents:detail", args=[document.pk]))


@login_required
@require_POST
def document_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not (document.is_draft and can(request.user, "document", "draft", document.office_unit)):
        raise PermissionDenied(_("您没有权限废弃此文书。"))
    form = VersionForm(request.POST)
    try:
        actions.discard(
            document,
            actor=request.user,
            version=form.cleaned_data["version"] if form.is_valid() else -1,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(reverse("documents:detail", args=[document.pk]))
    messages.success(request, _("已废弃草稿。"))
    return redirect(reverse("documents:list"))


def _filename(document: Document, suffix: str) -> str:
    return f"{document.number or document.title or document.pk}.{suffix}"


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = _disposition(filename)
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=document; filename*=UTF-8''{quote(filename)}"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def document_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    return _attachment(actions.docx_bytes(document), DOCX_TYPE, _filename(document, "docx"))


@login_required
def document_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    try:
        data = pdf.document_pdf(document)
    except pdf.PdfUnavailable as missing:
        messages.error(request, str(missing))
        return redirect(reverse("documents:detail", args=[document.pk]))
    return _attachment(data, "application/pdf", _filename(document, "pdf"))


# Templates ----------------------------------------------------------------------------------


def _template_office(request: AuthedRequest) -> Unit:
    offices = offices_for(request.user, "template")
    if not offices:
        raise PermissionDenied(_("您没有权限修改文书模板。"))
    wanted = request.GET.get("office")
    chosen = next((o for o in offices if str(o.pk) == wanted), offices[0])
    return chosen


@login_required
def template_list(request: AuthedRequest) -> HttpResponse:
    office = _template_office(request)
    rows = [(kind, actions.template_for(office, kind)) for kind in DocKind.values]
    context = {
        "nav": "documents",
        "office": office,
        "offices": offices_for(request.user, "template"),
        "rows": [{"kind": k, "label": DocKind(k).label, "template": t} for k, t in rows],
    }
    return render(request, "documents/template_list.html", context)


@login_required
def template_edit(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in DocKind.values:
        raise Http404
    office = _template_office(request)
    current = actions.template_for(office, kind)
    form = TemplateForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                actions.update_template(office, kind, actor=request.user, **fields)
            except ValidationError as refused:
                form.attach_errors(refused)
            else:
                messages.success(request, _("已保存文书模板。"))
                return redirect(f"{reverse('documents:templates')}?office={office.pk}")
    context = {
        "nav": "documents",
        "office": office,
        "kind_label": DocKind(kind).label,
        "form": form,
        "own": current.office_unit_id == office.pk,
        "placeholders": actions.drafting.PLACEHOLDERS.items(),
    }
    return render(request, "documents/template_edit.html", context, status=status)
