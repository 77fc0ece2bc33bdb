from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from duban.core.http import AuthedRequest
from duban.core.workbench import panels_for


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/workbench.html", {"panels": panels_for(request), "nav": "workbench"}
    )


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    from duban.org.actions import set_password

    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            set_password(request.user, form.cleaned_data["new_password1"], actor=request.user)
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("workbench")
    return render(request, "registration/password_change_form.html", {"form": form})


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
