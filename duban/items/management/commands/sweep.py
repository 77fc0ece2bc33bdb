"""`duban sweep [--only NAME ...] [--now ISO] [--recheck-lights]`: run the worker's sweeps once.

Prints, per sweep, what it changed, whom it notified, and the SQL statements it ran (a constant
whatever the number of items: items/sweeps.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from duban.core import clock
from duban.core.worker import discover_tasks
from duban.items import sweeps


class Command(BaseCommand):
    help = _("运行一次后台巡检(红黄绿灯、到期与逾期提醒、进展报告、延期申请、跟踪办理、日历)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", metavar="NAME", help=_("只运行此项巡检"))
        parser.add_argument("--now", help=_("按此时刻运行(ISO 格式,如 2025-10-09T10:00)"))
        parser.add_argument(
            "--recheck-lights", action="store_true", help=_("规则或日历修改后重算全部在办事项的灯")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        discover_tasks()  # other apps register their sweeps when their tasks load
        now = _moment(options["now"])
        only = options["only"] or None
        if only and set(only) - set(sweeps.SWEEPS):
            known = "、".join(sweeps.SWEEPS)
            raise CommandError(_("未知的巡检项,可用:%(names)s") % {"names": known})
        if options["recheck_lights"]:
            sweeps.recheck_lights()
        names = [name for name in sweeps.SWEEPS if not only or name in only]
        with tqdm(total=len(names), desc=_("巡检"), file=sys.stderr, unit="项") as bar:
            results = sweeps.run(now, only=only, on_done=lambda _result: _step(bar))
        for r in results:
            note = f"  ({r.skipped})" if r.skipped else ""
            self.stdout.write(
                _("%(name)-12s 变更 %(changed)d 行,通知 %(notified)d 人次,SQL %(n)d 条,%(s).2f 秒")
                % {
                    "name": r.name,
                    "changed": r.changed,
                    "notified": r.notified,
                    "n": r.statements,
                    "s": r.seconds,
                }
                + note
            )


def _step(bar: tqdm) -> None:
    bar.update(1)


def _moment(text: str | None) -> dt.datetime:
    if not text:
        return clock.now()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--now 格式不正确:%(text)s") % {"text": text}) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
