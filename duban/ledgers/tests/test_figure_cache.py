"""The dashboards' kept counts (ledgers/figure_cache.py): a scope that was costly to count is read
from its snapshot, exactly while nothing changed, labelled while changes wait, and counted again
after; 涉密 and named items stay out of what colleagues share; the worker keeps them warm."""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import redirect_stderr
from html import unescape
from typing import Any

from django.core.management import call_command
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from duban.items.models import Confidentiality, Item
from duban.ledgers.dashboard_sql import Figures
from duban.ledgers.dashboards import Dashboard, Period, build, window_for
from duban.ledgers.figure_cache import merge
from duban.ledgers.figure_refresh import prewarm, refresh
from duban.ledgers.models import FigureSnapshot
from duban.ledgers.tests.dash_fixtures import PAST, DashboardTestCase
from duban.org.models import User

ALL = Period(None, None)
URL = "/ledgers/dashboard/"
# Every count is "costly": the scope gets a snapshot, as a province's does.
COSTLY = override_settings(DUBAN_FIGURES_EXPENSIVE_MS=0, DUBAN_FIGURES_MAX_AGE=900)


def numbers(board: Dashboard) -> dict[str, Any]:
    return {
        "total": board.total.count,
        "states": {bar.key: bar.cell.count for bar in board.states},
        "lights": {bar.key: bar.cell.count for bar in board.lights},
        "units": [(r.label, r.total.count, r.on_time.count) for r in board.by_unit],
        "returns": [(r.name, r.returns, r.extensions, r.requests) for r in board.returns],
        "trend": [(m.month, m.created.count, m.completed.count) for m in board.trend],
        "load": [(u.name, u.open_items.count, u.per_month) for u in board.load],
        "overdue": [item.pk for item in board.overdue_items],
    }


class FigureCacheTest(DashboardTestCase):
    def setUp(self) -> None:
        self.build_city()

    def board(self, user: User, period: Period = ALL) -> Dashboard:
        return build(self.refreshed(user), period)

    def test_a_cheap_scope_is_counted_every_time_and_kept_nowhere(self) -> None:
        self.board(self.office)
        self.assertFalse(FigureSnapshot.objects.exists())

    @COSTLY
    def test_a_costly_scope_is_kept_and_read_back_unchanged(self) -> None:
        with override_settings(DUBAN_FIGURES_EXPENSIVE_MS=10**9):
            live = numbers(self.board(self.office))
        first = self.board(self.office)  # counted live; the worker keeps the shared part
        self.assertEqual(FigureSnapshot.objects.count(), 1)
        second = self.board(self.office)  # from the snapshot
        self.assertEqual((numbers(first), numbers(second)), (live, live))
        self.assertIsNone(second.as_of)
        # A colleague with the same scope shares it.
        self.assertEqual(numbers(self.board(self.office_head)), live)
        self.assertEqual(FigureSnapshot.objects.count(), 1)

    @COSTLY
    def test_the_snapshot_is_what_a_view_reads_while_nothing_changed(self) -> None:
        self.board(self.office)
        snapshot = FigureSnapshot.objects.get()
        rows = snapshot.figures["lights"]
        # Any figure the page shows comes from here: double every count of the kept rows.
        snapshot.figures["lights"] = [[*row[:2], row[2] * 2] for row in rows]
        snapshot.save()
        self.assertEqual(self.board(self.office).total.count, 2 * sum(r[2] for r in rows))

    @COSTLY
    def test_after_a_change_the_count_is_labelled_until_it_is_counted_again(self) -> None:
        before = self.board(self.office).total.count
        kept = FigureSnapshot.objects.get()
        self.draft(title="新登记的事项")  # an action: its event moves the log's head
        stale = self.board(self.office)
        self.assertEqual(stale.total.count, before)
        self.assertEqual(stale.as_of, kept.computed_at)
        html = self.client_for(self.office).get(URL, {"year": "all"}).content.decode()
        self.assertIn('id="dash-as-of"', html)
        with override_settings(DUBAN_FIGURES_MAX_AGE=0):
            fresh = self.board(self.office)
        self.assertEqual((fresh.total.count, fresh.as_of), (before + 1, None))
        self.assertGreater(FigureSnapshot.objects.get().seq, kept.seq)
        html = self.client_for(self.office).get(URL, {"year": "all"}).content.decode()
        self.assertNotIn('id="dash-as-of"', html)

    @COSTLY
    def test_a_person_may_ask_for_a_count_now(self) -> None:
        before = self.board(self.office).total.count
        self.draft(title="新登记的事项")
        client = self.client_for(self.office)
        html = client.get(URL, {"year": "all"}).content.decode()
        link = re.search(r'id="dash-fresh"[^>]*href="\?([^"]+)"', html)
        assert link is not None, html
        self.assertEqual(QueryDict(unescape(link.group(1))).dict(), {"year": "all", "fresh": "1"})
        html = client.get(URL, {"year": "all", "fresh": "1"}).content.decode()
        self.assertNotIn('id="dash-as-of"', html)
        self.assertEqual(self.board(self.office).total.count, before + 1)
        # The tabs do not carry the request on: switching tabs reads the kept count.
        self.assertNotIn("fresh=1", html.split('id="dash-tabs"', 1)[1].split("</ul>", 1)[0])

    @COSTLY
    def test_a_new_day_counts_again(self) -> None:
        self.board(self.office)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        FigureSnapshot.objects.update(day=yesterday, figures={})
        self.assertEqual(self.board(self.office).total.count, 18 + 2)
        self.assertEqual(FigureSnapshot.objects.get().day, timezone.localdate())

    @COSTLY
    def test_secret_and_named_items_stay_personal(self) -> None:
        shared = self.board(self.office_head).total.count
        secret = self.draft(title="涉密事项", confidentiality=Confidentiality.SECRET)
        self.assertEqual(secret.created_by_id, self.office.pk)
        mine = self.board(self.office)
        self.assertEqual(mine.total.count, shared + 1)
        # The colleague's count is exact again (the draft logged an event) and still without it.
        with override_settings(DUBAN_FIGURES_MAX_AGE=0):
            theirs = self.board(self.office_head)
        self.assertEqual(theirs.total.count, shared)
        snapshot = FigureSnapshot.objects.get()
        kept = sum(row[2] for row in snapshot.figures["lights"])
        self.assertEqual(kept, shared)
        # Named on it, the colleague counts it too.
        secret.named_people.add(self.office_head)
        self.assertEqual(self.board(self.office_head).total.count, shared + 1)

    @COSTLY
    def test_the_overdue_list_adds_personal_items_to_the_kept_ones(self) -> None:
        shared = numbers(self.board(self.office_head))["overdue"]
        self.assertEqual(shared, [self.red.pk])
        secret = self.draft(title="涉密事项", confidentiality=Confidentiality.SECRET)
        Item.objects.filter(pk=secret.pk).update(due_date=PAST - dt.timedelta(days=1))
        self.assertEqual(numbers(self.board(self.office))["overdue"], [secret.pk, self.red.pk])
        with override_settings(DUBAN_FIGURES_MAX_AGE=0):
            self.assertEqual(numbers(self.board(self.office_head))["overdue"], shared)

    @COSTLY
    def test_a_narrow_person_reaches_items_by_name_beyond_the_kept_scope(self) -> None:
        district = self.board(self.district_office).total.count
        item = Item.objects.filter(confidentiality=Confidentiality.INTERNAL).first()
        assert item is not None
        item.named_people.add(self.district_office)
        self.assertEqual(self.board(self.district_office).total.count, district + 1)


