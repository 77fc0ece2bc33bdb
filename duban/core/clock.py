"""The platform's one clock: what every action, sweep and page takes as "now".

It is the real time, except inside `at(moment)`. Loading the demo uses that to replay a year of an
office's work at the moments it would have happened (items/demo.py), so that the 月度趋势, the
挂图作战 and each item's timeline show a history instead of three hundred items made in one
minute. Nothing else sets it: production and the tests run on the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.utils import timezone

_moment: ContextVar[dt.datetime | None] = ContextVar("duban_clock", default=None)


def now() -> dt.datetime:
    return _moment.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Run the block as if it were `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)


class StampField(models.DateTimeField):
    """A DateTimeField whose auto_now / auto_now_add read this clock (Django's read the real one).

    It deconstructs as a plain DateTimeField: the column is the same, so no migration changes."""

    def pre_save(self, model_instance: models.Model, add: bool) -> dt.datetime | None:
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
