"""The worker's periodic sweeps (issue 5 item 2; shared/DESIGN.md Worker and 「Warnings」).

Each sweep is a function of the moment `now` (tests pass it; nothing reads a clock) that runs a
constant number of SQL statements, whatever the number of items: UPDATE ... WHERE and
INSERT ... SELECT over indexed columns with partial indexes on open states — never a loop over
items in Python. The registry `SWEEPS` holds them by name; other apps add theirs with
`register_sweep` (duban/assessment's escalation), and `run` runs them, each in its own
transaction, counting its statements (`duban sweep`, the Huey task in items/tasks.py).

- lights: keeps `Item.light` current, reading only the items whose `next_check_at` has come.
- deadlines, reports, extensions, follow_ups, calendar: reminders by ReminderRule rows (data).
  A reminder is recorded as a SentReminder row, unique per (item, rule, anchor, period); a sweep
  inserts with ON CONFLICT DO NOTHING under a fresh `run` token and notifies only the rows that
  carry its token, i.e. the rows it inserted. That is the same on PostgreSQL and SQLite, costs no
  round trip of ids (RETURNING would bring every id to Python and send it back), and two sweeps
  running at once cannot both insert a row: a reminder goes out once, by a unique constraint.
  Reminders are told per person: someone with several of a rule's new reminders in a run gets
  ONE notice (how many, a link to the filtered 台账, no titles,
  so no 涉密 title either), deduplicated per person, rule and day; someone with one gets the usual
  per-item notice. One grouped INSERT ... SELECT (GROUP BY the recipient, COUNT), not a loop.

Working hours: the reminder sweeps act only inside the delivery window (notify's DeliveryWindow
row: 09:00–18:00 on working days by default, data) and do nothing outside it; their next run
inside the window catches up, because each rule selects everything that is due by then, not
only what falls due on that day. The outbox is gated too (people's quiet hours). The lights
sweep runs at any hour: it tells nobody anything.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import time
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.marks import Mark, head_seq, last_mark, mark_key, save_mark, since_mark
from duban.core import clock
from duban.core.setsql import insert_select
from duban.items import lights
from duban.items.models import (
    OPEN_STATES,
    Confidentiality,
    ExtensionState,
    Item,
    ItemState,
    Outcome,
    ReminderKind,
    ReminderRecipient,
    ReminderRule,
    SentReminder,
)
from duban.items.reminding import REMINDABLE
from duban.notify import gating
from duban.notify.actions import notify_rows
from duban.notify.models import DeliveryWindow
from duban.org.models import Membership, Role, User
from duban.workdays.arrays import Calendar
from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import nth_working_day

# A green item is looked at again on the day it may turn yellow, at most this many days ahead.
LIGHT_HORIZON_DAYS = 31

K = ReminderKind


@dataclass
class SweepResult:
    name: str
    changed: int = 0  # rows written: lights changed, reminders recorded
    notified: int = 0  # inbox rows written
    skipped: str = ""  # why the sweep did nothing, e.g. outside working hours
    statements: int = 0  # SQL statements, counted by `run`
    seconds: float = 0.0


Sweep = Callable[[dt.datetime], SweepResult]
SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str) -> Callable[[Sweep], Sweep]:
    """Add a sweep under `name` (a decorator); registering a name again replaces it."""

    def add(sweep: Sweep) -> Sweep:
        SWEEPS[name] = sweep
        return sweep

    return add


def run(
    now: dt.datetime | None = None,
    *,
    only: list[str] | None = None,
    on_done: Callable[[SweepResult], None] | None = None,
) -> list[SweepResult]:
    """Run the registered sweeps (or those named), each in its own transaction."""
    now = now or clock.now()
    unknown = sorted(set(only or ()) - set(SWEEPS))
    if unknown:
        raise KeyError(", ".join(unknown))
    results = []
    for name, sweep in list(SWEEPS.items()):
        if only and name not in only:
            continue
        result = _timed(sweep, now)
        results.append(result)
        if on_done is not None:
            on_done(result)
    return results


def _timed(sweep: Sweep, now: dt.datetime) -> SweepResult:
    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    began = time.perf_counter()
    # The wrapper inside the transaction: its own BEGIN/SAVEPOINT and COMMIT are not the sweep's.
    with transaction.atomic(), connection.execute_wrapper(counter):
        result = sweep(now)
    result.statements = count
    result.seconds = time.perf_counter() - began
    return result


# Working days ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """Working-day arithmetic around one day, by bisecting the calendar's arrays."""

    cal: Calendar
    today: dt.date

    @property
    def _last(self) -> int:
        # Index of the last working day on or before today.
        return bisect_right(self.cal.workdays, self.today.toordinal()) - 1

    def late_by_at_least(self, n: int) -> dt.date:
        """The earliest date D with fewer than n working days in (D, today]: D is late by ≥ n
        working days exactly when D is before it."""
        i = self._last - n + 1
        return dt.date.fromordinal(self.cal.workdays[i]) if i >= 0 else dt.date.min

    def late_by(self, day: dt.date) -> int:
        """Working days in (day, today]."""
        return self._last + 1 - bisect_right(self.cal.workdays, day.toordinal())

    def previous(self) -> dt.date:
        """The working day before today."""
        i = bisect_left(self.cal.workdays, self.today.toordinal()) - 1
        return dt.date.fromordinal(self.cal.workdays[i]) if i >= 0 else dt.date.min

    def ahead(self, n: int) -> dt.date:
        """The n-th working day after today."""
        return nth_working_day(self.cal, self.today, n) if n > 0 else self.today


