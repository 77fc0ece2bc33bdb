"""工作台 warns administrators from 1 November while next year is still 暂定."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from duban.core.testing import PersonaTestCase
from duban.org.models import User
from duban.workdays.workbench import needs_warning

D = dt.date.fromisoformat


def test_warns_from_1_november_until_the_year_is_loaded() -> None:
    assert not needs_warning(D("2026-10-31"), next_year_official=False)
    assert needs_warning(D("2026-11-01"), next_year_official=False)
    assert needs_warning(D("2026-12-31"), next_year_official=False)
    assert not needs_warning(D("2026-11-15"), next_year_official=True)


class WorkbenchPanelTests(PersonaTestCase):
    def page(self, user: User, today: str) -> str:
        with mock.patch("duban.workdays.workbench._today", return_value=D(today)):
            return self.client_for(user).get("/").content.decode()

    def test_administrator_sees_the_warning_in_november(self) -> None:
        page = self.page(self.admin, "2026-11-02")
        self.assertIn("2027年放假安排尚未载入", page)
        self.assertIn('href="/calendar/load/"', page)

    def test_no_warning_before_november_or_for_other_roles(self) -> None:
        self.assertNotIn("放假安排尚未载入", self.page(self.admin, "2026-10-30"))
        self.assertNotIn("放假安排尚未载入", self.page(self.lead_liaison, "2026-11-02"))

    def test_no_warning_once_next_year_is_official(self) -> None:
        self.assertNotIn("放假安排尚未载入", self.page(self.admin, "2025-11-02"))
