"""The ledgers app's Huey tasks: keeping the dashboards' snapshots warm (figure_cache.py) and the
frequent keywords' counts (keyword_tally.py)."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from duban.ledgers import figure_cache, figure_refresh, keyword_tally


@db_task()
def count_figures(scope: dict[str, Any], window: dict[str, Any]) -> None:
    """Keep a snapshot of a scope a view found costly to count (figure_cache.py)."""
    figure_cache.count(figure_cache.scope_from(scope), figure_cache.window_from(window))


@db_task()
def track_keyword(term: str) -> bool:
    """Start keeping the count of a keyword the whole tree holds often (keyword_tally.py)."""
    return keyword_tally.track(term)


@db_periodic_task(crontab(minute="*/5"))
def compact_keyword_tally() -> None:
    """Fold the keyword counts' deltas, so a count sums one row per keyword."""
    keyword_tally.compact()


@db_periodic_task(crontab(minute="*/5"))
def refresh_figures() -> int:
    """Count again the snapshots people looked at lately that changes have left behind."""
    return figure_refresh.refresh()
