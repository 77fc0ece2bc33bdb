"""Security events from sign-in: failures and lockouts.

Successful sign-ins are not recorded: the platform never tracks who is online (DESIGN principle 6).
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.dispatch import receiver

from duban.audit.log import record
from duban.audit.types import EventType


def _client_ip(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "")) if request else ""


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    with transaction.atomic():
        record(
            EventType.SIGN_IN_FAILED,
            actor=None,
            details={
                "username": str(credentials.get("username", ""))[:150],
                "ip": _client_ip(request),
            },
        )


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: Any = None, username: str = "", ip_address: str = "", **_: Any
) -> None:
    with transaction.atomic():
        record(EventType.LOCKED_OUT, actor=None, details={"username": username, "ip": ip_address})
