"""Item pages: 台账, the item page with its buttons and timeline, and the intake forms.

Every lookup starts from `Item.objects.restrict(user, ...)`: an item outside one's scope is a 404,
like a missing one. The buttons come from `access.available_actions`, and every change goes through
items/actions.py, which checks again: a page can never offer what the server would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core import clock
from duban.core.http import AuthedRequest
from duban.items import actions, progress, reminding, states, tagging
from duban.items.access import available_actions
from duban.items.forms import (
    ActionForm,
    AssignForm,
    DecomposeForm,
    ItemCreateForm,
    ItemForm,
    ItemUpdateForm,
    MilestoneForm,
)
from duban.items.lights import light_of
from duban.items.models import Item
from duban.items.report_section import Facts, reports_context
from duban.items.timeline import item_events, timeline
from duban.org.access import can
from duban.org.models import Membership

# Buttons that open a form page instead of posting at once (the report screens are in
# report_views.py; 审批延期 opens the pending request, see `_form_url`).
FORM_PAGES = {
    "edit": "items:edit",
    "assign": "items:assign",
    "submit_plan": "items:plan",
    "report_progress": "items:report",
    "co_input": "items:co_input",
    "draft_final": "items:final",
    "sign_off": "items:sign_off",
    "request_extension": "items:extension_request",
    "decide_extension": "items:extension_decide",
}
REASON_LABELS = {
    "decline": gettext_lazy("退回理由"),
    "decline_part": gettext_lazy("退回理由"),
    "reopen": gettext_lazy("回访复核情况"),
    "remind": gettext_lazy("催办内容"),
}
DANGER = {"decline", "decline_part", "send_back", "return_for_redo", "cancel"}


def _data(request: AuthedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _item(request: AuthedRequest, pk: int) -> Item:
    items = Item.objects.restrict(request.user, "view").select_related(
        "owner_unit", "lead_unit", "parent", "deadline_rule"
    )
    return get_object_or_404(items, pk=pk)


def _url(item: Item) -> str:
    return reverse("items:detail", args=[item.pk])


def _status(error: ValidationError) -> int:
    return 409 if isinstance(error, actions.Conflict) else 400


def _stale(item: Item, version: int) -> actions.Conflict | None:
    """The page was read before someone else changed the item: say so, change nothing."""
    if version == item.version:
        return None
    message = _("事项「%(title)s」已被他人修改,请刷新后重试。") % {"title": item.title}
    return actions.Conflict({"version": [message]})


# The item page ------------------------------------------------------------------------------------


@dataclass
class Button:
    action: str
    label: str
    danger: bool
    url: str
    form: ActionForm | None  # None: a link to a form page


def _form_url(item: Item, action: str, facts: Facts) -> str:
    if action == "decide_extension" and facts.extension is not None:
        return reverse(FORM_PAGES[action], args=[item.pk, facts.extension.pk])
    return reverse(FORM_PAGES[action], args=[item.pk])


def _buttons(
    request: AuthedRequest,
    item: Item,
    failed: tuple[str, ActionForm] | None = None,
    facts: Facts | None = None,
) -> list[Button]:
    facts = facts or Facts.of(item)
    buttons = []
    for action in available_actions(request.user, item):
        if (action not in ACTS and action not in FORM_PAGES) or not facts.offers(action):
            continue
        if action in FORM_PAGES:
            label = facts.label(action, states.label(action))
            buttons.append(Button(action, label, False, _form_url(item, action, facts), None))
            continue
        form = failed[1] if failed and failed[0] == action else _action_form(item, action)
        url = reverse("items:act", args=[item.pk, action])
        buttons.append(Button(action, states.label(action), action in DANGER, url, form))
    return buttons


def _action_form(item: Item, action: str, data: QueryDict | None = None) -> ActionForm:
    row = states.TABLE[(item.state, action)]
    form = ActionForm(
        data,
        initial={"version": item.version},
        reason=row.reason_required,
        outcome=action == "accept",
        prefix=action,
    )
    if "reason" in form.fields and action in REASON_LABELS:
        label = REASON_LABELS[action]
        form.fields["reason"].label = label
        form.fields["reason"].error_messages["required"] = _("%(label)s不能为空。") % {
            "label": label
        }
    return form


def _detail_context(request: AuthedRequest, item: Item) -> dict[str, Any]:
    units = list(item.units.select_related("unit", "acknowledged_by").order_by("role", "id"))
    events = item_events(request.user, item).select_related("actor").order_by("-seq")[:200]
    facts = Facts.of(item)
    available = available_actions(request.user, item)
    return {
        **reports_context(request.user, item, facts, available),
        "facts": facts,
        "item": item,
        "light": light_of(item),
        "active_units": [u for u in units if u.declined_at is None],
        "declined_units": [u for u in units if u.declined_at is not None],
        "milestones": list(item.milestones.all()),
        "rollup": progress.rollup(item),
        "may_complete_milestone": progress.may_complete_milestone(request.user, item),
        "children": Item.objects.restrict(request.user, "view")
        .filter(parent=item)
        .select_related("lead_unit")
        .order_by("due_date", "id"),
        "timeline": timeline(list(events)),
        "can_structure": _can_structure(request, item),
        "tags": tagging.tags_of(item),
        "may_tag": can(request.user, "item", "change", item.owner_unit),
        "today": clock.today(),
        "nav": "items",
    }


def _can_structure(request: AuthedRequest, item: Item) -> bool:
    """Decompose and add milestones: the registering office, while the item is being worked."""
    return item.state in actions.DECOMPOSABLE and can(
        request.user, "item", "change", item.owner_unit
    )


@login_required
def item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    context = _detail_context(request, item)
    context["buttons"] = _buttons(request, item, facts=context["facts"])
    return render(request, "items/item_detail.html", context)


# What each button calls; the actions refuse with a Chinese message naming the field.
ACTS: dict[str, Callable[..., Item]] = {
    "submit": lambda item, user, data: actions.submit_for_approval(item, actor=user),
    "approve": lambda item, user, data: actions.approve(item, actor=user),
    "send_back": lambda item, user, data: actions.send_back(item, actor=user, **data),
    "acknowledge": lambda item, user, data: actions.acknowledge(item, actor=user),
    "acknowledge_part": lambda item, user, data: actions.acknowledge(item, actor=user),
    "decline": lambda item, user, data: actions.decline(item, actor=user, **data),
    "decline_part": lambda item, user, data: actions.decline(item, actor=user, **data),
    "submit_final": lambda item, user, data: actions.submit_final(item, actor=user),
    "remind": lambda item, user, data: _remind(item, user, data["reason"]),
    "accept": lambda item, user, data: actions.accept(item, actor=user, **data),
    "return_for_redo": lambda item, user, data: actions.return_for_redo(item, actor=user, **data),
    "archive": lambda item, user, data: actions.archive(item, actor=user),
    "reopen": lambda item, user, data: actions.reopen(item, actor=user, **data),
    "cancel": lambda item, user, data: actions.cancel(item, actor=user, **data),
}


def _remind(item: Item, user: Any, message: str) -> Item:
    """催办 reaches every handling unit that has not declined; the reason field is the message."""
    reminding.remind(item, actor=user, message=message)
    return item


@login_required
@require_POST
def item_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """One button: check the version the person saw, run the action, or re-render with why not."""
    if action not in ACTS:
        raise Http404
    item = _item(request, pk)
    seen = ActionForm(request.POST, prefix=action)
    version = seen["version"].value()
    # A page read before someone else acted: the conflict message, whatever else was sent.
    error: ValidationError | None = None
    if str(version).isdigit():
        error = _stale(item, int(version))
    if error is None and (item.state, action) not in states.TABLE:
        error = _illegal(item, action)
    if error is not None:
        return _refused(request, item, action, seen, error)
    form = _action_form(item, action, request.POST)
    if not form.is_valid():
        return _refused(request, item, action, form, None)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        ACTS[action](item, request.user, data)
    except ValidationError as refused:
        return _refused(request, item, action, form, refused)
    messages.success(request, _("已%(action)s。") % {"action": states.label(action)})
    # After 退回 the unit no longer handles the item: back to 台账 rather than to a 404.
    still_seen = Item.objects.restrict(request.user, "view").filter(pk=item.pk).exists()
    return redirect(_url(item) if still_seen else reverse("items:list"))


def _illegal(item: Item, action: str) -> ValidationError:
    try:
        states.transition(item.state, action)
    except ValidationError as error:
        return error
    return ValidationError(_("无法执行此操作。"))


def _refused(
    request: AuthedRequest,
    item: Item,
    action: str,
    form: ActionForm,
    error: ValidationError | None,
) -> HttpResponse:
    """The item page again, unchanged, with the refusal next to the button that was pressed."""
    status = 400
    if error is not None:
        form.attach_errors(error)
        status = _status(error)
    item.refresh_from_db()
    # After a conflict the buttons carry the new version; otherwise the errors stay by the button.
    failed = (action, form) if status == 400 else None
    context = {**_detail_context(request, item), "buttons": _buttons(request, item, failed)}
    context["refusal"] = [str(m) for m in form.non_field_errors()] or None
    return render(request, "items/item_detail.html", context, status=status)


# Form pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormPage:
    title: str
    cancel_url: str
    pretitle: str = ""
    submit_label: str = ""
    help: str = ""
    extra_submit: tuple[str, str] | None = None  # (name, label) of a second submit button
    show: str = ""  # a template shown above the form (the report to sign, the request to decide)
    shown: dict[str, Any] | None = None


Perform = Callable[[dict[str, Any]], tuple[str, str]]


def _form_response(
    request: AuthedRequest, form: ItemForm, page: FormPage, perform: Perform
) -> HttpResponse:
    """GET shows the form; a valid POST acts and redirects; a refusal re-renders (400, 409)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    url, message = perform(dict(form.cleaned_data))
            except ValidationError as error:
                form.attach_errors(error)
                status = _status(error)
            else:
                messages.success(request, message)
                return redirect(url)
    context = {"form": form, "page": page, "nav": "items"}
    return render(request, "items/form_page.html", context, status=status)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有权限执行此操作。"))


