"""The item page's 标签 form: the office that registered an item renames its tags at any stage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.http import AuthedRequest
from duban.items import tagging
from duban.items.views import _item


@login_required
@require_POST
def item_tags(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        names = tagging.set_tags(item, actor=request.user, tags=request.POST.get("tags", ""))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        shown = "、".join(names) or _("(无)")
        messages.success(request, _("已更新标签:%(tags)s。") % {"tags": shown})
    return redirect(reverse("items:detail", args=[item.pk]) + "#item-tags")
