"""The only code that writes notifications, outbox rows and preferences.

Producers (items, the sweeps, escalation, accountability proposals) call `notify` or
`notify_units` from inside their own action's transaction:

    @atomic
    def assign(item, *, actor, ...):
        ...                                   # the state change and its audit event
        notify_units([lead, *co], [Role.LIAISON], kind="item_assigned", title=..., body=...,
                     target=item, url=item_url, dedupe_key=None)

- The inbox row and one outbox row per enabled external channel are written in that transaction:
  they commit with the event or not at all. Nothing is delivered here; on commit the worker is
  nudged (tasks.deliver_outbox), and the minutely periodic task delivers anyway if the nudge is
  lost.
- `dedupe_key` makes a call idempotent: the same key for the same recipient writes nothing the
  second time (unique columns, not hope). A sweep passes e.g. "remind:<item>:<rule>:<period>",
  or "remind-grouped:<rule>:<day>:<user>" for its one notice of many late items.
- `kind` is a short machine name ("item_assigned", "item_reminded", ...) for filtering and
  templates; `title` and `body` are the Chinese text shown and sent.
- `private=True` keeps the title and body off the external channels (they carry only "请登录平台查
  看" and the link): for 涉密 matters, which must not travel through mail, SMS or a chat robot.
- External messages are timed by `gating.deliverable_at` (working hours, the person's quiet
  hours); people who chose the daily digest get only the inbox row now (digest.py sends later).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, JSONObject, Left
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.core.setsql import insert_select
from duban.notify import gating
from duban.notify.models import (
    DeliveryWindow,
    Notification,
    Outbox,
    OutboxState,
    Preference,
    WebhookFormat,
)
from duban.org.access import require
from duban.org.models import Membership, Unit, User
from duban.org.validation import check_optional, fail

atomic = transaction.atomic
TITLE_MAX = 200


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str,
    target: models.Model | None = None,
    url: str = "",
    dedupe_key: str | None = None,
    private: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """Write the inbox and outbox rows for each recipient; the number of people newly notified."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must run inside the caller's transaction")
    now = now or clock.now()
    people = _fresh(_distinct_active(recipients), dedupe_key)
    if not people:
        return 0
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    inbox = [
        Notification(
            recipient=user,
            kind=kind,
            title=title[:TITLE_MAX],
            body=body,
            target_model=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            url=url,
            dedupe_key=f"{dedupe_key}:{user.pk}" if dedupe_key else None,
            created_at=now,
            private=private,
        )
        for user in people
    ]
    Notification.objects.bulk_create(inbox, ignore_conflicts=bool(dedupe_key))
    content = _external_content(kind, title, body, url, private)
    rows = _outbox_rows(people, content, dedupe_key, now)
    Outbox.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
    if rows:
        transaction.on_commit(_nudge_worker)
    return len(people)


def notify_units(units: Iterable[Unit], roles: Sequence[str], **message: Any) -> int:
    """`notify` the people holding one of `roles` in one of `units` (active memberships only)."""
    holders = Membership.objects.active().filter(unit__in=list(units), role__in=list(roles))
    people = User.objects.filter(pk__in=holders.values("user_id")).order_by("pk")
    return notify(people, **message)


