"""`duban notify-retry [ID ...]`: send dead outbox rows again (all of them without IDs); audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duban.notify.actions import retry_dead


class Command(BaseCommand):
    help = _("重新发送多次重试仍失败的消息;不指定编号则全部重发。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = retry_dead(options["ids"] or None, actor=None)
        except ValidationError as error:
            raise CommandError("".join(error.messages)) from None
        self.stdout.write(_("已重新发送 %(n)d 条消息。") % {"n": count})
