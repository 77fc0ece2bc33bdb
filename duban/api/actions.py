"""The only code that makes or revokes API tokens (shared/DESIGN.md principle 2)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from duban.api.models import ApiToken
from duban.audit.log import record
from duban.audit.types import EventType
from duban.org.models import Membership, Unit, User
from duban.org.validation import check_required, fail

# A recognisable prefix lets secret scanners and people spot a leaked duban token.
SECRET_PREFIX = "dbn_"  # noqa: S105  (a label, not a secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _home_unit(user: User) -> Unit | None:
    """The unit an event about this person is filed under, so administrators in scope see it."""
    membership = Membership.objects.active().filter(user=user).select_related("unit").first()
    return membership.unit if membership else None


def _require_manage(actor: User | None, user: User) -> None:
    """A person manages their own tokens; an administrator those of the people in scope."""
    if actor is None or actor.pk == user.pk:
        return
    if not User.objects.restrict(actor, "manage").filter(pk=user.pk).exists():
        raise PermissionDenied(_("您没有权限管理该人员的接口令牌。"))


@transaction.atomic
def create_token(user: User, *, actor: User | None, name: str) -> tuple[ApiToken, str]:
    """Make a token; the secret is returned here and never again (only its hash is kept)."""
    _require_manage(actor, user)
    name = check_required(name, "name", _("用途"), 100)
    if not user.is_active:
        raise fail("user", _("人员「%(user)s」已停用。") % {"user": user})
    secret = _new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:12], secret_hash=hash_secret(secret)
    )
    record(
        EventType.API_TOKEN_CREATED,
        actor=actor,
        unit=_home_unit(user),
        target=token,
        details={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: User | None) -> ApiToken:
    _require_manage(actor, token.user)
    if token.revoked:
        raise fail("token", _("令牌「%(token)s」已撤销。") % {"token": token})
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.revoked = True
    record(
        EventType.API_TOKEN_REVOKED,
        actor=actor,
        unit=_home_unit(token.user),
        target=token,
        details={"user": token.user.username, "name": token.name, "prefix": token.prefix},
    )
    return token


def user_for_secret(secret: str) -> Any:
    """The active person behind a valid, unrevoked token, else None."""
    token = ApiToken.objects.usable().select_related("user").filter(secret_hash=hash_secret(secret))
    found = token.first()
    return found.user if found else None
