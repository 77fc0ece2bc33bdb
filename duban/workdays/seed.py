"""The national arrangement as shipped by `chinesecalendar`, and the provisional fallback.

Plain data only (no models), so the data migration, the `load-calendar` action and the tests all
read the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

FIRST_YEAR = 2004
LAST_YEAR = 2026
SOURCE = f"chinesecalendar {chinese_calendar.__version__}(国务院办公厅历年部分节假日安排的通知)"

# chinesecalendar names holidays in English; its Holiday enum carries the Chinese name too.
CHINESE_NAMES: dict[str, str] = {h.value: h.chinese for h in chinese_calendar.Holiday}
CHINESE_NAMES[chinese_calendar.Holiday.anti_fascist_70th_day.value] = "抗战胜利70周年纪念日"


@dataclass(frozen=True)
class SeedDay:
    date: dt.date
    is_workday: bool
    name: str


def national_days(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[SeedDay]:
    """Holidays (weekend days inside a run included) and 调休 working days, sorted by date."""
    days = [
        SeedDay(day, False, CHINESE_NAMES.get(name, name))
        for day, name in chinese_calendar.holidays.items()
        if first <= day.year <= last
    ]
    days += [
        SeedDay(day, True, _swap_name(CHINESE_NAMES.get(name, name)))
        for day, name in chinese_calendar.workdays.items()
        if first <= day.year <= last
    ]
    return sorted(days, key=lambda day: day.date)


def _swap_name(holiday: str) -> str:
    return f"{holiday}调休上班"


def provisional_days(year: int) -> list[SeedDay]:
    """Fixed-date statutory holidays of a year without an official arrangement.

    《全国年节及纪念日放假办法》第二条: 元旦 1月1日, 劳动节 5月1日 (and 5月2日 from 2025, after
    the 2024 revision), 国庆节 10月1日至3日. 春节、清明、端午、中秋 follow the lunar calendar or
    solar terms and are left out: the year is marked 暂定 until the State Council notice is loaded.
    """
    fixed = [
        (1, 1, "元旦"),
        (5, 1, "劳动节"),
        (10, 1, "国庆节"),
        (10, 2, "国庆节"),
        (10, 3, "国庆节"),
    ]
    if year >= 2025:
        fixed.append((5, 2, "劳动节"))
    days = [SeedDay(dt.date(year, month, day), False, name) for month, day, name in fixed]
    return sorted(days, key=lambda day: day.date)
