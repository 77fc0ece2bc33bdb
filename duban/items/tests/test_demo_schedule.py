"""The demo's timeline (items/demo_schedule.py): each item's steps in order, on working days,
never after now; properties over any dates build_specs could give."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.test import SimpleTestCase
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.items.demo_schedule import Dates, on_workdays, open_dates, plan, registered_on, timeline
from duban.items.models import ItemState as S

TODAY = dt.date(2026, 11, 23)  # a Monday
SOON = [dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 26)]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ORDER: dict[str, list[str]] = {
    S.IN_PROGRESS: ["create", "assign", "acknowledge", "progress"],
    S.SUBMITTED: ["create", "assign", "acknowledge", "progress", "final"],
    S.COMPLETED: ["create", "assign", "acknowledge", "progress", "final", "accept"],
    S.ARCHIVED: ["create", "assign", "acknowledge", "progress", "final", "accept", "archive"],
    S.ASSIGNED: ["create", "assign"],
    S.PENDING_APPROVAL: ["create", "submit"],
    S.CANCELLED: ["create", "cancel"],
}


def weekday(day: dt.date) -> dt.date:
    """Monday to Friday stand in for the working calendar here: no database."""
    while day.weekday() >= 5 and day < TODAY:
        day += dt.timedelta(days=1)
    return day


def dates_for(seed: int, state: str, index: int, flags: int) -> Dates:
    rng = random.Random(seed)
    start, due, late = open_dates(rng, state, TODAY, SOON)
    extension = "" if due is None or due <= TODAY or state != S.IN_PROGRESS else "approved"
    return Dates(
        index=index,
        state=state,
        registered=registered_on(rng, state, start, TODAY),
        start=start,
        due=due,
        late=late,
        declined=state == S.DRAFT and bool(flags & 1),
        returned=state == S.IN_PROGRESS and bool(flags & 2),
        extension=extension if flags & 4 else "",
        cadence=bool(flags & 8),
        milestones=bool(flags & 16),
        plan=bool(flags & 32),
        notice=bool(flags & 64),
        remind=bool(flags & 128),
    )


states = st.sampled_from([*ORDER, S.DRAFT])
seeds = st.integers(0, 10**6)
flags = st.integers(0, 255)


class ScheduleTests(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(seeds, states, flags)
    def test_steps_in_order_on_working_days_up_to_today(
        self, seed: int, state: str, f: int
    ) -> None:
        steps = on_workdays(plan(dates_for(seed, state, 0, f), TODAY, 1), weekday, TODAY)
        days = [day for day, _step in steps]
        self.assertEqual(days, sorted(days))
        self.assertLessEqual(days[-1], TODAY)
        self.assertTrue(all(day.weekday() < 5 or day == TODAY for day in days), steps)
        names = [step for _day, step in steps]
        expected = ORDER.get(state, ["create"])
        self.assertEqual([n for n in names if n in expected], expected, names)
        due = dates_for(seed, state, 0, f).due or TODAY
        reminded = [day for day, step in steps if step == "remind"]
        self.assertTrue(all(day > due for day in reminded), steps)  # 督办单: only once overdue

    @settings(max_examples=300, deadline=None)
    @given(seeds, states, flags)
    def test_a_closed_item_is_late_exactly_when_past_its_deadline(
        self, seed: int, state: str, f: int
    ) -> None:
        dates = dates_for(seed, state, 0, f)
        if state not in (S.COMPLETED, S.ARCHIVED):
            return
        steps = {step: day for day, step in plan(dates, TODAY, 1)}
        assert dates.due is not None
        self.assertEqual(steps["accept"] > dates.due, dates.late)
        self.assertLessEqual(steps["accept"], TODAY)

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.tuples(seeds, states, flags), min_size=1, max_size=30), st.integers(0, 23))
    def test_one_timeline_in_time_order_and_never_after_now(
        self, items: list[tuple[int, str, int]], hour: int
    ) -> None:
        now = dt.datetime.combine(TODAY, dt.time(hour, 7), tzinfo=SHANGHAI)
        plans = [
            (i, on_workdays(plan(dates_for(seed, state, i, f), TODAY, 1), weekday, TODAY))
            for i, (seed, state, f) in enumerate(items)
        ]
        moments = timeline(plans, now)
        self.assertEqual(len(moments), sum(len(steps) for _i, steps in plans))
        stamps = [m.at for m in moments]
        self.assertEqual(stamps, sorted(stamps))
        self.assertLess(stamps[-1], now)
        for i, steps in plans:  # each item's own steps keep their order and their days
            mine = [m for m in moments if m.index == i]
            self.assertEqual([m.step for m in mine], [step for _day, step in steps])
            days = [timezone.localtime(m.at).date() for m in mine]
            self.assertEqual(days, [day for day, _step in steps])
