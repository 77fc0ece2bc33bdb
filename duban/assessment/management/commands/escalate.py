"""`duban escalate [--today ISO]`: run the escalation and accountability sweeps once.

Both only propose (督办升级建议, 问责建议); people decide on the 督办与问责 pages. Idempotent:
a step or a ground already proposed is not proposed again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duban.assessment.escalation import escalate
from duban.assessment.proposals import propose
from duban.core import clock


class Command(BaseCommand):
    help = _("按当前预设提出督办升级建议和问责建议(只提出,不自动采取)。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help=_("按哪一天计算,格式 YYYY-MM-DD;默认今天。"))

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("--today 须为 YYYY-MM-DD 格式的日期。")) from None
        escalations = escalate(today)
        proposals = propose(today)
        self.stdout.write(
            _("%(day)s:新增督办升级建议 %(e)d 条,问责建议 %(p)d 条。")
            % {"day": today.isoformat(), "e": escalations, "p": proposals}
        )
