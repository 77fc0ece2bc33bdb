"""When each demo item's steps happen: a year of an office's work, in the order it was done.

Pure (no database): given an item's registration, start and due dates, this places every step the
item went through (登记, 交办, 签收, 工作方案, 进展, 办结报告, 审核, 归档 ...) on a day, and the
steps of all items on one timeline. items/demo.py replays that timeline through the actions with
the clock set to each moment (core/clock.py), so each audit event, report and stamp carries the
day it would have had, the audit chain stays in time order, and the 月度趋势 has twelve months.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from duban.items.models import ItemState as S

Plan = list[tuple[dt.date, str]]  # (day, step), in the order the steps happen
Workday = Callable[[dt.date], dt.date]

FIRST_HOUR = 9  # the office's morning: an item's first step of a day
STEP_MINUTES = 25  # between two steps of one item on one day


@dataclass(frozen=True)
class Moment:
    at: dt.datetime
    index: int  # the spec's
    step: str


@dataclass(frozen=True)
class Dates:
    """What build_specs fixed for an item: its day of registration, start and deadline."""

    index: int
    state: str
    registered: dt.date
    start: dt.date | None
    due: dt.date | None
    late: bool = False  # completed after its deadline
    declined: bool = False
    returned: bool = False
    extension: str = ""  # "", "pending" or "approved"
    cadence: bool = False  # the office sets how often the item reports
    notice: bool = False  # a 督查通知 is issued when the item is assigned
    remind: bool = False  # a 催办单/督办单 is issued once the item is overdue
    milestones: bool = False
    plan: bool = False


def open_dates(
    rng: random.Random, state: str, today: dt.date, soon: list[dt.date]
) -> tuple[dt.date | None, dt.date, bool]:
    """(start, due, late): items in hand red, yellow or green today; closed ones over the year."""
    if state in (S.DRAFT, S.PENDING_APPROVAL, S.CANCELLED):
        return None, today + dt.timedelta(days=rng.randint(15, 90)), False
    if state in (S.COMPLETED, S.ARCHIVED):
        start = today - dt.timedelta(days=rng.randint(45, 330))
        due = min(start + dt.timedelta(days=rng.randint(20, 70)), today - dt.timedelta(days=15))
        return start, due, rng.random() < 0.3
    light = rng.random()
    recent = 5 if state == S.ASSIGNED else 60  # not yet signed for: sent days ago, not months
    if light < 0.2:  # overdue
        due = today - dt.timedelta(days=rng.randint(1, 20))
        return due - dt.timedelta(days=rng.randint(20, 90)), due, False
    if light < 0.35:  # due within three working days
        return (
            today - dt.timedelta(days=rng.randint(min(10, recent), recent)),
            rng.choice(soon),
            False,
        )
    start = today - dt.timedelta(days=rng.randint(0, recent))
    return start, today + dt.timedelta(days=rng.randint(8, 120)), False


def registered_on(rng: random.Random, state: str, start: dt.date | None, today: dt.date) -> dt.date:
    if start is not None:
        return start - dt.timedelta(days=rng.randint(0, 4))
    if state == S.CANCELLED:
        return today - dt.timedelta(days=rng.randint(20, 300))
    if state == S.PENDING_APPROVAL:
        return today - dt.timedelta(days=rng.randint(0, 6))
    return today - dt.timedelta(days=rng.randint(2, 15))


def plan(dates: Dates, today: dt.date, seed: int) -> Plan:
    """Every step of one item, each on its day (not yet moved off weekends)."""
    rng = random.Random(f"{seed}-steps-{dates.index}")  # noqa: S311  (demo data, not secrets)
    steps: Plan = [(dates.registered, "create")]

    def after(low: int, high: int, name: str) -> dt.date:
        """The next step, some days after the one before it."""
        day = steps[-1][0] + dt.timedelta(days=rng.randint(low, high))
        steps.append((day, name))
        return day

    if dates.state == S.PENDING_APPROVAL:
        after(0, 0, "submit")
    elif dates.state == S.CANCELLED:
        after(3, 25, "cancel")
    elif dates.state == S.DRAFT and dates.declined:
        after(1, 1, "assign")
        after(1, 1, "decline")
    elif dates.start is not None and dates.due is not None:
        steps.append((dates.start, "assign"))
        if dates.cadence:
            after(0, 0, "cadence")
        if dates.notice:
            after(0, 0, "notice")
        if dates.state != S.ASSIGNED:
            _in_hand(dates, rng, steps, after, today)
        if dates.remind and dates.due < today:
            late = dates.due + dt.timedelta(days=rng.randint(1, 4))
            steps.append((max(late, steps[-1][0]), "remind"))
    return steps


def office_plan(today: dt.date, first: dt.date) -> Plan:
    """The office's own steps since `first`: the worker's sweeps every Monday (lights, reminders,
    escalation and accountability proposals) and the office's decisions on them every Wednesday;
    a 督查通报 of each of the last three months, issued early in the month after; and today a
    draft 通报 of this month and a draft 专报, left to edit."""
    steps: Plan = []
    monday = first + dt.timedelta(days=-first.weekday() % 7)
    while monday <= today:
        steps.append((monday, "sweep"))
        steps.append((monday + dt.timedelta(days=2), "decide"))
        monday += dt.timedelta(days=7)
    month = today.replace(day=1)
    for back in (3, 2, 1):
        first = month
        for _ in range(back):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        issued = _next_month(first) + dt.timedelta(days=2)
        if issued < today:
            steps.append((issued, "bulletin"))
    steps = [step for step in steps if step[0] <= today]
    return [*sorted(steps), (today, "bulletin_draft"), (today, "report_draft")]


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _in_hand(
    dates: Dates,
    rng: random.Random,
    steps: Plan,
    after: Callable[[int, int, str], dt.date],
    today: dt.date,
) -> None:
    assert dates.start is not None and dates.due is not None  # noqa: S101  (plan() checked)
    after(0, 2, "acknowledge")
    if dates.plan or dates.milestones:
        after(1, 5, "plan")
    end = _end_of_work(dates, rng, today)
    middle = steps[-1][0] + (end - steps[-1][0]) / 2
    if dates.milestones:
        steps.append((max(middle - dt.timedelta(days=rng.randint(1, 10)), steps[-1][0]), "step"))
    steps.append((max(middle, steps[-1][0]), "progress"))
    if dates.state == S.IN_PROGRESS:
        if dates.returned:
            steps.append((max(today - dt.timedelta(days=rng.randint(3, 8)), steps[-1][0]), "final"))
            after(1, 2, "return")
        if dates.extension:
            steps.append(
                (max(today - dt.timedelta(days=rng.randint(1, 6)), steps[-1][0]), "extend")
            )
            if dates.extension == "approved":
                after(0, 1, "approve")
        return
    steps.append((max(end, steps[-1][0]), "final"))
    if dates.state in (S.COMPLETED, S.ARCHIVED):
        after(1, 3, "accept")
    if dates.state == S.ARCHIVED:
        after(3, 20, "archive")


def _end_of_work(dates: Dates, rng: random.Random, today: dt.date) -> dt.date:
    """The day the final report goes up: on time or late for closed items, lately for the rest."""
    assert dates.due is not None  # noqa: S101  (plan() checked)
    if dates.state in (S.COMPLETED, S.ARCHIVED):
        if dates.late:
            return dates.due + dt.timedelta(days=rng.randint(1, 12))
        return dates.due - dt.timedelta(days=rng.randint(3, 12))
    if dates.state == S.SUBMITTED:
        return today - dt.timedelta(days=rng.randint(0, 8))
    return today


def on_workdays(steps: Plan, workday: Workday, today: dt.date) -> Plan:
    """Each step moved to a working day, never past today, never before the step before it."""
    placed: Plan = []
    last = dt.date.min
    for day, step in steps:
        last = max(last, min(workday(day), today))
        placed.append((last, step))
    return placed


def timeline(plans: Iterable[tuple[int, Plan]], now: dt.datetime) -> list[Moment]:
    """All items' steps in time order; a day's steps by each item in the morning, none after now.

    Steps that would fall later today than now are spread over the hour before it (or since
    midnight), in the same order."""
    moments = []
    for index, steps in plans:
        previous, number = dt.date.min, 0
        for day, step in steps:
            number = number + 1 if day == previous else 0  # steps of the day so far
            previous = day
            minutes = STEP_MINUTES * number + index % 20
            naive = dt.datetime.combine(day, dt.time(FIRST_HOUR)) + dt.timedelta(minutes=minutes)
            moments.append(Moment(timezone.make_aware(naive), index, step))
    moments.sort(key=lambda m: (m.at, m.index))
    local_now = timezone.localtime(now)
    midnight = timezone.make_aware(dt.datetime.combine(local_now.date(), dt.time()))
    cutoff = max(midnight, now - dt.timedelta(hours=1))
    early = [m for m in moments if m.at < cutoff]
    late = moments[len(early) :]
    gap = (now - cutoff) / (len(late) + 1)
    return early + [Moment(cutoff + gap * (n + 1), m.index, m.step) for n, m in enumerate(late)]