class FigureRefreshTest(DashboardTestCase):
    def setUp(self) -> None:
        self.build_city()

    @COSTLY
    def test_the_worker_counts_again_what_people_look_at_and_drops_the_rest(self) -> None:
        build(self.office, ALL)
        build(self.district_office, ALL)
        office, district = FigureSnapshot.objects.order_by("pk")
        self.draft(title="新登记的事项")
        long_ago = timezone.now() - dt.timedelta(hours=1)
        FigureSnapshot.objects.filter(pk=office.pk).update(computed_at=long_ago)
        unviewed = timezone.now() - dt.timedelta(days=8)
        FigureSnapshot.objects.filter(pk=district.pk).update(viewed_at=unviewed)
        self.assertEqual(refresh(), 1)
        counted = FigureSnapshot.objects.get()
        self.assertEqual(counted.pk, office.pk)
        self.assertGreater(counted.seq, office.seq)
        self.assertEqual(sum(row[2] for row in counted.figures["lights"]), 18 + 2 + 1)
        self.assertEqual(refresh(), 0)  # nothing changed since

    @COSTLY
    def test_prewarm_counts_this_year_for_every_dashboard_scope(self) -> None:
        self.assertEqual(prewarm(), 2)  # the city's people share one scope; the district's
        build(self.refreshed(self.leader), Period.year(timezone.localdate().year))
        self.assertEqual(FigureSnapshot.objects.count(), 2)

    @COSTLY
    def test_the_command_shows_its_progress(self) -> None:
        err = io.StringIO()
        with redirect_stderr(err):
            call_command("refresh_figures", "--prewarm", stdout=io.StringIO())
        self.assertIn("预先统计", err.getvalue())
        self.assertEqual(FigureSnapshot.objects.count(), 2)


class MergeTest(DashboardTestCase):
    def test_rows_of_the_same_keys_add_up(self) -> None:
        window = window_for(ALL)
        shared, personal = Figures(list), Figures(list)
        shared["lights"] = [("in_progress", "red", 3), ("completed", "", 2)]
        personal["lights"] = [("in_progress", "red", 1), ("draft", "", 1)]
        shared["units"] = [(7, "市发改委", 1, 2, 0, 0, 4, 1, 2, 1)]
        personal["units"] = [(7, "市发改委", 1, 1, 1, 3, 1, 0, 0, 1)]
        merged = merge(window, shared, personal)
        self.assertEqual(
            sorted(merged["lights"]),
            [("completed", "", 2), ("draft", "", 1), ("in_progress", "red", 4)],
        )
        self.assertEqual(merged["units"], [(7, "市发改委", 2, 3, 1, 3, 5, 1, 2, 2)])
