"""The ledgers app's Huey tasks: keeping the dashboards' snapshots warm (figure_cache.py)."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from duban.ledgers import figure_cache, figure_refresh


@db_task()
def count_figures(scope: dict[str, Any], window: dict[str, Any]) -> None:
    """Keep a snapshot of a scope a view found costly to count (figure_cache.py)."""
    figure_cache.count(figure_cache.scope_from(scope), figure_cache.window_from(window))


@db_periodic_task(crontab(minute="*/5"))
def refresh_figures() -> int:
    """Count again the snapshots people looked at lately that changes have left behind."""
    return figure_refresh.refresh()
