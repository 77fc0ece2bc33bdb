"""The only code that changes calendar data; each change is one version and one audit event.

`actor=None` is the system itself (command line, migrations' follow-up loads).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.org.access import require
from duban.org.validation import check_required, fail
from duban.workdays.models import (
    NATIONAL,
    CalendarVersion,
    CalendarYear,
    DayOverride,
    DeadlineKind,
    DeadlineRule,
    Region,
    YearState,
)
from duban.workdays.seed import FIRST_YEAR, LAST_YEAR, SOURCE, SeedDay, national_days


def new_version(*, actor: Any, note: str) -> CalendarVersion:
    """The next version number; the caller's transaction makes it and its rows one change.

    Locking the latest row queues a second writer behind the first; should both still pick the
    same number, the unique constraint refuses the later one rather than merging two changes.
    """
    latest = (
        CalendarVersion.objects.select_for_update()
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    ) or 0
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


# Deadline rules (seed 004 第十六条) -----------------------------------------------------------

RULE_FIELDS = ("name", "kind", "count", "max_extension", "article", "basis", "active", "sort_order")


def _clean_rule(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not a rule field: {sorted(unknown)}")
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = check_required(cleaned["name"], "name", _("规则名称"), 50)
    if "kind" in cleaned and cleaned["kind"] not in DeadlineKind.values:
        raise fail("kind", _("计算方式须为工作日、日、月或每季度报送之一。"))
    if "count" in cleaned and not 1 <= int(cleaned["count"]) <= 1000:
        raise fail("count", _("期限须为 1 至 1000 之间的整数。"))
    cap = cleaned.get("max_extension")
    if cap is not None and not 0 <= int(cap) <= 1000:
        raise fail("max_extension", _("延期总上限须为 0 至 1000 之间的整数,或留空。"))
    return cleaned


@transaction.atomic
def create_rule(*, actor: Any, name: str, kind: str, count: int, **fields: Any) -> DeadlineRule:
    require(actor, "deadline_rule", "manage")
    cleaned = _clean_rule({"name": name, "kind": kind, "count": count, **fields})
    if DeadlineRule.objects.filter(name=cleaned["name"]).exists():
        raise fail("name", _("期限规则「%(name)s」已存在。") % {"name": cleaned["name"]})
    rule = DeadlineRule.objects.create(**cleaned)
    record(
        EventType.DEADLINE_RULE_CREATED,
        actor=actor,
        target=rule,
        details={k: v for k, v in cleaned.items() if k != "basis"},
    )
    return rule


@transaction.atomic
def update_rule(rule: DeadlineRule, *, actor: Any, **changes: Any) -> DeadlineRule:
    require(actor, "deadline_rule", "manage")
    cleaned = _clean_rule(changes)
    name = cleaned.get("name", rule.name)
    if DeadlineRule.objects.filter(name=name).exclude(pk=rule.pk).exists():
        raise fail("name", _("期限规则「%(name)s」已存在。") % {"name": name})
    diff = {k: [getattr(rule, k), v] for k, v in cleaned.items() if getattr(rule, k) != v}
    if diff:
        for field, (_old, new) in diff.items():
            setattr(rule, field, new)
        rule.save(update_fields=[*diff, "updated_at"])
        record(EventType.DEADLINE_RULE_UPDATED, actor=actor, target=rule, details=diff)
    return rule
