"""The one clock: the real time unless set for a block; auto_now stamps follow it."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.test import TestCase
from django.utils import timezone

from duban.core import clock
from duban.org.models import Unit

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MOMENT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


class ClockTests(TestCase):
    def test_the_real_time_by_default(self) -> None:
        before = timezone.now()
        now = clock.now()
        self.assertLessEqual(before, now)
        self.assertLessEqual(now, timezone.now())
        self.assertEqual(clock.today(), timezone.localdate(now))

    def test_set_for_a_block_and_restored_after_it(self) -> None:
        later = MOMENT + dt.timedelta(days=40)
        with clock.at(MOMENT):
            self.assertEqual(clock.now(), MOMENT)
            self.assertEqual(clock.today(), dt.date(2026, 3, 2))
            with clock.at(later):
                self.assertEqual(clock.today(), dt.date(2026, 4, 11))
            self.assertEqual(clock.now(), MOMENT)
        self.assertNotEqual(clock.today(), dt.date(2026, 3, 2))

    def test_restored_when_the_block_fails(self) -> None:
        with self.assertRaises(KeyError), clock.at(MOMENT):
            raise KeyError
        self.assertNotEqual(clock.now(), MOMENT)

    def test_a_naive_moment_is_refused(self) -> None:
        with self.assertRaises(ValueError), clock.at(dt.datetime(2026, 3, 2, 9)):  # noqa: DTZ001  (the point)
            pass

    def test_auto_now_stamps_read_the_clock(self) -> None:
        with clock.at(MOMENT):
            unit = Unit.objects.create(name="时钟测试局", code="CLOCK")
        self.assertEqual(unit.created_at, MOMENT)
        self.assertEqual(unit.updated_at, MOMENT)
        unit.refresh_from_db()
        self.assertEqual(unit.created_at, MOMENT)
        later = MOMENT + dt.timedelta(hours=3)
        with clock.at(later):
            unit.save()
        unit.refresh_from_db()
        self.assertEqual((unit.created_at, unit.updated_at), (MOMENT, later))
