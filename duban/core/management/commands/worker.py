"""`duban worker`: run one Huey consumer (periodic tasks unless --no-periodic)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duban.core import worker


class Command(BaseCommand):
    help = _(
        "运行后台任务进程:定时任务(消息投递等)与队列任务。扩展部署时只运行一个带定时任务的进程,"
        "其余加 --no-periodic。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.DUBAN_WORKER_THREADS,
            help=_("工作线程数"),
        )
        parser.add_argument(
            "--no-periodic", action="store_true", help=_("不运行定时任务(扩展部署的其余进程)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if worker.huey().immediate:
            raise CommandError(_("DUBAN_WORKER=immediate 时任务在调用方线程中执行,无需后台进程。"))
        if options["workers"] < 1:
            raise CommandError(_("--workers 须为正整数。"))
        logger = logging.getLogger("huey")
        if not logger.handlers and not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO)
        periodic = not options["no_periodic"]
        self.stdout.write(
            _("后台任务进程已启动:%(n)d 个线程,%(p)s定时任务(按 Ctrl+C 停止)")
            % {"n": options["workers"], "p": _("运行") if periodic else _("不运行")}
        )
        worker.consumer(workers=options["workers"], periodic=periodic).run()
