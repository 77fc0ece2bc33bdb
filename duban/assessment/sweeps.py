"""The assessment app's periodic sweeps, registered into the items sweeps registry.

`duban sweep` and the worker's Huey task (items/tasks.py) run them with the others, each in its
own transaction with its statements counted; `duban escalate --today` runs the same two for a
chosen day. Both only propose, so they may run at any hour: the notices they write are timed into
working hours by the outbox (notify/gating.py).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.assessment.escalation import escalate
from duban.assessment.proposals import propose
from duban.items.sweeps import SweepResult, register_sweep


@register_sweep("escalation")
def escalation_sweep(now: dt.datetime) -> SweepResult:
    return SweepResult("escalation", changed=escalate(timezone.localdate(now), now=now))


@register_sweep("accountability")
def accountability_sweep(now: dt.datetime) -> SweepResult:
    return SweepResult("accountability", changed=propose(timezone.localdate(now), now=now))