# Lights ---------------------------------------------------------------------------------------


@register_sweep("lights")
def sweep_lights(now: dt.datetime) -> SweepResult:
    """One UPDATE of the items whose check day has come: their light and their next check day.

    Red, closed and undated items need no check until an action changes them (actions._claim
    sets CHECK_AT_ONCE); a yellow item is checked the day after its due date, when it turns red;
    a green one on the first day its yellow cutoff reaches its due date, or in
    LIGHT_HORIZON_DAYS days, whichever is first (rule edits reach it by then at the latest)."""
    today = timezone.localdate(now)
    default, by_source = lights.cutoffs(today)
    red = Q(state__in=OPEN_STATES, due_date__lt=today)
    yellow = lights._yellow_q(today, default, by_source)
    light = Case(
        When(~Q(state__in=OPEN_STATES), then=Value("")),
        When(due_date__isnull=True, then=Value("green")),
        When(red, then=Value("red")),
        When(yellow, then=Value("yellow")),
        default=Value("green"),
    )
    latest = max([default, *by_source.values()])
    next_check = Case(
        When(~Q(state__in=OPEN_STATES) | Q(due_date__isnull=True) | red, then=Value(None)),
        *_turning_red(today, latest, yellow),
        *_turning_yellow(today, by_source),
        default=Value(today + dt.timedelta(days=LIGHT_HORIZON_DAYS)),
        output_field=DateField(),
    )
    changed = Item.objects.filter(next_check_at__lte=today).update(
        swept_light=light, next_check_at=next_check
    )
    return SweepResult("lights", changed=changed)


def _turning_red(today: dt.date, latest: dt.date, yellow: Q) -> list[When]:
    """A yellow item due on day d turns red on d + 1."""
    days = (latest - today).days + 1
    return [
        When(yellow & Q(due_date=day), then=Value(day + dt.timedelta(days=1)))
        for day in (today + dt.timedelta(days=i) for i in range(max(days, 0)))
    ]


