"""Access tokens for integrations calling /api/v1/ (issue 4 item 12).

Only the SHA-256 of a token's secret is stored: the secret is shown once, when it is made, and a
copy of the database cannot be used to call the API. No last-used time is kept, because the
platform does not track people's activity (shared/DESIGN.md principle 6).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.clock import StampField


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked=False, user__is_active=True)

    def restrict(self, user: Any, action: str = "view") -> ApiTokenQuerySet:
        """A person's own tokens, plus those of the people they manage."""
        from duban.org.models import User

        if not getattr(user, "is_authenticated", False):
            return self.none()
        people = User.objects.restrict(user, "manage").values("pk")
        return self.filter(models.Q(user_id=user.pk) | models.Q(user_id__in=people))


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=100)
    # The first characters of the secret, so a person can tell their tokens apart in a list.
    prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    secret_hash = models.CharField(_("令牌哈希"), max_length=64, unique=True, editable=False)
    revoked = models.BooleanField(_("已撤销"), default=False)
    created_at = StampField(_("创建时间"), auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
