"""`duban refresh-figures [--prewarm]`: count the dashboards' kept figures again, with a bar.

Without options it does what the worker does every five minutes (ledgers/figure_refresh.py);
--prewarm also counts this year's figures for every scope of someone who may open a dashboard,
so that after a deployment or a restore the first leader to look does not wait.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from duban.ledgers import figure_refresh


class Command(BaseCommand):
    help = _("重新统计统计分析和领导驾驶舱保存的数字")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--prewarm", action="store_true", help=_("同时预先统计每个范围的本年度数字")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counted = figure_refresh.refresh(bar=True)
        if options["prewarm"]:
            counted += figure_refresh.prewarm(bar=True)
        self.stdout.write(_("已统计 %(count)d 个范围。") % {"count": counted})
