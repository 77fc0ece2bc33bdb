"""Keeping the dashboards' snapshots warm (figure_cache.py), from the worker or the command line.

`refresh` counts again what changes have left behind among the snapshots people looked at in the
last week, before a view would have to; `prewarm` counts this year's figures for every scope of
someone who may open a dashboard, so the first view after a deployment or a night is quick too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from duban.audit.marks import head_seq
from duban.core import clock
from duban.core.progress import ProgressCallback, track
from duban.items.access import Scope, scope_of
from duban.ledgers.dashboards import Period, window_for
from duban.ledgers.figure_cache import (
    KEEP_UNVIEWED,
    count,
    scope_from,
    window_from,
)
from duban.ledgers.models import FigureSnapshot
from duban.org.access import roles_for
from duban.org.models import Membership, User


def refresh(*, bar: bool = False, callback: ProgressCallback | None = None) -> int:
    """Count again the stale snapshots viewed lately; drop those nobody views. Returns how many
    were counted."""
    now = clock.now()
    FigureSnapshot.objects.filter(viewed_at__lt=now - KEEP_UNVIEWED).delete()
    seq, today = head_seq(), clock.today()
    # Halfway to the age a view would no longer show, so a view finds it fresh.
    ripe = now - dt.timedelta(seconds=settings.DUBAN_FIGURES_MAX_AGE / 2)
    changed = Q(computed_at__lte=ripe) & ~Q(seq=seq)
    stale = FigureSnapshot.objects.filter(changed | ~Q(day=today)).order_by("-cost_ms")
    rows = list(stale.values_list("scope", "window"))
    label = _("刷新统计")
    counting = track(rows, total=len(rows), label=label, callback=callback, bar=bar, unit="个")
    for scope, window in counting:
        count(scope_from(scope), window_from(window), seq=seq)
    return len(rows)


def prewarm(*, bar: bool = False, callback: ProgressCallback | None = None) -> int:
    """Count this year's figures for every scope of a person who may open a dashboard."""
    window = window_for(Period.year(clock.today().year))
    scopes = sorted(set(_dashboard_scopes()), key=lambda scope: len(scope.handling_roots))
    seq = head_seq()
    counting = track(
        scopes, total=len(scopes), label=_("预先统计"), callback=callback, bar=bar, unit="个"
    )
    for scope in counting:
        count(scope, window, seq=seq)
    return len(scopes)


def _dashboard_scopes() -> Iterator[Scope]:
    roles = roles_for("dashboard", "view")
    holders = Membership.objects.active().filter(role__in=roles).values("user_id")
    people = User.objects.filter(pk__in=holders)
    for person in people.iterator():
        scope = scope_of(person, "view")
        if scope is not None:
            yield scope