def _claimed(item: Item, data: dict[str, Any]) -> None:
    """Act on the version the person saw; `_claim` in the action refuses if it is stale."""
    error = _stale(item, data.pop("version"))
    if error is not None:
        raise error


def _home_unit(request: AuthedRequest) -> Any:
    """The registering unit offered first: where the person works as office staff."""
    office = Membership.objects.active().filter(user=request.user, role__in=states.OFFICE)
    first = office.select_related("unit").order_by("unit__path").first()
    return first.unit if first else None


@login_required
def item_create(request: AuthedRequest) -> HttpResponse:
    _require(can(request.user, "item", "change"))
    initial = {"owner_unit": _home_unit(request)}
    form = ItemCreateForm(request.user, _data(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        item = actions.create_item(actor=request.user, **data)
        return _url(item), _("已登记事项「%(title)s」。") % {"title": item.title}

    page = FormPage(_("登记督查事项"), reverse("items:list"))
    return _form_response(request, form, page, perform)


class StalePage(Exception):
    """A form page posted after someone else moved the item on: a conflict, not a 403."""

    def __init__(self, item: Item) -> None:
        super().__init__(item.pk)
        self.item = item


def _check_open(request: AuthedRequest, item: Item, allowed: bool) -> Item:
    if not allowed:
        posted = request.POST.get("version", "") if request.method == "POST" else ""
        if posted.isdigit() and _stale(item, int(posted)) is not None:
            raise StalePage(item)
        _require(False)
    return item


def conflicts(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a StalePage with the item page as it is now, the conflict message on top (409)."""

    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except StalePage as stale:
            item = stale.item
            error = _stale(item, -1)
            context = {**_detail_context(request, item), "buttons": _buttons(request, item)}
            context["refusal"] = error.messages if error else None
            return render(request, "items/item_detail.html", context, status=409)

    return wrapped


def _allowed_item(request: AuthedRequest, pk: int, action: str) -> Item:
    item = _item(request, pk)
    return _check_open(request, item, action in available_actions(request.user, item))


@login_required
@conflicts
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _allowed_item(request, pk, "edit")
    initial = {name: getattr(item, name) for name in ItemUpdateForm.base_fields}
    form = ItemUpdateForm(_data(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        actions.update_draft(item, actor=request.user, **data)
        return _url(item), _("已保存事项「%(title)s」。") % {"title": item.title}

    page = FormPage(_("修改督查事项"), _url(item), pretitle=item.title)
    return _form_response(request, form, page, perform)


@login_required
@conflicts
def item_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _allowed_item(request, pk, "assign")
    initial = {
        "version": item.version,
        "responsible_leader": item.responsible_leader,
        "owner_name": item.owner_name,
        "start": clock.today(),
        "time_limit": item.time_limit,
    }
    form = AssignForm(request.user, _data(request), initial=initial)

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        named = {k: data.pop(k) for k in ("responsible_leader", "owner_name")}
        if any(getattr(item, k) != v for k, v in named.items()):
            actions.update_draft(item, actor=request.user, **named)
        actions.assign(item, actor=request.user, **data)
        return _url(item), _("已交办「%(unit)s」,完成时限 %(due)s。") % {
            "unit": item.lead_unit,
            "due": item.due_date,
        }

    page = FormPage(_("交办"), _url(item), pretitle=item.title, submit_label=_("交办"))
    return _form_response(request, form, page, perform)


def _structured_item(request: AuthedRequest, pk: int) -> Item:
    item = _item(request, pk)
    return _check_open(request, item, _can_structure(request, item))


@login_required
@conflicts
def item_decompose(request: AuthedRequest, pk: int) -> HttpResponse:
    parent = _structured_item(request, pk)
    form = DecomposeForm(
        request.user,
        parent.milestones.all(),
        _data(request),
        initial={"version": parent.version, "owner_name": parent.owner_name},
    )

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(parent, data)
        data.pop("milestone")
        child = actions.create_child(parent, actor=request.user, **data)
        return _url(child), _("已分解出子事项「%(title)s」。") % {"title": child.title}

    page = FormPage(
        _("分解立项"),
        _url(parent),
        pretitle=parent.title,
        submit_label=_("创建子事项"),
        help=_("每个子事项定目标、定内容、定时限、定责任人(四定)。"),
    )
    return _form_response(request, form, page, perform)


@login_required
@conflicts
def milestone_add(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _structured_item(request, pk)
    form = MilestoneForm(_data(request), initial={"version": item.version})

    def perform(data: dict[str, Any]) -> tuple[str, str]:
        _claimed(item, data)
        actions.add_milestone(item, actor=request.user, **data)
        return _url(item), _("已增加节点任务「%(title)s」。") % {"title": data["title"]}

    page = FormPage(_("增加节点任务"), _url(item), pretitle=item.title)
    return _form_response(request, form, page, perform)


@login_required
@require_POST
def milestone_done(request: AuthedRequest, pk: int, milestone: int) -> HttpResponse:
    """节点任务完成, posted with the item's version like every other button."""
    item = _item(request, pk)
    step = get_object_or_404(item.milestones.all(), pk=milestone)
    posted = request.POST.get("version", "")
    try:
        stale = _stale(item, int(posted)) if posted.isdigit() else None
        if stale is not None:
            raise stale
        progress.complete_milestone(item, step, actor=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("节点任务「%(title)s」已完成。") % {"title": step.title})
    return redirect(_url(item))
