"""The scaled queue: RedisHuey from `DUBAN_WORKER=redis`, a task enqueued by one side and run by a
consumer thread, against the real Redis server.

A fresh machine with only python3, make and git has no Redis: the test is skipped there. CI starts
Redis and sets DUBAN_TEST_REDIS_URL, and then an unreachable server is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

from duban.core.worker_config import huey_config

URL = os.environ.get("DUBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(URL, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


def test_settings_choose_redis_huey(tmp_path: Path) -> None:
    config = huey_config("redis", data_dir=tmp_path, redis_url=URL, threads=3)
    assert config["huey_class"] == "huey.RedisHuey"
    assert config["url"] == URL
    assert not config["immediate"]
    assert huey_config("sqlite", data_dir=tmp_path, redis_url=URL, threads=1)["filename"] == str(
        tmp_path / "huey.sqlite3"
    )


def test_a_consumer_runs_what_another_process_enqueued(tmp_path: Path) -> None:
    if not _reachable():
        if "DUBAN_TEST_REDIS_URL" in os.environ:
            pytest.fail(f"Redis unreachable at {URL}")
        pytest.skip("no Redis server here (CI starts one and sets DUBAN_TEST_REDIS_URL)")
    config = huey_config("redis", data_dir=tmp_path, redis_url=URL, threads=1)
    config.pop("consumer")
    config["name"] = f"duban-test-{uuid.uuid4().hex}"  # a queue of its own, left empty after
    huey = import_string(config.pop("huey_class"))(**config)

    @huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    try:
        result = add(2, 3)
        assert huey.pending_count() == 1
        consumer = huey.create_consumer(workers=1, periodic=False, worker_type="thread")
        consumer.start()
        try:
            assert result.get(blocking=True, timeout=10) == 5
        finally:
            consumer.stop(graceful=True)
        assert huey.pending_count() == 0
    finally:
        huey.storage.flush_all()
