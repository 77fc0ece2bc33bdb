"""What each PostgreSQL connection is told at its start (settings._database): no JIT, pages priced
for data in memory, no parallel workers for a page's short queries, and bitmaps that stay exact."""

from __future__ import annotations

import unittest

from django.db import connection
from django.test import TestCase


@unittest.skipUnless(connection.vendor == "postgresql", "连接参数是 PostgreSQL 的")
class ConnectionOptionsTest(TestCase):
    def test_each_connection_starts_with_the_planners_settings(self) -> None:
        with connection.cursor() as cursor:
            shown = {}
            for name in ("jit", "random_page_cost", "max_parallel_workers_per_gather", "work_mem"):
                cursor.execute(f"SHOW {name}")
                shown[name] = cursor.fetchone()[0]
        self.assertEqual(
            shown,
            {
                "jit": "off",
                "random_page_cost": "1.1",
                "max_parallel_workers_per_gather": "0",
                "work_mem": "16MB",
            },
        )
