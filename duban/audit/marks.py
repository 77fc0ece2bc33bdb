"""Watermarks for backlog sweeps, read off the event log (see models.SweepMark).

The log is the record of every change to an item (principle: only actions change domain state,
each writing its event), and its `seq` grows in commit order: appends are serialised by the chain
head's row lock, so once a sweep has read the head as `seq`, every later change carries a larger
number. A sweep reads `head_seq()` before it selects anything and saves its mark in its own
transaction; if it fails, the mark stays where it was and the next run looks again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast

from duban.audit.models import ChainHead, Event, SweepMark


@dataclass(frozen=True)
class Mark:
    day: dt.date
    seq: int


def mark_key(prefix: str, *settings: Any) -> str:
    """A key that changes whenever one of the settings that shape the candidates does."""
    digest = hashlib.sha256(repr(settings).encode()).hexdigest()[:24]
    return f"{prefix}:{digest}"


def head_seq() -> int:
    return ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def last_mark(key: str) -> Mark | None:
    row = SweepMark.objects.filter(key=key).values_list("day", "seq").first()
    return Mark(*row) if row else None


def save_mark(key: str, day: dt.date, seq: int) -> None:
    SweepMark.objects.update_or_create(key=key, defaults={"day": day, "seq": seq})


def touched_items(seq: int) -> QuerySet[Any]:
    """The ids of the items some event has touched since event `seq`, as a subquery."""
    events = Event.objects.filter(seq__gt=seq, target_model="items.item")
    return events.order_by().values_list(Cast("target_id", BigIntegerField()), flat=True)


Span = tuple[dt.date, dt.date]


# Items changed since a mark are asked for by their ids up to this many (a day's work in a
# province); beyond, as a subquery.
TOUCHED_INLINE = 20_000


def since_mark(column: str, spans: list[Span], mark: Mark) -> Q:
    """The items whose `column` date fell into one of `spans` [low, high) — the dates that have
    become late enough for a step since the mark's day — or that an event has touched since the
    mark's event. The rest of the backlog was looked at before and nothing about it changed: the
    unique constraints would refuse it anyway, but at a million items asking costs seconds.

    The touched items come as a list of ids read first: with a subquery in the OR, PostgreSQL could
    only read every item and test each; with ids and date ranges it combines their indexes."""
    ranges = [
        Q(**{f"{column}__gte": low, f"{column}__lt": high}) for low, high in _merged(sorted(spans))
    ]
    touched = list(touched_items(mark.seq).distinct()[: TOUCHED_INLINE + 1])
    if len(touched) > TOUCHED_INLINE or not (touched or ranges):
        # Many, or nothing at all: the subquery (an empty id list would not compile).
        ways = [Q(pk__in=touched_items(mark.seq))]
    else:
        ways = [Q(pk__in=touched)] if touched else []
    return reduce(operator.or_, ways + ranges)


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for low, high in spans:
        if low >= high:
            continue
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
