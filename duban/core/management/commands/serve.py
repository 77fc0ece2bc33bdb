"""`duban serve`: migrate, load the demo on a new database, and serve on 127.0.0.1:8000.

In embedded mode it also runs the worker (core/worker.py) in this process, so `make run` alone
delivers notifications; `--no-worker` leaves that to separate `duban worker` processes.
"""

from __future__ import annotations

import gc
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("启动平台:迁移数据库,新库载入演示数据,在 http://127.0.0.1:8000 提供服务。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help=_("新库不载入演示数据"))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("不在本进程运行后台任务(另行运行 duban worker)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from duban.core import worker
        from duban.org.models import Unit
        from duban.wsgi import application

        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"] and not Unit.objects.exists():
            call_command("load_demo", stdout=self.stdout)
        if settings.DUBAN_EMBEDDED_WORKER and not options["no_worker"]:
            worker.start_embedded()
        gc.freeze()  # as duban/wsgi.py does, after what migrating and the demo left behind
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(_("督办已启动:%(url)s (按 Ctrl+C 停止)") % {"url": url})
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="duban",
        )
