"""Delivering the outbox: claim due rows set-based, send each, record the outcome.

The shape of Healthchecks' sendalerts and Zulip's deliver_scheduled_emails, under Huey:

1. `claim` takes up to `batch_size` rows that are due — pending with `next_attempt_at <= now`, or
   sending with a lease older than `lease_seconds` (a worker died holding them) — in one short
   transaction: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent consumers take
   disjoint rows without waiting; on SQLite the transaction begins IMMEDIATE (settings.py), which
   serialises claimers. The claim marks them `sending` with a fresh token in `claimed_by`, stamps
   `claimed_at` and counts the attempt.
2. `deliver` sends one claimed row through its transport, outside any transaction, and then
   records the outcome in its own statement — guarded by the claim token, so a worker whose lease
   ran out cannot overwrite the row another worker has since taken.
3. A failure goes back to pending after an exponential backoff (DeliveryWindow.backoff), moved
   into the delivery window; after `max_attempts` attempts, or at once when the transport says
   retrying cannot help, the row is dead and waits for an administrator (views.dead_letters).

Guarantees, stated honestly. Killing the worker at any point loses nothing: rows are committed
before the worker sees them, and a claimed row whose worker died is claimed again after the lease.
No two consumers hold the same row at once (the claim). But between a transport returning and the
row being marked sent there is a window — a crash there, or a lease that runs out mid-send — in
which the message was delivered yet the row still looks unsent: it will be sent again. Exactly
once is impossible without the receiver's help, so every transport is handed the row's stable
idempotency key (channels.py) for receivers that honour it; `lease_seconds` must stay well above
`batch_size` × the transport timeout so the second case does not arise in normal operation.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections import Counter

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from duban.core import clock
from duban.notify import gating
from duban.notify.channels import Message, TransportError, transport_for
from duban.notify.models import DeliveryWindow, Outbox, OutboxState, Preference

log = logging.getLogger("duban.notify")
ERROR_MAX = 2000
# One run of `deliver_due` stops after this many batches, so a huge backlog cannot keep one task
# busy forever; the next minute's run goes on.
MAX_BATCHES = 50


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _due(now: dt.datetime, window: DeliveryWindow) -> Q:
    expired = now - dt.timedelta(seconds=window.lease_seconds)
    return Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.SENDING, claimed_at__lt=expired
    )


def claim(*, now: dt.datetime, window: DeliveryWindow, worker: str | None = None) -> list[Outbox]:
    """Take up to `batch_size` due rows for this worker; they come back marked `sending`."""
    token = f"{worker or worker_name()}:{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        due = Outbox.objects.filter(_due(now, window)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[: window.batch_size])
        if not ids:
            return []
        # The condition again: a compare-and-set, whatever the database's locking.
        Outbox.objects.filter(_due(now, window), pk__in=ids).update(
            state=OutboxState.SENDING,
            claimed_at=now,
            claimed_by=token,
            attempts=F("attempts") + 1,
        )
    return list(Outbox.objects.filter(claimed_by=token, state=OutboxState.SENDING).order_by("pk"))


def deliver(row: Outbox, *, now: dt.datetime, window: DeliveryWindow) -> str:
    """Send one claimed row and record the outcome; the row's new state."""
    try:
        transport_for(row.channel).send(Message.from_row(row))
    except TransportError as error:
        return _failed(row, str(error), permanent=error.permanent, now=now, window=window)
    except Exception as error:
        log.exception("outbox %s: transport crashed", row.pk)
        return _failed(row, repr(error), permanent=False, now=now, window=window)
    # Its own statement, right after the send: the window for a duplicate stays this small.
    done = _mine(row).update(state=OutboxState.SENT, sent_at=now, last_error="")
    if not done:
        log.warning("outbox %s: sent after its lease ran out", row.pk)
    return OutboxState.SENT


def _mine(row: Outbox) -> QuerySet[Outbox]:
    return Outbox.objects.filter(pk=row.pk, claimed_by=row.claimed_by, state=OutboxState.SENDING)


def _failed(
    row: Outbox, error: str, *, permanent: bool, now: dt.datetime, window: DeliveryWindow
) -> str:
    if permanent or row.attempts >= window.max_attempts:
        _mine(row).update(state=OutboxState.DEAD, last_error=error[:ERROR_MAX])
        log.warning("outbox %s: dead after %d attempt(s): %s", row.pk, row.attempts, error)
        return OutboxState.DEAD
    preference = Preference.objects.filter(user_id=row.recipient_id).first()
    retry_at = gating.deliverable_at(
        now + window.backoff(row.attempts), window, preference, gating.calendar(window)
    )
    _mine(row).update(
        state=OutboxState.PENDING, next_attempt_at=retry_at, last_error=error[:ERROR_MAX]
    )
    return OutboxState.PENDING


def run_once(*, now: dt.datetime | None = None, worker: str | None = None) -> Counter[str]:
    """Claim one batch and deliver it; the count of rows by their new state."""
    window = DeliveryWindow.current()
    now = now or clock.now()
    outcome: Counter[str] = Counter()
    for row in claim(now=now, window=window, worker=worker):
        outcome[deliver(row, now=now, window=window)] += 1
    return outcome


def deliver_due(*, now: dt.datetime | None = None) -> Counter[str]:
    """Deliver batches until nothing is due (at most MAX_BATCHES); what the tasks run."""
    total: Counter[str] = Counter()
    for _batch in range(MAX_BATCHES):
        outcome = run_once(now=now)
        if not outcome:
            break
        total.update(outcome)
    return total
