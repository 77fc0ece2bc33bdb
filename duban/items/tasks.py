"""The items app's Huey tasks (found by core/worker.discover_tasks): the periodic sweeps.

The task only calls items.sweeps.run, which tests call directly with the time they choose.
Running it twice costs nothing (each reminder is a unique row); a run lost with a dying worker
is caught up by the next one, since each rule selects everything due by then.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from duban.items import sweeps


@db_periodic_task(crontab(minute="*/15"))
def run_sweeps() -> dict[str, int]:
    """Every registered sweep (lights, reminders, and those other apps add)."""
    return {result.name: result.changed + result.notified for result in sweeps.run()}
