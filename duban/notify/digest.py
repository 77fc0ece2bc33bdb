"""The daily digest (每日汇总): one message a day instead of one per notification.

People who chose it (Preference.digest) get their inbox rows at once but no outbox rows from
`notify`; after `DeliveryWindow.digest_at` each day, `queue_digests` writes one outbox row per
person and channel listing the notifications of the past day that are still unread. The dedupe
key "digest:<date>:<person>:<channel>" makes a second run that day write nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import clock
from duban.notify import gating
from duban.notify.models import DeliveryWindow, Notification, Outbox, Preference

LISTED = 10  # titles listed in one digest; the rest are counted


def _since(now: dt.datetime, window: DeliveryWindow) -> tuple[dt.date, dt.datetime] | None:
    local = timezone.localtime(now)
    if local.time() < window.digest_at:
        return None
    cutoff = timezone.make_aware(dt.datetime.combine(local.date(), window.digest_at))
    return local.date(), cutoff - dt.timedelta(days=1)


def _body(titles: list[str], count: int) -> str:
    lines = [f"· {title}" for title in titles[:LISTED]]
    if count > LISTED:
        lines.append(_("……另有 %(n)d 条") % {"n": count - LISTED})
    return "\n".join(lines)


@transaction.atomic
def queue_digests(now: dt.datetime | None = None) -> int:
    """Write today's digest rows if it is time; how many rows were written."""
    now = now or clock.now()
    window = DeliveryWindow.current()
    started = _since(now, window)
    enabled = list(settings.DUBAN_NOTIFY_CHANNELS)
    if started is None or not enabled:
        return 0
    day, since = started
    preferences = Preference.objects.filter(digest=True, user__is_active=True).select_related(
        "user"
    )
    by_user = {p.user_id: p for p in preferences}
    titles: dict[int, list[str]] = defaultdict(list)
    unread = Notification.objects.filter(
        recipient_id__in=list(by_user), read_at__isnull=True, created_at__gte=since
    ).filter(created_at__lt=now)
    rows_read = unread.order_by("-created_at").values_list("recipient_id", "title", "private")
    for recipient_id, title, private in rows_read:
        # A 涉密 title never travels by mail, SMS or robot, in a digest no more than alone.
        titles[recipient_id].append(_("(一条涉密消息,请登录平台查看)") if private else title)
    cal = gating.calendar(window)
    rows = []
    for user_id, listed in titles.items():
        preference = by_user[user_id]
        at = gating.deliverable_at(now, window, preference, cal)
        title = _("督办每日汇总:%(n)d 条未读消息") % {"n": len(listed)}
        for channel, address in preference.addresses(enabled):
            payload = {"to": address, "kind": "digest", "title": title, "url": "/inbox/"}
            payload["body"] = _body(listed, len(listed))
            if channel == "webhook":
                payload["format"] = preference.webhook_format
            key = f"digest:{day.isoformat()}:{user_id}:{channel}"
            rows.append(
                Outbox(
                    recipient_id=user_id,
                    channel=channel,
                    payload=payload,
                    next_attempt_at=at,
                    created_at=now,
                    dedupe_key=key,
                )
            )
    keys = [row.dedupe_key for row in rows]
    done = set(Outbox.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    rows = [row for row in rows if row.dedupe_key not in done]
    Outbox.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
