"""The only code that changes calendar data; each change is one version and one audit event.

`actor=None` is the system itself (command line, migrations' follow-up loads).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.org.access import require
from duban.workdays.models import (
    NATIONAL,
    CalendarVersion,
    CalendarYear,
    DayOverride,
    Region,
    YearState,
)
from duban.workdays.seed import FIRST_YEAR, LAST_YEAR, SOURCE, SeedDay, national_days


def new_version(*, actor: Any, note: str) -> CalendarVersion:
    """The next version number; the caller's transaction makes it and its rows one change."""
    latest = CalendarVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
    return CalendarVersion.objects.create(number=latest + 1, actor=actor, note=note[:200])


def _state(region: Region, first: int, last: int) -> dict[str, tuple[bool, str]]:
    rows = DayOverride.objects.filter(region=region, date__year__gte=first, date__year__lte=last)
    return {row.date.isoformat(): (row.is_workday, row.name) for row in rows}


def _replace_days(region: Region, days: list[SeedDay], first: int, last: int, **stamp: Any) -> None:
    """Set-based: one DELETE and one bulk INSERT for the whole range of years."""
    DayOverride.objects.filter(region=region, date__year__gte=first, date__year__lte=last).delete()
    DayOverride.objects.bulk_create(
        [
            DayOverride(region=region, date=d.date, is_workday=d.is_workday, name=d.name, **stamp)
            for d in days
        ]
    )


def _mark_official(region: Region, years: range, source: str, version: CalendarVersion) -> None:
    CalendarYear.objects.filter(region=region, year__in=years).delete()
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(
                region=region, year=y, state=YearState.OFFICIAL, source=source, version=version
            )
            for y in years
        ]
    )


@transaction.atomic
def load_national(
    *, actor: Any, first: int = FIRST_YEAR, last: int = LAST_YEAR
) -> CalendarVersion | None:
    """Reload the national years from the installed chinesecalendar; None when nothing changed."""
    require(actor, "calendar", "manage")
    region = Region.objects.get(code=NATIONAL)
    days = national_days(first, last)
    before = _state(region, first, last)
    after = {d.date.isoformat(): (d.is_workday, d.name) for d in days}
    years = range(first, last + 1)
    official = set(
        CalendarYear.objects.filter(
            region=region, year__in=years, state=YearState.OFFICIAL
        ).values_list("year", flat=True)
    )
    if before == after and official == set(years):
        return None
    version = new_version(actor=actor, note=_("载入 %(source)s") % {"source": SOURCE})
    _replace_days(region, days, first, last, source=SOURCE, entered_by=actor, version=version)
    _mark_official(region, years, SOURCE, version)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    record(
        EventType.CALENDAR_LOADED,
        actor=actor,
        target=version,
        details={"region": NATIONAL, "years": [first, last], "changed": changed[:200]},
    )
    return version