def _turning_yellow(today: dt.date, by_source: dict[str, dt.date]) -> list[When]:
    """A green item turns yellow on the first day whose cutoff reaches its due date."""
    rows = dict(lights.LightRule.objects.values_list("source", "yellow_within"))
    default_within = rows.pop("", lights.DEFAULT_YELLOW_WITHIN)
    own = list(by_source)
    cal = calendar_for()
    branches = []
    for source, within in [("", default_within), *rows.items()]:
        which = Q(source=source) if source else ~Q(source__in=own)
        last = None
        for i in range(1, LIGHT_HORIZON_DAYS + 1):
            day = today + dt.timedelta(days=i)
            # lights._cutoff, with the calendar read once
            cutoff = nth_working_day(cal, day, within) if within > 0 else day - dt.timedelta(1)
            if cutoff != last:  # cutoffs only move on working days: one branch per move
                branches.append(When(which & Q(due_date__lte=cutoff), then=Value(day)))
                last = cutoff
    return branches


def recheck_lights() -> int:
    """Look at every open item's light at the next sweep (after a rule or calendar edit)."""
    from duban.items.models import CHECK_AT_ONCE

    return Item.objects.open().update(next_check_at=CHECK_AT_ONCE)


# Reminders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    now: dt.datetime
    days: Days
    run: str


def in_window(now: dt.datetime) -> bool:
    """Inside the delivery window (DeliveryWindow row: working hours on working days)?"""
    window = DeliveryWindow.current()
    return gating.deliverable_at(now, window, None, gating.calendar(window)) == now


def _remind(name: str, kinds: list[str], now: dt.datetime) -> SweepResult:
    result = SweepResult(name)
    if not in_window(now):
        result.skipped = _("非工作时间,不发送提醒")
        return result
    rules = list(ReminderRule.objects.filter(kind__in=kinds, active=True).order_by("pk"))
    if not rules:
        return result
    today = timezone.localdate(now)
    context = Context(now, Days(calendar_for(), today), uuid.uuid4().hex)
    oldest = _oldest(rules)
    seq = head_seq()
    for rule in rules:
        own = _own_sources(rules, rule.kind)
        settings = (rule.pk, rule.kind, rule.source, rule.days, own, context.days.cal.version)
        key = mark_key("remind", *settings)
        backlog = rule.kind in BACKLOG
        candidates = _candidates(rule, context, oldest, own, last_mark(key) if backlog else None)
        if candidates is None:
            continue
        floor = _newest_reminder()
        result.changed += _record(rule, candidates, context)
        result.notified += _notify(rule, context, floor)
        if backlog:
            save_mark(key, today, seq)
    return result


# The kinds whose candidates pile up day after day (the late backlog, the B/C outcomes past
# their follow-up date); they keep a mark (audit/marks.py) and look only at what is new since.
BACKLOG = (K.OVERDUE_EVERY, K.REPORT_OVERDUE, K.FOLLOW_UP)


def _own_sources(rules: list[ReminderRule], kind: str) -> list[str]:
    """Sources whose own rules of this kind replace the default ones."""
    return sorted({r.source for r in rules if r.kind == kind and r.source})


def _oldest(rules: list[ReminderRule]) -> dict[str, dt.date | None]:
    """The earliest due dates the repeating rules may meet (one query, only if needed)."""
    if not any(r.kind in (K.OVERDUE_EVERY, K.REPORT_OVERDUE) for r in rules):
        return {}
    return Item.objects.filter(state__in=REMINDABLE).aggregate(
        due_date=Min("due_date"), next_report_due=Min("next_report_due")
    )


