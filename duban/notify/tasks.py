"""The notify app's Huey tasks (found by core/worker.discover_tasks).

Each task only calls a plain function (delivery.deliver_due, digest.queue_digests) that tests call
directly with the time they choose. Running a task twice, or never (Huey drops a task it took when
the worker dies), costs at most a minute's delay: the outbox is the work list.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from duban.notify import delivery, digest


@db_task()
def deliver_outbox() -> dict[str, int]:
    """Enqueued on commit by notify(): deliver what is due now."""
    return dict(delivery.deliver_due())


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_every_minute() -> dict[str, int]:
    """Retries and messages held for working hours come due with time, not with an event."""
    return dict(delivery.deliver_due())


@db_periodic_task(crontab(minute="*/10"))
def queue_daily_digests() -> int:
    return digest.queue_digests()
