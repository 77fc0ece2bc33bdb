"""The report screens of the item page: 进展报告, 协办意见, 办结报告 with 送审签 and 审签, and 延期
申请 with its decision (issue 4 items 4 and 6).

Each screen is a form page reached from a button the item page shows only when
`access.available_actions` allows it and the item's reports make it meaningful (`offered`). The
work is done by items/reporting.py and items/extending.py, which check again; a page posted after
someone else moved the item on answers with the conflict message (409), as views.py's pages do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.http import AuthedRequest
from duban.items import extending, reporting
from duban.items.models import ExtensionRequest, ExtensionState, Item
from duban.items.report_forms import (
    APPROVE,
    CoInputForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FinalReportForm,
    PlanForm,
    ReportForm,
    SignOffForm,
)
from duban.items.views import (
    FormPage,
    _allowed_item,
    _claimed,
    _form_response,
    _item,
    _stale,
    _url,
    conflicts,
)

SEND = "send"  # the second submit button of the final report: save and send for 审签


def _bound(request: AuthedRequest) -> tuple[Any, Any]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _page(title: str, item: Item, **more: Any) -> FormPage:
    return FormPage(title, _url(item), pretitle=item.title, **more)


# The handling unit ----------------------------------------------------------------------------


@login_required
@conflicts
def report_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _allowed_item(request, pk, "report_progress")
    form = ReportForm(*_bound(request), initial={"version": item.version})

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        reporting.report_progress(item, actor=request.user, files=data.pop("file"), **data)
        return _url(item), _("已报送进展报告。")

    due = item.next_report_due
    help_text = _("本期应报日期 %(due)s。") % {"due": due.isoformat()} if due else ""
    page = _page(_("报送进展"), item, submit_label=_("报送"), help=help_text)
    return _form_response(request, form, page, perform)


@login_required
@conflicts
def submit_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """工作方案 (seed 004 第十一条); a revision starts from the plan in force."""
    item = _allowed_item(request, pk, "submit_plan")
    current = reporting.current_plan(item)
    initial: dict[str, Any] = {"version": item.version}
    if current is not None:
        initial["content"] = current.content
    form = PlanForm(*_bound(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        reporting.submit_plan(item, actor=request.user, files=data.pop("file"), **data)
        return _url(item), _("已报送工作方案。")

    help_text = _("承办单位在第一时间拟定工作方案,明确任务要求,落实责任措施。")
    page = _page(_("报送工作方案"), item, submit_label=_("报送"), help=help_text)
    return _form_response(request, form, page, perform)


@login_required
@conflicts
def co_input(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _allowed_item(request, pk, "co_input")
    form = CoInputForm(*_bound(request), initial={"version": item.version})

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        reporting.co_input(item, actor=request.user, files=data.pop("file"), **data)
        return _url(item), _("已向主办单位报送协办意见。")

    help_text = _("协办意见报送主办单位,由主办单位汇总后报送督查机构。")
    page = _page(_("报送协办意见"), item, submit_label=_("报送"), help=help_text)
    return _form_response(request, form, page, perform)


@login_required
@conflicts
def draft_final(request: AuthedRequest, pk: int) -> HttpResponse:
    """The liaison writes the 办结报告; 「保存并送审签」 hands it to the unit's leader at once."""
    item = _allowed_item(request, pk, "draft_final")
    draft = reporting.open_final(item)
    initial: dict[str, Any] = {"version": item.version}
    if draft is not None:
        initial |= {"content": draft.content, "problems": draft.problems}
        initial |= {"next_steps": draft.next_steps}
    form = FinalReportForm(*_bound(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        reporting.draft_final(item, actor=request.user, files=data.pop("file"), **data)
        if SEND in request.POST:
            reporting.submit_for_signoff(item, actor=request.user)
            return _url(item), _("办结报告已送单位领导审签。")
        return _url(item), _("已保存办结报告草稿。")

    page = _page(
        _("起草办结报告"),
        item,
        submit_label=_("保存草稿"),
        extra_submit=(SEND, _("保存并送审签")),
        help=_("办结报告经本单位领导审签后报送督查机构。"),
    )
    return _form_response(request, form, page, perform)


@login_required
@require_POST
@conflicts
def send_for_signoff(request: AuthedRequest, pk: int) -> HttpResponse:
    """送审签 of a draft saved earlier, from the item page."""
    item = _allowed_item(request, pk, "draft_final")
    form = SignOffForm(request.POST)  # only its version is read
    version = form["version"].value()
    try:
        stale = _stale(item, int(version)) if str(version).isdigit() else None
        if stale is not None:
            raise stale
        reporting.submit_for_signoff(item, actor=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("办结报告已送单位领导审签。"))
    return redirect(_url(item))


@login_required
@conflicts
def sign_off(request: AuthedRequest, pk: int) -> HttpResponse:
    """审签 by the unit's leader, reading the report; signing sends it to the office."""
    item = _allowed_item(request, pk, "sign_off")
    form = SignOffForm(*_bound(request), initial={"version": item.version})

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        reporting.sign_off(item, actor=request.user, **data)
        return _url(item), _("已审签,办结报告已报送督查机构审核。")

    report = reporting.open_final(item)
    page = _page(
        _("审签办结报告"),
        item,
        submit_label=_("审签并报送"),
        show="items/_signoff_card.html",
        shown={"report": report, "co_inputs": list(reporting.co_inputs(item))},
    )
    return _form_response(request, form, page, perform)


# Extensions ---------------------------------------------------------------------------------


@login_required
@conflicts
def request_extension(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _allowed_item(request, pk, "request_extension")
    form = ExtensionRequestForm(*_bound(request), initial={"version": item.version})

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        extending.request_extension(item, actor=request.user, **data)
        return _url(item), _("已提交延期申请,待督查机构负责人审批。")

    page = _page(_("申请延期"), item, submit_label=_("提交申请"), help=_extension_help(item))
    return _form_response(request, form, page, perform)


def _extension_help(item: Item) -> str:
    text = _("延期须在办理时限 %(due)s 前申请,由督查机构负责人审批。") % {
        "due": item.due_date.isoformat() if item.due_date else "—"
    }
    latest = extending.latest_allowed(item)
    if latest is not None:
        text += _("本事项最迟可延至 %(date)s。") % {"date": latest.isoformat()}
    return text


def _pending(item: Item, ext: int) -> ExtensionRequest:
    rows = ExtensionRequest.objects.filter(item=item, state=ExtensionState.PENDING)
    return get_object_or_404(rows, pk=ext)


@login_required
@conflicts
def decide_extension(request: AuthedRequest, pk: int, ext: int) -> HttpResponse:
    item = _allowed_item(request, pk, "decide_extension")
    pending = _pending(item, ext)
    initial = {"version": item.version, "decision": APPROVE}
    form = ExtensionDecisionForm(*_bound(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        approve = data.pop("decision") == APPROVE
        pending.item = item  # the item as claimed above, with its current version
        note = data.pop("decision_note")
        decided = extending.decide_extension(
            pending, actor=request.user, approve=approve, note=note, **data
        )
        if decided.state == ExtensionState.APPROVED:
            return _url(item), _("已同意延期至 %(date)s。") % {"date": decided.granted_date}
        return _url(item), _("已不同意延期。")

    page = _page(
        _("审批延期申请"),
        item,
        submit_label=_("提交审批"),
        show="items/_extension_card.html",
        shown={"extension": pending, "latest_allowed": extending.latest_allowed(item)},
    )
    return _form_response(request, form, page, perform)


@login_required
@require_POST
@conflicts
def withdraw_extension(request: AuthedRequest, pk: int, ext: int) -> HttpResponse:
    item = _item(request, pk)
    pending = _pending(item, ext)
    try:
        extending.withdraw_extension(pending, actor=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("已撤回延期申请。"))
    return redirect(_url(item))
