"""Reading calendars from the database, cached per (region, calendar version).

`calendar_for` costs one small query (the current version number) when the cache is warm; the
arrays are rebuilt only when an action has created a new version, in this process or another.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils.translation import gettext as _

from duban.workdays.arrays import Calendar, DeadlineError, build_calendar
from duban.workdays.models import (
    NATIONAL,
    CalendarVersion,
    CalendarYear,
    DayOverride,
    Region,
    YearState,
)
from duban.workdays.seed import SeedDay

# Keyed by region, version number and its creation time: a version created inside a transaction
# that then rolls back may reuse its number later, and must not bring back its cached arrays.
Key = tuple[str, int, dt.datetime | None]
_CACHE: dict[Key, Calendar] = {}


def current_version() -> int:
    return CalendarVersion.objects.aggregate(n=Max("number"))["n"] or 0


def _latest() -> tuple[int, dt.datetime | None]:
    row = CalendarVersion.objects.order_by("-number").values_list("number", "created_at").first()
    return row if row else (0, None)


def region_by_code(code: str) -> Region:
    try:
        return Region.objects.get(code=code.strip().upper())
    except Region.DoesNotExist:
        codes = "、".join(Region.objects.values_list("code", flat=True))
        raise DeadlineError(
            "region",
            _("地区代码 %(code)s 不存在,可用:%(codes)s。") % {"code": code, "codes": codes},
        ) from None


def calendar_for(code: str = NATIONAL) -> Calendar:
    # No transaction: on SQLite (BEGIN IMMEDIATE) it would take the write lock for a read. A
    # version committed between the two reads is only cached under the older key, and the next
    # call sees the newer version and rebuilds.
    number, created_at = _latest()
    key = (code.strip().upper(), number, created_at)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _build(region_by_code(key[0]), number)
        _forget_older(key)
        _CACHE[key] = cached
    return cached


def _forget_older(key: Key) -> None:
    for old in [k for k in _CACHE if k[0] == key[0]]:
        del _CACHE[old]


def clear_cache() -> None:
    _CACHE.clear()


def _days(region: Region) -> list[SeedDay]:
    """National days, then the region's own days, which win on the same date (overlay)."""
    regions = [NATIONAL] if region.is_national else [NATIONAL, region.code]
    rows = DayOverride.objects.filter(region__code__in=regions).values_list(
        "region__code", "date", "is_workday", "name"
    )
    ordered = sorted(rows, key=lambda row: row[0] != NATIONAL)
    return [SeedDay(day, is_workday, name) for _code, day, is_workday, name in ordered]


def _official_years(region: Region) -> set[int]:
    """A regional year is official only when both the national and the regional data are."""
    official = CalendarYear.objects.filter(state=YearState.OFFICIAL)
    years = set(official.filter(region__code=NATIONAL).values_list("year", flat=True))
    if not region.is_national:
        years &= set(official.filter(region=region).values_list("year", flat=True))
    return years


def _build(region: Region, version: int) -> Calendar:
    return build_calendar(region.code, version, _days(region), _official_years(region))