def _candidates(
    rule: ReminderRule,
    context: Context,
    oldest: dict[str, dt.date | None],
    own: list[str],
    mark: Mark | None = None,
) -> QuerySet[Item] | None:
    """The items this rule reminds about now, annotated with r_anchor and r_period."""
    days, today = context.days, context.days.today
    items = Item.objects.filter(Q(source=rule.source) if rule.source else ~Q(source__in=own))
    kind = rule.kind
    if kind in (K.BEFORE_DUE, K.ON_DUE, K.OVERDUE_EVERY):
        items, column = items.filter(state__in=REMINDABLE, lead_unit__isnull=False), "due_date"
    elif kind in (K.REPORT_BEFORE, K.REPORT_OVERDUE):
        items = items.filter(state=ItemState.IN_PROGRESS, lead_unit__isnull=False)
        column = "next_report_due"
    elif kind == K.EXTENSION_WAITING:
        return _waiting_extensions(items, rule, context)
    elif kind == K.FOLLOW_UP:
        items = items.filter(
            state=ItemState.COMPLETED,
            outcome__in=[Outcome.SOLVING, Outcome.PLANNED],
            follow_up_date__lte=today,
        )
        if mark is not None:
            came = [(mark.day + dt.timedelta(days=1), today + dt.timedelta(days=1))]
            items = items.filter(since_mark("follow_up_date", came, mark))
        return items.annotate(r_anchor=F("follow_up_date"), r_period=Value(0))
    else:
        return None
    anchored = items.annotate(r_anchor=F(column))
    if kind in (K.BEFORE_DUE, K.REPORT_BEFORE):
        window = {f"{column}__gt": today, f"{column}__lte": days.ahead(max(rule.days, 1))}
        return anchored.filter(**window).annotate(r_period=Value(0))
    if kind == K.ON_DUE:
        window = {f"{column}__gt": days.previous(), f"{column}__lte": today}
        return anchored.filter(**window).annotate(r_period=Value(0))
    every = max(rule.days, 1)
    late = anchored.filter(**{f"{column}__lt": days.late_by_at_least(every)})
    first = oldest.get(column)
    last = days.late_by(first) // every if first is not None else 1
    if mark is not None:
        # Only what turned a period since the mark, or changed: the rest was looked at before.
        then = Days(days.cal, mark.day)
        steps = [every * k for k in range(1, last + 2)]
        spans = [(then.late_by_at_least(n), days.late_by_at_least(n)) for n in steps]
        late = late.filter(since_mark(column, spans, mark))
    return late.annotate(r_period=_period(column, every, days, last))


def _period(column: str, every: int, days: Days, last: int) -> Expression:
    """k for a date late by k × every to (k + 1) × every − 1 working days, as a CASE on the date:
    one branch per period back to the oldest late item's (`last`)."""
    branches = [
        When(**{f"{column}__gte": days.late_by_at_least((k + 1) * every)}, then=Value(k))
        for k in range(1, max(last, 1))
    ]
    return Case(*branches, default=Value(max(last, 1)), output_field=IntegerField())


def _waiting_extensions(items: QuerySet[Item], rule: ReminderRule, context: Context) -> Any:
    """Items whose pending extension request has waited at least `days` working days."""
    since = context.days.late_by_at_least(max(rule.days, 1))
    before = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    waiting = items.filter(
        state__in=OPEN_STATES,
        extensions__state=ExtensionState.PENDING,
        extensions__requested_at__lt=before,
    )
    # One pending request per item (a unique constraint): one row per item.
    return waiting.annotate(r_anchor=TruncDate("extensions__requested_at"), r_period=Value(0))


def _record(rule: ReminderRule, candidates: QuerySet[Item], context: Context) -> int:
    unit, _role = RECIPIENTS.get(rule.recipients, RECIPIENTS[ReminderRecipient.LIAISON])
    rows = candidates.values_list(
        "pk",
        Value(rule.pk),
        "r_anchor",
        "r_period",
        Value(context.run),
        Value(context.now, output_field=DateTimeField()),
        unit,
    )
    columns = ["item", "rule", "anchor", "period", "run", "sent_at", "unit"]
    return insert_select(SentReminder, columns, rows)


# Who hears of a reminder: people in the lead unit, or in the office that registered the item
# (the unit stored on the reminder row), by their role there.
RECIPIENTS: dict[str, tuple[str, str]] = {
    ReminderRecipient.LIAISON: ("lead_unit", Role.LIAISON),
    ReminderRecipient.UNIT_LEADER: ("lead_unit", Role.UNIT_LEADER),
    ReminderRecipient.OFFICE: ("owner_unit", Role.OFFICE),
    ReminderRecipient.OFFICE_HEAD: ("owner_unit", Role.OFFICE_HEAD),
}


