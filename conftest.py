"""Shared pytest fixtures: the browser for page tests (Debian's chromium, never a download).

Also a collection check: every transactional test (`django_db(transaction=True)`, `live_server`,
`transactional_db`, a TransactionTestCase) must ask for `serialized_rollback`. Such a test ends by
flushing every table, and with them the rows the migrations seed (the national calendar, the
deadline rules and their presets, the light rule, the audit chain head); serialized rollback loads
them again at its start. pytest-django runs transactional tests after the others, so only the
transactional ones need it, but all of them do: one without it leaves tables that the next one's
reload may collide with (content types recreated under new ids).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop; Django must still allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _transactional_without_serialized_rollback(item: pytest.Item) -> bool:
    from django.test import TestCase, TransactionTestCase
    from pytest_django.fixtures import validate_django_db

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase) and not cls.serialized_rollback
    fixtures = getattr(item, "fixturenames", ())
    transaction = reset_sequences = serialized = False
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, _, serialized, _ = validate_django_db(marker)
    transaction = transaction or reset_sequences
    transaction = transaction or "transactional_db" in fixtures or "live_server" in fixtures
    serialized = serialized or "django_db_serialized_rollback" in fixtures
    return bool(transaction and not serialized)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    offenders = [item.nodeid for item in items if _transactional_without_serialized_rollback(item)]
    if offenders:
        raise pytest.UsageError(
            "事务型测试须使用 serialized_rollback=True,否则会清空迁移写入的数据"
            " (transactional tests need serialized_rollback=True): " + ", ".join(offenders)
        )


# One browser per test, not per session: while Playwright's sync API is open an event loop runs
# in this thread, and Django then keys its connections by context instead of by thread. A test
# set up while it runs gets a connection without the serialized seed rows, so serialized rollback
# would silently load nothing. Launching chromium costs well under a second.
@pytest.fixture
def browser() -> Iterator[object]:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.fail("chromium 未安装:运行 make test 会自动安装 (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        # The connections the test opened while the loop ran: left open, PostgreSQL could not
        # drop the test database at the end of the session.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()
