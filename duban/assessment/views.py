"""督办与问责 pages: proposals with their yearly counts, a proposal's decision, escalations.

Every lookup starts from `restrict`: a proposal or escalation outside one's scope is a 404. A
decision posts the version the person saw; a stale page answers 409 with the conflict message and
the proposal as it is now (the items pages' pattern), and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.assessment import actions
from duban.assessment.forms import (
    DecideForm,
    EscalationDecideForm,
    EscalationFilterForm,
    ProposalFilterForm,
)
from duban.assessment.models import TAKEN, DecisionState, Escalation, Proposal
from duban.assessment.proposals import yearly_counts
from duban.core.http import AuthedRequest
from duban.items.actions import Conflict
from duban.items.models import Item
from duban.org.access import can
from duban.org.models import Unit

PAGE_SIZE = 50


def _status(error: ValidationError) -> int:
    return 409 if isinstance(error, Conflict) else 400


def _visible_items(request: AuthedRequest, ids: list[int | None]) -> set[int]:
    """Which of these items the person may open (a 涉密 item's title stays hidden otherwise)."""
    wanted = [pk for pk in ids if pk is not None]
    if not wanted:
        return set()
    rows = Item.objects.restrict(request.user).filter(pk__in=wanted)
    return set(rows.values_list("pk", flat=True))


def _filtered(proposals: Any, data: dict[str, Any]) -> Any:
    for field in ("state", "unit", "year"):
        if data.get(field):
            proposals = proposals.filter(**{field: data[field]})
    if data.get("measure"):
        measure = data["measure"]
        proposals = proposals.filter(measure=measure) | proposals.filter(decided_measure=measure)
    return proposals


@login_required
def proposal_list(request: AuthedRequest) -> HttpResponse:
    visible = Proposal.objects.restrict(request.user)
    units = Unit.objects.filter(pk__in=visible.values("unit_id")).order_by("path")
    form = ProposalFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    proposals = _filtered(visible, data)
    page = Paginator(
        proposals.select_related("unit", "item", "decided_by").order_by("-proposed_at", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "nav": "assessment",
        "form": form,
        "page": page,
        "counts": yearly_counts(_filtered(visible, {**data, "state": ""})),
        "shown_items": _visible_items(request, [p.item_id for p in page]),
        "query": _query(request),
    }
    return render(request, "assessment/proposal_list.html", context)


def _query(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _proposal(request: AuthedRequest, pk: int) -> Proposal:
    rows = Proposal.objects.restrict(request.user).select_related(
        "unit", "item", "rule", "decided_by"
    )
    return get_object_or_404(rows, pk=pk)


@login_required
def proposal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET shows the proposal; POST decides it (office head or leader, reason required)."""
    proposal = _proposal(request, pk)
    may_decide = proposal.is_open and can(request.user, "accountability", "decide", proposal.unit)
    status = 200
    form = DecideForm(initial={"version": proposal.version})
    if request.method == "POST":
        if not may_decide and proposal.is_open:
            raise PermissionDenied(_("您没有权限决定问责建议。"))
        form = DecideForm(request.POST)
        status = _decide(request, proposal, form)
        if status == 302:
            messages.success(request, _("已记录问责决定。"))
            return redirect(reverse("assessment:proposal", args=[proposal.pk]))
        if status == 409:
            proposal.refresh_from_db()
            may_decide = proposal.is_open and may_decide
    return render(
        request,
        "assessment/proposal_detail.html",
        _detail(request, proposal, form, may_decide),
        status=status,
    )


def _decide(request: AuthedRequest, proposal: Proposal, form: DecideForm) -> int:
    """302 when decided; otherwise the form carries why not and the status says which kind."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    try:
        actions.decide(
            proposal,
            actor=request.user,
            decision=data["decision"],
            reason=data["reason"],
            measure=data["measure"],
            version=data["version"],
        )
    except ValidationError as error:
        form.attach_errors(error)
        return _status(error)
    return 302


def _detail(
    request: AuthedRequest, proposal: Proposal, form: DecideForm, may_decide: bool
) -> dict[str, Any]:
    same_year = Proposal.objects.restrict(request.user).filter(
        unit=proposal.unit,
        year=proposal.year,
        state__in=TAKEN,
    )
    return {
        "nav": "assessment",
        "proposal": proposal,
        "form": form,
        "may_decide": may_decide,
        "item_shown": bool(_visible_items(request, [proposal.item_id])),
        "same_year": same_year.exclude(pk=proposal.pk)
        .select_related("item")
        .order_by("decided_at"),
    }


@login_required
def escalation_list(request: AuthedRequest) -> HttpResponse:
    form = EscalationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = Escalation.objects.restrict(request.user)
    for field in ("state", "measure"):
        if data.get(field):
            rows = rows.filter(**{field: data[field]})
    page = Paginator(
        rows.select_related("item__owner_unit", "unit", "rule", "decided_by"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for escalation in page:
        escalation.may_decide = escalation.state == DecisionState.PROPOSED and can(  # type: ignore[attr-defined]
            request.user,
            "escalation",
            f"apply_{escalation.rule.applier}",
            escalation.item.owner_unit,
        )
    context = {"nav": "assessment", "form": form, "page": page, "query": _query(request)}
    return render(request, "assessment/escalation_list.html", context)


@login_required
@require_POST
def escalation_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    escalation = get_object_or_404(
        Escalation.objects.restrict(request.user).select_related("rule", "item__owner_unit"),
        pk=pk,
    )
    form = EscalationDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(reverse("assessment:escalations"))
    data = form.cleaned_data
    act = actions.apply_escalation if data["decision"] == "apply" else actions.dismiss_escalation
    try:
        act(escalation, actor=request.user, reason=data["reason"], version=data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已记录督办升级决定。"))
    return redirect(reverse("assessment:escalations"))
