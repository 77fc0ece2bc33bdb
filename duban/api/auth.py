"""Who is calling: a bearer token (integrations) or the browser session (same-origin pages)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from duban.api.actions import user_for_secret


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>`; a wrong or revoked token is refused outright."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_secret(token.strip())
        if user is None:
            # Refuse rather than fall through to the session: a caller that sent a token
            # meant to act as its owner, and should learn that the token no longer works.
            raise AuthenticationError(401, _("访问令牌无效或已撤销。"))
        return user


class SessionAuth(APIKeyCookie):
    """Django's session, with its CSRF check for unsafe methods (pages calling the API)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a signed-in session is checked for CSRF, so that a call with no credentials
        # at all answers 401 rather than a CSRF refusal.
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF 校验失败,请刷新页面后重试。"))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if key is not None and user.is_authenticated and user.is_active else None


def actor(request: HttpRequest) -> Any:
    """The authenticated person (ninja has put them on `request.auth`)."""
    return request.auth  # type: ignore[attr-defined]
