"""Working-hours gating: 09:00–18:00 on working days (data), a holiday week, a 调休 Saturday,
and a person's quiet hours. Times are passed in; nothing is mocked."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from duban.notify import actions, gating
from duban.notify.models import DeliveryWindow, Outbox, Preference
from duban.notify.tests.base import NotifyTestCase, at


class GatingTests(NotifyTestCase):
    def when(self, moment: dt.datetime, preference: Preference | None = None) -> dt.datetime:
        window = DeliveryWindow.current()
        return gating.deliverable_at(moment, window, preference, gating.calendar(window))

    def test_inside_working_hours_goes_at_once(self) -> None:
        self.assertEqual(self.when(at(2025, 9, 30, 10, 0)), at(2025, 9, 30, 10, 0))

    def test_before_and_after_hours(self) -> None:
        self.assertEqual(self.when(at(2025, 9, 29, 7, 30)), at(2025, 9, 29, 9, 0))
        self.assertEqual(self.when(at(2025, 9, 29, 18, 0)), at(2025, 9, 30, 9, 0))

    def test_national_day_week_waits_for_the_first_working_day(self) -> None:
        # 2025: 10月1日至8日放假 (国务院办公厅通知); the evening before waits until 9 October.
        self.assertEqual(self.when(at(2025, 9, 30, 18, 30)), at(2025, 10, 9, 9, 0))
        self.assertEqual(self.when(at(2025, 10, 3, 11, 0)), at(2025, 10, 9, 9, 0))

    def test_adjusted_weekend_working_days_count(self) -> None:
        # 9月28日(星期日)、10月11日(星期六)上班.
        self.assertEqual(self.when(at(2025, 9, 27, 10, 0)), at(2025, 9, 28, 9, 0))
        self.assertEqual(self.when(at(2025, 10, 10, 19, 0)), at(2025, 10, 11, 9, 0))
        self.assertEqual(self.when(at(2025, 10, 11, 18, 5)), at(2025, 10, 13, 9, 0))

    def test_window_is_data(self) -> None:
        DeliveryWindow.objects.filter(pk=1).update(
            start=dt.time(8, 30), end=dt.time(17, 30), workdays_only=False
        )
        self.assertEqual(self.when(at(2025, 10, 3, 8, 0)), at(2025, 10, 3, 8, 30))
        self.assertEqual(self.when(at(2025, 10, 3, 17, 45)), at(2025, 10, 4, 8, 30))

    def test_quiet_hours_same_day_and_across_midnight(self) -> None:
        lunch = Preference(user=self.lead_liaison, quiet_start=dt.time(12), quiet_end=dt.time(14))
        self.assertEqual(self.when(at(2025, 9, 30, 12, 30), lunch), at(2025, 9, 30, 14, 0))
        self.assertEqual(self.when(at(2025, 9, 30, 11, 59), lunch), at(2025, 9, 30, 11, 59))
        evening = Preference(
            user=self.lead_liaison, quiet_start=dt.time(17), quiet_end=dt.time(9, 30)
        )
        self.assertEqual(self.when(at(2025, 9, 29, 17, 15), evening), at(2025, 9, 30, 9, 30))
        # Quiet until 09:30 after a holiday: the window opens at 09:00, the person at 09:30.
        self.assertEqual(self.when(at(2025, 9, 30, 17, 15), evening), at(2025, 10, 9, 9, 30))

    def test_notify_holds_external_messages_not_the_inbox(self) -> None:
        with transaction.atomic():
            actions.notify(
                [self.lead_liaison], kind="t", title="夜间交办", body="", now=at(2025, 9, 30, 22, 0)
            )
        self.assertEqual(self.lead_liaison.notifications.count(), 1)
        times = set(Outbox.objects.values_list("next_attempt_at", flat=True))
        self.assertEqual(times, {at(2025, 10, 9, 9, 0)})
