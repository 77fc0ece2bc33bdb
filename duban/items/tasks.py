"""The items app's Huey tasks (found by core/worker.discover_tasks): the periodic sweeps, and the
folding of the item tally's deltas (items/tally.py).

The sweeps task only calls items.sweeps.run, which tests call directly with the time they choose.
Running it twice costs nothing (each reminder is a unique row); a run lost with a dying worker
is caught up by the next one, since each rule selects everything due by then.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from duban.items import sweeps, tally


@db_periodic_task(crontab(minute="*/15"))
def run_sweeps() -> dict[str, int]:
    """Every registered sweep (lights, reminders, and those other apps add)."""
    return {result.name: result.changed + result.notified for result in sweeps.run()}


@db_periodic_task(crontab(minute="*/5"))
def compact_tally() -> int:
    """Fold the tally's deltas, so the province's total sums a few thousand rows, not one per
    change since the last run."""
    return tally.compact()
