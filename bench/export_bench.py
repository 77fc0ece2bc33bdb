"""The XLSX export of the 台账 at 100,000 rows on PostgreSQL: seconds and peak memory.

    .venv/bin/python bench/export_bench.py [--items 100000] [--user USERNAME]

Issue 6 item 6: an export of 100,000 rows in under 15 s and under 200 MB. DATABASE_URL names a
scratch PostgreSQL database (default postgres://postgres@127.0.0.1:5432/duban_export_bench); the
bench creates and migrates it, loads the demo organisation and generates the items as
bench/sweep_bench.py does (INSERT ... SELECT generate_series, never a row at a time from Python),
then gives a third of them a co-unit and half of them one or two submitted progress reports, so the
export's per-chunk co-unit query and latest-report subquery have work to do. A database that
already holds the items is reused.

Two runs of the same export as the office person (the 台账 page's path: restrict, filters,
ordering, annotations, the write-only workbook, the audit event): the first timed, with the
process's ru_maxrss growth; the second under tracemalloc for the peak of Python allocations
(tracemalloc slows Python down, so that run is not timed).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_export_bench")

# After DATABASE_URL is set (sweep_bench would default it to its own database), before setup.
from bench import sweep_bench

# Titles of the items sweep_bench.generate() makes (the demo's own items have real titles).
GENERATED = "督查事项 "
GOAL_SECONDS = 15
GOAL_MB = 200


def _conn() -> Any:
    from django.db import connection

    return connection


def add_co_units() -> None:
    """A co-unit on every third item (not its lead unit), unless the items already have some."""
    from duban.items.models import ItemUnit, UnitRole
    from duban.org.models import Membership, Role

    if ItemUnit.objects.filter(role=UnitRole.CO, item__title__startswith=GENERATED).exists():
        return
    units = sorted(
        set(Membership.objects.filter(role=Role.LIAISON).values_list("unit_id", flat=True))
    )
    array = "ARRAY[" + ",".join(str(u) for u in units) + "]"
    with _conn().cursor() as cursor:
        cursor.execute(
            "INSERT INTO items_itemunit (item_id, unit_id, role, assigned_at, decline_reason) "  # noqa: S608 (ids from the database)
            f"SELECT i.id, ({array})[(i.id + 1) %% {len(units)} + 1], 'co', now(), '' "
            "FROM items_item i WHERE i.id %% 3 = 0 AND i.lead_unit_id IS NOT NULL "
            "AND i.title LIKE %s "
            f"AND ({array})[(i.id + 1) %% {len(units)} + 1] <> i.lead_unit_id",
            [GENERATED + "%"],
        )


def add_reports() -> None:
    """One submitted progress report on every second item, an older second on every fourth."""
    from duban.items.models import ProgressReport
    from duban.org.models import Membership, Role

    if ProgressReport.objects.filter(item__title__startswith=GENERATED).exists():
        return
    author = Membership.objects.filter(role=Role.LIAISON).values_list("user_id", flat=True)[0]
    insert = (
        "INSERT INTO items_progressreport (item_id, unit_id, kind, state, content, problems, "
        "next_steps, late, created_by_id, created_at, submitted_at) "
        "SELECT i.id, i.lead_unit_id, 'progress', 'submitted', %s || i.id, '', '', false, %s, "
        "now() - make_interval(days => %s), now() - make_interval(days => %s) "
        "FROM items_item i WHERE i.lead_unit_id IS NOT NULL AND i.id %% %s = 0 AND i.title LIKE %s"
    )
    with _conn().cursor() as cursor:
        cursor.execute(
            insert, ["按计划推进,本月完成阶段任务,事项编号 ", author, 30, 30, 4, GENERATED + "%"]
        )
        cursor.execute(
            insert, ["已完成现场核查,整改正在推进,事项编号 ", author, 1, 1, 2, GENERATED + "%"]
        )
        cursor.execute("ANALYZE items_itemunit")
        cursor.execute("ANALYZE items_progressreport")


def office_person(username: str | None) -> Any:
    from duban.org.models import Membership, Role, User

    if username:
        return User.objects.get(username=username)
    owner = sweep_bench_owner()
    membership = Membership.objects.filter(role=Role.OFFICE, unit_id=owner).first()
    assert membership is not None, "no office person in the items' owner unit"
    return membership.user


def sweep_bench_owner() -> int:
    from duban.items.models import Item

    owner = Item.objects.values_list("owner_unit_id", flat=True).first()
    assert owner is not None, "no items"
    return int(owner)


def export_once(user: Any, limit: int) -> tuple[int, int]:
    """(rows, bytes) of one export of the first `limit` items the person sees, newest first."""
    from duban.items.models import Item
    from duban.ledgers import xlsx_export
    from duban.ledgers.filters import ledger_items, ordered

    last = Item.objects.order_by("id").values_list("id", flat=True)[limit - 1]
    items = ordered(ledger_items(user, {}).filter(id__lte=last), None)
    viewable = Item.objects.restrict(user, "view")
    with tempfile.TemporaryFile() as out:
        rows = xlsx_export.export_items(
            items, out, actor=user, filters={}, viewable=viewable, name="bench.xlsx", via="bench"
        )
        return rows, out.tell()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(items: int, username: str | None) -> None:
    """Both runs, in a process that has done nothing else (ru_maxrss only ever grows)."""
    django.setup()
    user = office_person(username)
    before = rss_mb()
    began = time.perf_counter()
    rows, size = export_once(user, items)
    seconds = time.perf_counter() - began
    grown = rss_mb() - before

    tracemalloc.start()
    export_once(user, items)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"rows {rows:,}, file {size / 1e6:.1f} MB, as {user.username}")
    print(f"  seconds            {seconds:8.2f}   (goal < {GOAL_SECONDS})")
    print(f"  tracemalloc peak   {peak / 2**20:8.1f} MB (goal < {GOAL_MB}, second run)")
    print(f"  ru_maxrss growth   {grown:8.1f} MB (process peak {rss_mb():.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--user", help="export as this person (default: an office person)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.items, options.user)
        return
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    sweep_bench.create_database(url)
    django.setup()
    sweep_bench.prepare()
    sweep_bench.generate(options.items)
    add_co_units()
    add_reports()
    from django.db import connections

    connections.close_all()
    command = [sys.executable, __file__, "--measure", "--items", str(options.items)]
    if options.user:
        command += ["--user", options.user]
    subprocess.run(command, check=True)  # noqa: S603 (this script, fixed arguments)


if __name__ == "__main__":
    main()
