"""The worker: one Huey instance (settings.HUEY, through huey.contrib.djhuey) and its consumers.

Tasks live in each app's `tasks.py` and are declared with djhuey's `db_task`/`db_periodic_task`,
which close stale database connections around each run. Huey deletes a task when a consumer takes
it, so a task is only a nudge: the durable work list is in the database (the notify outbox, the
sweeps' precomputed columns), and every task must be safe to run twice or not at all.

Deployments (README 「后台任务与通知」):

- embedded (default): `duban serve` starts one consumer with periodic tasks in its own process
  (`start_embedded`), on the SqliteHuey file in the data folder;
- scaled on one host: `duban serve --no-worker` (or `DUBAN_EMBEDDED_WORKER=false`) for the web
  processes, one `duban worker` with periodic tasks and any number of `duban worker --no-periodic`,
  all sharing the same SqliteHuey file;
- scaled on several hosts: `DUBAN_WORKER=redis` and `DUBAN_REDIS_URL` (RedisHuey), the same
  commands on each host, one of them with periodic tasks (core/worker_config.py).

Correctness never depends on Huey delivering a task once: the outbox claim (notify/delivery.py)
keeps two consumers off the same row. Huey 3.5 has no PostgreSQL storage of its own, so the
PostgreSQL deployments use Redis for the queue and PostgreSQL for everything durable.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.utils.module_loading import autodiscover_modules
from huey.consumer import Consumer

log = logging.getLogger("duban.worker")


def huey() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def discover_tasks() -> None:
    """Import every app's tasks.py, so the consumer knows every task and periodic task."""
    autodiscover_modules("tasks")


def consumer(*, workers: int = 1, periodic: bool = True) -> Consumer:
    discover_tasks()
    return huey().create_consumer(workers=workers, periodic=periodic, worker_type="thread")


class _EmbeddedConsumer(Consumer):
    # Signals belong to the web server running in the main thread; the consumer's threads are
    # daemons and end with the process.
    def _set_signal_handlers(self) -> None:
        pass


def start_embedded(*, workers: int = 1) -> threading.Thread | None:
    """Run a consumer with periodic tasks in a daemon thread of this process (`duban serve`)."""
    instance = huey()
    if instance.immediate:
        return None
    discover_tasks()
    embedded = _EmbeddedConsumer(instance, workers=workers, periodic=True, worker_type="thread")
    thread = threading.Thread(target=embedded.run, name="duban-worker", daemon=True)
    thread.start()
    log.info("embedded worker started with %d thread(s)", workers)
    return thread
