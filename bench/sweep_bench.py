"""One full sweep run over generated items on PostgreSQL: seconds and SQL statements per sweep.

    .venv/bin/python bench/sweep_bench.py --items 1000000 [--runs 3] [--keep]

Issue 5 item 7 and shared/DESIGN.md 「Performance targets」: a sweep over 1,000,000 open items in
under 10 s, a constant number of statements. DATABASE_URL names a scratch PostgreSQL database
(default postgres://postgres@127.0.0.1:5432/duban_bench); the bench creates it (from the template
in DUBAN_TEST_DB_TEMPLATE when set), migrates it, loads the demo organisation, and generates the
items with INSERT ... SELECT generate_series in batches — never a row at a time from Python.

Items' due dates spread evenly from 200 days before the first measured day to 200 after, so about
half are late; 9 in 10 are open. Measured: the cold run (every light computed, every rule firing
for the first time: the day the rules are installed), then `--runs` consecutive working days,
each after the previous one's run and the VACUUM ANALYZE autovacuum would have done overnight
(the daily steady state); medians are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duban_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_WORKER", "immediate")

BATCH = 100_000
FIRST_DAY = dt.date(2025, 10, 13)  # a Monday after the 国庆 holidays


def create_database(url: str) -> None:
    """CREATE DATABASE unless it exists, connecting to the server's `postgres` database."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        template = os.environ.get("DUBAN_TEST_DB_TEMPLATE")
        clause = f' TEMPLATE "{template}"' if template else " TEMPLATE template0 ENCODING 'UTF8'"
        conn.execute(f'CREATE DATABASE "{name}"{clause}')


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from duban.org.models import Unit

    if not Unit.objects.exists():
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _columns(overrides: dict[str, str]) -> tuple[list[str], list[str], list[Any]]:
    """Every NOT NULL column of Item: the override's SQL, or the field's default as a parameter."""
    from duban.items.models import Item

    names, exprs, params = [], [], []
    for field in Item._meta.concrete_fields:
        if field.primary_key:
            continue
        column = str(field.column)
        if field.name in overrides:
            names.append(column)
            exprs.append(overrides[field.name])
        elif not field.null:
            names.append(column)
            exprs.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection=_conn()))
    return names, exprs, params


def _conn() -> Any:
    from django.db import connection

    return connection


def generate(total: int) -> None:
    """Top the items up to `total` with set-based INSERT ... SELECT, a progress bar per batch."""
    from tqdm import tqdm

    from duban.items.models import Item
    from duban.org.models import Membership, Role, Unit

    have = Item.objects.count()
    if have >= total:
        return
    office = Unit.objects.filter(memberships__role=Role.OFFICE).first()
    led = Membership.objects.filter(role=Role.LIAISON).values_list("unit_id", flat=True)
    units = sorted(set(led))
    assert office is not None and units, "the demo organisation is missing"
    units_sql = "ARRAY[" + ",".join(str(u) for u in units) + "]"
    start = FIRST_DAY - dt.timedelta(days=200)
    open_states = "ARRAY['assigned','in_progress','in_progress','submitted']"
    overrides = {
        "title": "'督查事项 ' || g",
        "source": "(ARRAY['leader_instruction','meeting','document','npc_suggestion'])[g %% 4 + 1]",
        "state": f"CASE WHEN g %% 10 = 0 THEN 'completed' ELSE ({open_states})[g %% 4 + 1] END",
        "owner_unit": str(office.pk),
        "lead_unit": f"({units_sql})[g %% {len(units)} + 1]",
        "due_date": f"DATE '{start.isoformat()}' + (g %% 400)",
        "next_report_due": f"DATE '{start.isoformat()}' + (g %% 7) + 200",
        "outcome": "CASE WHEN g %% 10 = 0 THEN 'B' ELSE '' END",
        "follow_up_date": f"CASE WHEN g %% 10 = 0 THEN DATE '{start.isoformat()}' + (g %% 400) END",
        "created_at": "now()",
        "updated_at": "now()",
    }
    names, exprs, params = _columns(overrides)
    sql = (
        f"INSERT INTO items_item ({', '.join(names)}) "  # noqa: S608 (column names from the model)
        f"SELECT {', '.join(exprs)} FROM generate_series(%s, %s) AS g"
    )
    bar = tqdm(total=total, initial=have, unit="项", desc="生成事项")
    with _conn().cursor() as cursor, bar:
        for first in range(have + 1, total + 1, BATCH):
            last = min(first + BATCH - 1, total)
            cursor.execute(sql, [*params, first, last])
            bar.update(last - first + 1)
        # The tables the items' triggers keep grew with them. A trigger's statement is planned
        # once per session and kept: planned on the demo's few hundred reach rows it reads them
        # all, and then every later item update read all 300,000 (export_bench's co-units ran for
        # over ten minutes). ANALYZE makes the plans be made again on the grown tables.
        for table in ("items_item", "items_reach_rows", "items_tally"):
            cursor.execute(f"ANALYZE {table}")