def _newest_reminder() -> int:
    """The last reminder row's id: a rule's rows of this run all come after it, so reading them
    back is a range of the primary key (the table grows by a quarter of a million rows a day at
    a million items, and an index on `run` cost each of them a fifth of its insert)."""
    return SentReminder.objects.aggregate(newest=Max("pk"))["newest"] or 0


def _run_rows(
    rule: ReminderRule, context: Context, floor: int, **also: Any
) -> QuerySet[SentReminder]:
    """This run's new reminders of the rule × the people of their unit with the rule's role."""
    _unit, role = RECIPIENTS.get(rule.recipients, RECIPIENTS[ReminderRecipient.LIAISON])
    # One filter() call: the membership join is shared by the conditions and the annotations
    # (a second call would join the memberships again).
    return SentReminder.objects.filter(
        pk__gt=floor,
        run=context.run,
        rule=rule,
        unit__memberships__role=role,
        unit__memberships__active=True,
        unit__active=True,
        **also,
    )


TITLES: dict[str, str] = {
    K.BEFORE_DUE: _("临期提醒"),
    K.ON_DUE: _("到期提醒"),
    K.OVERDUE_EVERY: _("逾期催办"),
    K.REPORT_BEFORE: _("进展报告提醒"),
    K.REPORT_OVERDUE: _("进展报告催报"),
    K.EXTENSION_WAITING: _("延期申请待审批"),
    K.FOLLOW_UP: _("跟踪办理"),
}


def _recipients(
    rule: ReminderRule, context: Context, floor: int, people: list[int]
) -> QuerySet[Any]:
    """This run's new reminders of the rule told to `people` one by one, annotated for
    notify_rows."""
    user = F("unit__memberships__user_id")
    rows = _run_rows(rule, context, floor, unit__memberships__user_id__in=people)
    url = reverse("items:detail", args=[0]).rsplit("0", 1)
    return rows.annotate(
        n_recipient=user,
        n_kind=Value(f"reminder_{rule.kind}"),
        n_title=Concat(Value(f"{TITLES.get(rule.kind, '')}:"), F("item__title")),
        n_body=render(rule.message, rule),
        n_target_model=Value("items.item"),
        n_target_id=_text(F("item_id")),
        n_url=Concat(Value(url[0]), _text(F("item_id")), Value(url[1])),
        n_key=Concat(
            Value("remind:"),
            _text(F("item_id")),
            Value(f":{rule.pk}:"),
            _text(F("anchor")),
            Value(":"),
            _text(F("period")),
            Value(":"),
            _text(user),
        ),
        n_private=ExpressionWrapper(
            Q(item__confidentiality=Confidentiality.SECRET), output_field=BooleanField()
        ),
    )


# A person with several of a rule's new reminders in a run hears of them in one notice: how many,
# a link to the 台账 (or 工作台) showing them, no titles (so no 涉密 title either).
GROUPED_TITLES: dict[str, str] = {
    K.BEFORE_DUE: _("临期提醒:%(n)s 项事项即将到期"),
    K.ON_DUE: _("到期提醒:%(n)s 项事项今日到期"),
    K.OVERDUE_EVERY: _("逾期催办:%(n)s 项事项已逾期"),
    K.REPORT_BEFORE: _("进展报告提醒:%(n)s 项事项的进展报告即将到期"),
    K.REPORT_OVERDUE: _("进展报告催报:%(n)s 项事项的进展报告逾期未报"),
    K.EXTENSION_WAITING: _("延期申请待审批:%(n)s 项"),
    K.FOLLOW_UP: _("跟踪办理:%(n)s 项事项已到跟踪日期"),
}
GROUPED_BODIES: dict[str, str] = {
    K.BEFORE_DUE: _("共 %(n)s 项督办事项将在 %(days)s 个工作日内到期,请到台账查看并抓紧办理。"),
    K.ON_DUE: _("共 %(n)s 项督办事项今日到期,请到台账查看,按时办结并报送。"),
    K.OVERDUE_EVERY: _(
        "共 %(n)s 项督办事项已逾期 %(days)s 个工作日以上仍未办结,请到台账查看并抓紧办理。"
    ),
    K.REPORT_BEFORE: _(
        "共 %(n)s 项督办事项的进展报告将在 %(days)s 个工作日内到期,请到台账查看并按时报送。"
    ),
    K.REPORT_OVERDUE: _(
        "共 %(n)s 项督办事项的进展报告已逾期 %(days)s 个工作日以上未报送,请到台账查看并及时报送。"
    ),
    K.EXTENSION_WAITING: _(
        "共 %(n)s 项延期申请已等待 %(days)s 个工作日以上,请到工作台「待审批延期」及时审批。"
    ),
    K.FOLLOW_UP: _("共 %(n)s 项事项已到跟踪办理日期,请到工作台「待跟踪办理」核实办理情况。"),
}


