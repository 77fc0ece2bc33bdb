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
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Model, Q, QuerySet
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


def since_mark(model: type[Model], column: str, spans: list[Span], mark: Mark) -> Q:
    """The rows of `model` (items) whose `column` date fell into one of `spans` [low, high) — the
    dates that have become late enough for a step since the mark's day — or that an event has
    touched since the mark's event. The rest of the backlog was looked at before and nothing about
    it changed: the unique constraints would refuse it anyway, but at a million items asking costs
    seconds.

    One semi-join over a union of the ways in, each served by an index (the date's, the event
    log's): an OR of them would leave the database no plan but reading every item."""
    ways: list[QuerySet[Any]] = [touched_items(mark.seq)]
    for low, high in _merged(sorted(spans)):
        crossed = model._default_manager.filter(**{f"{column}__gte": low, f"{column}__lt": high})
        ways.append(crossed.order_by().values_list("pk", flat=True))
    first, *rest = ways
    return Q(pk__in=first.union(*rest, all=True) if rest else first)


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
