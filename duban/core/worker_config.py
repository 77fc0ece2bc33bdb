"""The HUEY setting for each kind of queue (`DUBAN_WORKER`), kept out of settings.py so a test can
build the same configuration for a queue the running settings do not use.

- sqlite: SqliteHuey in the data folder — the embedded default, consumers on one host;
- redis: RedisHuey at `DUBAN_REDIS_URL` — consumers on several hosts;
- immediate: tasks run in the caller's thread (tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

KINDS = ("sqlite", "redis", "immediate")


def huey_config(kind: str, *, data_dir: Path, redis_url: str, threads: int) -> dict[str, Any]:
    common: dict[str, Any] = {
        "name": "duban",
        "immediate": kind == "immediate",
        "utc": True,
        "consumer": {"workers": threads, "worker_type": "thread"},
    }
    if kind == "redis":
        return {"huey_class": "huey.RedisHuey", "url": redis_url, **common}
    return {
        "huey_class": "huey.SqliteHuey",
        "filename": str(data_dir / "huey.sqlite3"),
        **common,
    }