def _grouped_url(rule: ReminderRule, days: Days) -> str:
    """Where a grouped notice points: the 台账 filtered by the ledger's own parameters
    (ledgers/filters.py), or the 工作台 panel for the office's kinds."""
    kind, today, one = rule.kind, days.today, dt.timedelta(days=1)
    if kind in (K.EXTENSION_WAITING, K.FOLLOW_UP):
        return reverse("workbench")
    if kind == K.BEFORE_DUE:
        span = f"&due_from={today + one}&due_to={days.ahead(max(rule.days, 1))}"
        query = "state=open" + span
    elif kind == K.ON_DUE:
        query = f"state=open&due_from={days.previous() + one}&due_to={today}"
    elif kind == K.OVERDUE_EVERY:
        query = "due=overdue"
    else:
        query = "state=in_progress"
    query += "&sort=due" + (f"&source={rule.source}" if rule.source else "")
    return f"{reverse('items:list')}?{query}"


def _notify(rule: ReminderRule, context: Context, floor: int) -> int:
    """Tell the people of this run's new reminders of the rule: one notice to each person who has
    several (how many), the usual per-item notice to who has one."""
    counts = _per_person(rule, context, floor)
    alone = [person for person, n in counts.items() if n == 1]
    several = {person: n for person, n in counts.items() if n > 1}
    alone_rows = _recipients(rule, context, floor, alone)
    written = notify_rows(alone_rows, now=context.now) if alone else 0
    if several:
        written += notify_rows(_grouped(rule, context, several), now=context.now)
    return written


def _per_person(rule: ReminderRule, context: Context, floor: int) -> dict[int, int]:
    """{person: how many of this run's new reminders of the rule they hear of}: one GROUP BY
    over the run's rows and their units' memberships, fetched once (people, not items)."""
    rows = (
        _run_rows(rule, context, floor)
        .values_list("unit__memberships__user_id")
        .annotate(n=Count("item_id", distinct=True))
        .order_by()
    )
    return dict(rows)


def _grouped(rule: ReminderRule, context: Context, counts: dict[int, int]) -> QuerySet[Any]:
    """One notice row per person of `counts`: a count, no titles (涉密 items among them are
    counted like the others), a link to the filtered 台账; once per person, rule and day (the
    key). Selected from the people themselves: the counts are already known."""
    n_count = Case(
        *(When(pk=person, then=Value(n)) for person, n in counts.items()),
        output_field=IntegerField(),
    )
    n = _text(F("n_count"))
    fill = {"n": n, "days": Value(str(rule.days))}
    return (
        User.objects.filter(pk__in=list(counts))
        .annotate(n_recipient=F("pk"), n_count=n_count)
        .annotate(
            n_kind=Value(f"reminder_{rule.kind}"),
            n_title=_fill(GROUPED_TITLES[rule.kind], fill),
            n_body=_fill(GROUPED_BODIES[rule.kind], fill),
            n_target_model=Value(""),
            n_target_id=Value(""),
            n_url=Value(_grouped_url(rule, context.days)),
            n_key=Concat(
                Value(f"remind-grouped:{rule.pk}:{context.days.today.isoformat()}:"),
                _text(F("n_recipient")),
            ),
            n_private=Value(False, output_field=BooleanField()),
        )
    )


