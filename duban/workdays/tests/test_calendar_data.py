"""The seeded national calendar, regional overlays, versions and the per-version cache."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.org.models import User
from duban.workdays import actions
from duban.workdays.calendars import calendar_for, clear_cache, region_by_code
from duban.workdays.deadline import DeadlineError, Kind, deadline
from duban.workdays.models import CalendarYear, DayOverride, Region, YearState
from duban.workdays.seed import national_days
from duban.workdays.tests.helpers import national

D = dt.date.fromisoformat


class CalendarDataTests(PersonaTestCase):
    def setUp(self) -> None:
        clear_cache()

    def test_migration_seeds_2004_to_2026_from_chinesecalendar(self) -> None:
        rows = DayOverride.objects.filter(region__code="CN")
        self.assertEqual(rows.count(), len(national_days()))
        may9 = rows.get(date=D("2026-05-09"))
        self.assertTrue(may9.is_workday)
        self.assertEqual(may9.name, "劳动节调休上班")
        self.assertEqual(rows.get(date=D("2026-05-03")).name, "劳动节")
        years = CalendarYear.objects.filter(region__code="CN", state=YearState.OFFICIAL)
        self.assertEqual(sorted(years.values_list("year", flat=True)), list(range(2004, 2027)))

    def test_database_calendar_equals_the_package(self) -> None:
        cal = calendar_for("CN")
        self.assertEqual(cal.version, 1)
        self.assertEqual(list(cal.workdays), list(national().workdays))
        self.assertIs(calendar_for("cn"), cal)  # cached per (region, version)

    def test_unknown_region_names_the_field(self) -> None:
        with self.assertRaises(DeadlineError) as error:
            region_by_code("ZZ")
        self.assertEqual(error.exception.field, "region")

    def test_reloading_unchanged_data_makes_no_version(self) -> None:
        self.assertIsNone(actions.load_national(actor=self.admin))

    def test_reload_restores_data_as_a_new_audited_version(self) -> None:
        DayOverride.objects.filter(date=D("2026-05-09")).delete()
        version = actions.load_national(actor=self.admin, first=2026, last=2026)
        assert version is not None
        self.assertEqual(version.number, 2)
        event = Event.objects.get(type=EventType.CALENDAR_LOADED)
        self.assertEqual(event.details["changed"], ["2026-05-09"])
        cal = calendar_for("CN")
        self.assertEqual(cal.version, 2)
        self.assertTrue(cal.is_workday(D("2026-05-09")))

    def test_only_administrators_change_calendars(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.load_national(actor=self.refreshed(self.office_head))

    def test_region_overlays_the_national_calendar(self) -> None:
        xj = Region.objects.get(code="XJ")
        start = D("2026-03-18")
        self.assertTrue(deadline(calendar_for("XJ"), start, Kind.WORKING_DAYS, 1).provisional)
        with transaction.atomic():
            version = actions.new_version(actor=None, note="新疆 2026")
            DayOverride.objects.create(
                region=xj, date=D("2026-03-20"), is_workday=False, name="肉孜节", version=version
            )
            CalendarYear.objects.create(
                region=xj, year=2026, state=YearState.OFFICIAL, version=version
            )
        result = deadline(calendar_for("XJ"), start, Kind.WORKING_DAYS, 2)
        self.assertEqual((result.due, result.provisional), (D("2026-03-23"), False))
        self.assertIn("3月20日肉孜节", result.explanation)
        self.assertEqual(
            deadline(calendar_for("CN"), start, Kind.WORKING_DAYS, 2).due, D("2026-03-20")
        )


class AdminTests(PersonaTestCase):
    def test_calendar_data_is_read_only_in_the_admin(self) -> None:
        root = User.objects.create_superuser("root", password="x-Very-long-9")
        client = self.client_for(root)
        for model in ("region", "calendarversion", "dayoverride", "calendaryear", "deadlinerule"):
            self.assertEqual(client.get(f"/admin/workdays/{model}/").status_code, 200, model)
        self.assertEqual(client.get("/admin/workdays/dayoverride/add/").status_code, 403)
