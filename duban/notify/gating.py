"""When an external message may go out: inside the delivery window and outside quiet hours.

Issue 5: notices go out in working hours only — 09:00–18:00 on working days by default, as data
(models.DeliveryWindow) — and each person may add quiet hours (models.Preference). Working days
come from the calendar (workdays.calendars), so a holiday week and a 调休 Saturday count right.

Pure functions of the moment passed in (`at`): tests give the time, nothing is mocked.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.notify.models import DeliveryWindow, Preference
from duban.workdays.arrays import Calendar
from duban.workdays.calendars import calendar_for

# Each step moves forward to the next opening; a long holiday plus quiet hours takes a few dozen.
MAX_STEPS = 100


def calendar(window: DeliveryWindow) -> Calendar | None:
    return calendar_for(window.region) if window.workdays_only else None


def deliverable_at(
    at: dt.datetime,
    window: DeliveryWindow,
    preference: Preference | None = None,
    cal: Calendar | None = None,
) -> dt.datetime:
    """The first moment at or after `at` when a message to this person may be sent."""
    local = timezone.localtime(at)
    for _step in range(MAX_STEPS):
        moved = _out_of_quiet(_into_window(local, window, cal), preference)
        if moved == local:
            break
        local = moved
    return local


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _into_window(local: dt.datetime, window: DeliveryWindow, cal: Calendar | None) -> dt.datetime:
    day, time = local.date(), local.time()
    if cal is not None and not cal.is_workday(day):
        return _at(day + dt.timedelta(days=1), window.start)
    if window.start >= window.end:  # no daily window configured: any time of the day
        return local
    if time < window.start:
        return _at(day, window.start)
    if time >= window.end:
        return _at(day + dt.timedelta(days=1), window.start)
    return local


def _out_of_quiet(local: dt.datetime, preference: Preference | None) -> dt.datetime:
    if preference is None or preference.quiet_start is None or preference.quiet_end is None:
        return local
    start, end = preference.quiet_start, preference.quiet_end
    day, time = local.date(), local.time()
    if start < end:  # e.g. 12:00–14:00 on the same day
        return _at(day, end) if start <= time < end else local
    if start > end:  # across midnight, e.g. 22:00–07:00
        if time >= start:
            return _at(day + dt.timedelta(days=1), end)
        if time < end:
            return _at(day, end)
    return local
