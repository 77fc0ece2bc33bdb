from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from duban.workdays import actions
from duban.workdays.seed import FIRST_YEAR, LAST_YEAR


class Command(BaseCommand):
    help = _("从已安装的 chinesecalendar 重新载入全国节假日与调休数据(有变化时生成新的日历版本)。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first", type=int, default=FIRST_YEAR, help=_("起始年份"))
        parser.add_argument("--last", type=int, default=LAST_YEAR, help=_("截止年份"))

    def handle(self, *args: Any, **options: Any) -> None:
        version = actions.load_national(actor=None, first=options["first"], last=options["last"])
        if version is None:
            self.stdout.write(_("节假日数据无变化,未生成新版本。"))
        else:
            self.stdout.write(_("已载入,日历版本 v%(n)d。") % {"n": version.number})