def _fill(template: str, values: dict[str, Any]) -> Any:
    """A %(name)s template as an SQL expression, each placeholder one of `values`."""
    parts: list[Any] = []
    for i, piece in enumerate(re.split(r"%\((\w+)\)s", template)):
        if i % 2:
            parts.append(values.get(piece, Value(f"%({piece})s")))
        elif piece:
            parts.append(Value(piece))
    return Concat(*parts, output_field=CharField()) if len(parts) > 1 else parts[0]


def _text(expression: Any) -> Cast:
    return Cast(expression, output_field=CharField())


def render(template: str, rule: ReminderRule, year: int | None = None) -> Any:
    """The rule's message as an SQL expression over a SentReminder row: {title} {date} {unit}
    {days} {year} become the item's columns or constants; an unknown placeholder stays as is."""
    columns: dict[str, Any] = {
        "title": F("item__title"),
        "date": _text(F("anchor")),
        "unit": F("item__lead_unit__name"),
        "days": Value(str(rule.days)),
        "year": Value(str(year or "")),
    }
    parts: list[Any] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append(Value(literal))
        if field is not None:
            parts.append(columns.get(field, Value("{" + field + "}")))
    if not parts:
        return Value("")
    return parts[0] if len(parts) == 1 else Concat(*parts, output_field=CharField())


@register_sweep("deadlines")
def sweep_deadlines(now: dt.datetime) -> SweepResult:
    """Before the deadline, on the day, then every N working days late (seed 004 第七条(五))."""
    return _remind("deadlines", [K.BEFORE_DUE, K.ON_DUE, K.OVERDUE_EVERY], now)


@register_sweep("reports")
def sweep_reports(now: dt.datetime) -> SweepResult:
    """Progress reports due soon and late (seed 004 第十七条)."""
    return _remind("reports", [K.REPORT_BEFORE, K.REPORT_OVERDUE], now)


@register_sweep("extensions")
def sweep_extensions(now: dt.datetime) -> SweepResult:
    """Extension requests waiting too long for the office head (seed 004 第十八条)."""
    return _remind("extensions", [K.EXTENSION_WAITING], now)


@register_sweep("follow_ups")
def sweep_follow_ups(now: dt.datetime) -> SweepResult:
    """B/C outcomes whose follow-up date has come (also 工作台 待跟踪办理)."""
    return _remind("follow_ups", [K.FOLLOW_UP], now)


# The calendar ---------------------------------------------------------------------------------


@register_sweep("calendar")
def sweep_calendar(now: dt.datetime) -> SweepResult:
    """Warn administrators, once a year, that next year's holidays are still provisional."""
    result = SweepResult("calendar")
    if not in_window(now):
        result.skipped = _("非工作时间,不发送提醒")
        return result
    today = timezone.localdate(now)
    year = today.year + 1
    cal = calendar_for()
    if not cal.is_provisional(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        return result
    for rule in ReminderRule.objects.filter(kind=K.CALENDAR_PROVISIONAL, active=True):
        if Days(cal, today).ahead(max(rule.days, 1)) < dt.date(year, 1, 1):
            continue  # not yet within `days` working days of the new year
        result.notified += notify_rows(_administrators(rule, year), now=now)
    return result


def _administrators(rule: ReminderRule, year: int) -> QuerySet[Any]:
    admins = Membership.objects.active().filter(role=Role.ADMIN)
    return admins.annotate(
        n_recipient=F("user_id"),
        n_kind=Value("calendar_provisional"),
        n_title=Value(_("%(year)s年节假日安排尚未录入") % {"year": year}),
        n_body=Value(rule.message.replace("{year}", str(year))),
        n_target_model=Value(""),
        n_target_id=Value(""),
        n_url=Value(reverse("workdays:load")),
        n_key=Concat(Value(f"calendar-provisional:{year}:{rule.pk}:"), _text(F("user_id"))),
        n_private=Value(False, output_field=BooleanField()),
    )
