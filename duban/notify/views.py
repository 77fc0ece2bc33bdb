"""The inbox (/inbox/), one's notification preferences, and the dead letters for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.http import AuthedRequest
from duban.notify import actions
from duban.notify.forms import PreferenceForm
from duban.notify.models import Notification, Outbox, OutboxState, Preference
from duban.org.access import can

PER_PAGE = 30


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    rows = Notification.objects.restrict(request.user, "view")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.unread()
    page = Paginator(rows.order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "may_manage": can(request.user, "outbox", "manage"),
    }
    return render(request, "notify/inbox.html", context)


@login_required
@require_POST
def read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it is about."""
    notification = get_object_or_404(Notification.objects.restrict(request.user, "change"), pk=pk)
    actions.mark_read(request.user, [notification.pk])
    url = notification.url
    safe = url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    if request.POST.get("open") and safe:
        return redirect(url)
    return redirect("notify:inbox")


@login_required
@require_POST
def read_all(request: AuthedRequest) -> HttpResponse:
    count = actions.mark_all_read(request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect("notify:inbox")


def _initial(preference: Preference) -> dict[str, object]:
    return {field: getattr(preference, field) for field in actions.PREFERENCE_FIELDS}


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    preference = Preference.for_users([request.user])[request.user.pk]
    form = PreferenceForm(request.POST or None, initial=_initial(preference))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_preferences(request.user, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.attach_errors(error)
            else:
                messages.success(request, _("通知设置已保存。"))
                return redirect("notify:inbox")
        status = 400
    return render(request, "notify/preferences.html", {"form": form}, status=status)


@login_required
def dead_letters(request: AuthedRequest) -> HttpResponse:
    """Messages that could not be delivered; an administrator sends them again (audited)."""
    if not can(request.user, "outbox", "manage"):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    if request.method == "POST":
        ids = (
            None
            if request.POST.get("all")
            else [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        )
        try:
            count = actions.retry_dead(ids, actor=request.user)
        except ValidationError as error:
            messages.error(request, "".join(error.messages))
        else:
            messages.success(request, _("已重新发送 %(n)d 条消息。") % {"n": count})
        return redirect("notify:dead")
    rows = (
        Outbox.objects.restrict(request.user, "manage")
        .filter(state=OutboxState.DEAD)
        .select_related("recipient")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notify/dead_letters.html", {"page": page})