def working_days(first: dt.date, count: int) -> Iterator[dt.date]:
    from duban.workdays.calendars import calendar_for

    cal, day, found = calendar_for(), first, 0
    while found < count:
        if cal.is_workday(day):
            found += 1
            yield day
        day += dt.timedelta(days=1)


def reset() -> None:
    """As on the day the rules are installed: no reminder sent, no step proposed, no sweep mark,
    every light to compute."""
    from duban.assessment.models import Escalation, Proposal
    from duban.audit.models import SweepMark
    from duban.items.models import CHECK_AT_ONCE, Item, SentReminder
    from duban.notify.models import Notification, Outbox

    with _conn().cursor() as cursor:
        for model in (SentReminder, Notification, Outbox, SweepMark, Escalation, Proposal):
            cursor.execute(f"TRUNCATE {model._meta.db_table}")
    Item.objects.update(next_check_at=CHECK_AT_ONCE, swept_light="")
    with _conn().cursor() as cursor:
        cursor.execute("VACUUM ANALYZE items_item")


def overnight() -> None:
    """What autovacuum does in the hours between two working days (untimed): after the cold run
    rewrote every light, a sweep planned on the old statistics would read the whole table."""
    with _conn().cursor() as cursor:
        for table in ("items_item", "items_sentreminder", "assessment_escalation"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def run_day(day: dt.date) -> list[Any]:
    from django.utils import timezone

    from duban.items import sweeps

    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return sweeps.run(moment)


def show(label: str, runs: list[list[Any]]) -> None:
    print(f"\n{label}")
    names = [r.name for r in runs[0]]
    for i, name in enumerate(names):
        seconds = statistics.median(run[i].seconds for run in runs)
        statements = {run[i].statements for run in runs}
        changed = statistics.median(run[i].changed for run in runs)
        notified = statistics.median(run[i].notified for run in runs)
        counts = "/".join(map(str, sorted(statements)))
        print(
            f"  {name:<12} {seconds:>8.3f} s  statements {counts:<8}"
            f" changed {changed:>9,.0f}  notified {notified:>9,.0f}"
        )
    totals = [sum(r.seconds for r in run) for run in runs]
    print(f"  {'all':<12} {statistics.median(totals):>8.3f} s  (median of {len(runs)})")
    if len(runs) > 1:
        print(f"  {'each day':<12} " + "  ".join(f"{t:.2f}" for t in totals) + " s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=1)
    options = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    create_database(url)
    django.setup()
    from duban.core.worker import discover_tasks

    discover_tasks()
    prepare()
    generate(options.items)
    from duban.items.models import OPEN_STATES, Item

    opened = Item.objects.filter(state__in=OPEN_STATES).count()
    print(f"items {Item.objects.count():,}, open {opened:,}")
    days = list(working_days(FIRST_DAY, options.runs + 1))
    cold = []
    for _ in range(options.cold_runs):
        reset()
        cold.append(run_day(days[0]))
    show(f"cold run on {days[0]} (all lights, rules firing for the first time)", cold)
    steady = []
    for day in days[1:]:
        overnight()
        steady.append(run_day(day))
    show(f"steady state, the next {options.runs} working days", steady)


if __name__ == "__main__":
    main()