def _distinct_active(recipients: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in recipients:
        if user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _fresh(people: list[User], dedupe_key: str | None) -> list[User]:
    """Drop the people this key has already notified (one query)."""
    if not dedupe_key or not people:
        return people
    keys = [f"{dedupe_key}:{user.pk}" for user in people]
    done = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    return [user for user, key in zip(people, keys, strict=True) if key not in done]


def _external_content(kind: str, title: str, body: str, url: str, private: bool) -> dict[str, str]:
    if private:
        title, body = _("您有一条新消息"), _("内容不经外部渠道发送,请登录督办平台查看。")
    return {"kind": kind, "title": title[:TITLE_MAX], "body": body, "url": url}


def _outbox_rows(
    people: list[User], content: dict[str, str], dedupe_key: str | None, now: dt.datetime
) -> list[Outbox]:
    enabled = list(settings.DUBAN_NOTIFY_CHANNELS)
    if not enabled:
        return []
    preferences = Preference.for_users(people)
    window = DeliveryWindow.current()
    cal = gating.calendar(window)
    rows = []
    for user in people:
        preference = preferences[user.pk]
        if preference.digest:
            continue  # the daily digest (digest.py) sends it with the day's others
        at = gating.deliverable_at(now, window, preference, cal)
        for channel, address in preference.addresses(enabled):
            payload = {"to": address, **content}
            if channel == "webhook":
                payload["format"] = preference.webhook_format
            rows.append(
                Outbox(
                    recipient=user,
                    channel=channel,
                    payload=payload,
                    next_attempt_at=at,
                    created_at=now,
                    dedupe_key=f"{dedupe_key}:{user.pk}:{channel}" if dedupe_key else None,
                )
            )
    return rows


def _nudge_worker() -> None:
    # After commit: the rows are visible to the consumer. A lost nudge only delays delivery to the
    # next minutely run, so a queue error must not fail the request that already committed.
    from duban.notify import tasks

    try:
        tasks.deliver_outbox()
    except Exception:
        import logging

        logging.getLogger("duban.notify").exception("could not enqueue outbox delivery")


# The inbox ----------------------------------------------------------------------------------


def mark_read(user: User, ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    """Mark some of the person's own notifications read. Reading is not audited (it is nobody
    else's business, and the 2024 rules against formalism forbid tracking people's reading)."""
    rows = Notification.objects.restrict(user, "change").unread().filter(pk__in=list(ids))
    return rows.update(read_at=now or clock.now())


def mark_all_read(user: User, *, now: dt.datetime | None = None) -> int:
    return Notification.objects.restrict(user, "change").unread().update(read_at=now or clock.now())


# Dead letters -------------------------------------------------------------------------------


@atomic
def retry_dead(
    ids: Iterable[int] | None, *, actor: User | None, now: dt.datetime | None = None
) -> int:
    """Send dead rows again from the first attempt (all the actor may manage when ids is None)."""
    require(actor, "outbox", "manage")
    rows = Outbox.objects.filter(state=OutboxState.DEAD)
    if actor is not None:
        rows = rows.filter(pk__in=Outbox.objects.restrict(actor, "manage").values("pk"))
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    chosen = list(rows.select_for_update().values_list("pk", flat=True))
    if not chosen:
        raise fail("ids", _("没有可重发的失败消息。"))
    count = Outbox.objects.filter(pk__in=chosen, state=OutboxState.DEAD).update(
        state=OutboxState.PENDING,
        attempts=0,
        next_attempt_at=now or clock.now(),
        claimed_at=None,
        claimed_by="",
    )
    record(
        EventType.NOTIFY_DEAD_RETRIED,
        actor=actor,
        details={"outbox": chosen, "count": count},
    )
    transaction.on_commit(_nudge_worker)
    return count


# Preferences --------------------------------------------------------------------------------

PREFERENCE_FIELDS = (
    "email",
    "sms",
    "webhook",
    "webhook_url",
    "webhook_format",
    "quiet_start",
    "quiet_end",
    "digest",
)


@atomic
def set_preferences(user: User, *, actor: User, **fields: Any) -> Preference:
    """A person sets their own channels, quiet hours and digest choice."""
    if actor.pk != user.pk:
        require(actor, "user", "manage")
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise fail(sorted(unknown)[0], _("未知的通知设置项。"))
    preference = Preference.objects.select_for_update().filter(user=user).first()
    preference = preference or Preference(user=user)
    merged = {key: getattr(preference, key) for key in PREFERENCE_FIELDS} | fields
    fields |= _checked(merged)
    changed = {k: v for k, v in fields.items() if getattr(preference, k) != v}
    for key, value in fields.items():
        setattr(preference, key, value)
    preference.save()
    record(
        EventType.NOTIFY_PREFERENCES_SET,
        actor=actor,
        target=user,
        details={"changed": sorted(changed)},
    )
    return preference


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """The preference as it would be after the change, checked; returns the cleaned URL."""
    url = check_optional(fields["webhook_url"] or "", "webhook_url", _("机器人地址"), 500)
    if url and not url.startswith(("http://", "https://")):
        raise fail("webhook_url", _("机器人地址须以 http:// 或 https:// 开头。"))
    if fields["webhook"] and not url:
        raise fail("webhook_url", _("启用机器人通知须填写机器人地址。"))
    if fields["webhook_format"] not in WebhookFormat.values:
        raise fail("webhook_format", _("机器人类型无效。"))
    if (fields["quiet_start"] is None) != (fields["quiet_end"] is None):
        raise fail("quiet_end", _("免打扰时段须同时填写开始和结束时间。"))
    return {"webhook_url": url}


# Set-based notices (the sweeps) ---------------------------------------------------------------

# What `notify_rows` reads from each row of its queryset, as annotations.
ROW_FIELDS = (
    "n_recipient",  # the person's user id
    "n_kind",
    "n_title",
    "n_body",
    "n_target_model",
    "n_target_id",
    "n_url",
    "n_key",  # the dedupe key, already unique per recipient: the row is written once
    "n_private",  # 涉密: keep title and body off the external channels
)


def notify_rows(rows: QuerySet[Any], *, now: dt.datetime) -> int:
    """`notify` for a whole set in a constant number of statements, whatever its size.

    `rows` is any queryset annotated with ROW_FIELDS (e.g. reminders joined to the people to
    tell). Inbox rows are inserted with INSERT ... SELECT, skipping keys already written; then one
    INSERT ... SELECT per enabled channel writes the outbox rows of the inbox rows of these keys,
    by the people's preferences, timed into the delivery window and out of their quiet hours.
    Returns the number of inbox rows written. Runs in the caller's transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify_rows must run inside the caller's transaction")
    active = User.objects.filter(is_active=True).values("pk")
    rows = rows.filter(n_recipient__in=active)
    batch = uuid.uuid4().hex
    inbox = rows.values_list(
        "n_recipient",
        "n_kind",
        Left("n_title", TITLE_MAX),
        "n_body",
        "n_target_model",
        "n_target_id",
        "n_url",
        "n_key",
        Value(now, output_field=models.DateTimeField()),
        "n_private",
        Value(batch),
    )
    columns = ["recipient", "kind", "title", "body", "target_model", "target_id", "url"]
    columns += ["dedupe_key", "created_at", "private", "batch"]
    written = insert_select(Notification, columns, inbox)
    if written:
        sent = _outbox_from_inbox(batch, now)
        if sent:
            transaction.on_commit(_nudge_worker)
    return written


def _outbox_from_inbox(batch: str, now: dt.datetime) -> int:
    enabled = list(settings.DUBAN_NOTIFY_CHANNELS)
    if not enabled:
        return 0
    pref = "recipient__notify_preference__"
    base = (
        Notification.objects.filter(batch=batch)
        .exclude(**{f"{pref}digest": True})  # the daily digest sends these with the day's others
        .annotate(
            o_at=_deliverable_case(now),
            o_title=_external(F("title"), _("您有一条新消息")),
            o_body=_external(F("body"), _("内容不经外部渠道发送,请登录督办平台查看。")),
        )
    )
    channels = {
        "email": (
            Q(recipient__email__gt="") & ~Q(**{f"{pref}email": False}),
            F("recipient__email"),
        ),
        "sms": (Q(recipient__phone__gt="") & ~Q(**{f"{pref}sms": False}), F("recipient__phone")),
        "webhook": (
            Q(**{f"{pref}webhook": True, f"{pref}webhook_url__gt": ""}),
            F(f"{pref}webhook_url"),
        ),
    }
    total = 0
    for channel in enabled:
        wanted, address = channels[channel]
        extra = {"format": F(f"{pref}webhook_format")} if channel == "webhook" else {}
        payload = JSONObject(
            to=address, kind=F("kind"), title=F("o_title"), body=F("o_body"), url=F("url"), **extra
        )
        select = base.filter(wanted).values_list(
            "recipient_id",
            Value(channel),
            payload,
            Value(OutboxState.PENDING),
            Value(0),
            "o_at",
            Value(""),
            Value(""),
            Concat("dedupe_key", Value(f":{channel}")),
            Value(now, output_field=models.DateTimeField()),
        )
        columns = ["recipient", "channel", "payload", "state", "attempts", "next_attempt_at"]
        columns += ["claimed_by", "last_error", "dedupe_key", "created_at"]
        total += insert_select(Outbox, columns, select)
    return total


def _external(text: F, hidden: str) -> Case:
    return Case(When(private=True, then=Value(hidden)), default=text, output_field=TextField())


def _quiet(start: dt.time, end: dt.time) -> Preference:
    return Preference(quiet_start=start, quiet_end=end)


def _deliverable_case(now: dt.datetime) -> Case:
    """When each person's message may go: the window's time, or later by their quiet hours.

    The people with quiet hours share a few distinct (start, end) pairs: one branch each."""
    window = DeliveryWindow.current()
    cal = gating.calendar(window)
    pairs = (
        Preference.objects.filter(quiet_start__isnull=False, quiet_end__isnull=False)
        .values_list("quiet_start", "quiet_end")
        .distinct()
    )
    pref = "recipient__notify_preference__"
    branches = [
        When(
            **{f"{pref}quiet_start": start, f"{pref}quiet_end": end},
            then=Value(
                gating.deliverable_at(
                    now, window, Preference(quiet_start=start, quiet_end=end), cal
                )
            ),
        )
        for start, end in pairs
    ]
    plain = Value(gating.deliverable_at(now, window, None, cal))
    return Case(*branches, default=plain, output_field=models.DateTimeField())
