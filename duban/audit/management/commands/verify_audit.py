from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.audit.log import count, verify
from duban.audit.models import ChainHead


class Command(BaseCommand):
    help = _("校验审计日志的哈希链;报告第一处断裂。")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify()
        if broken is not None:
            raise CommandError(
                _("审计日志哈希链在第 %(seq)d 号事件处断裂:%(reason)s")
                % {"seq": broken.seq, "reason": broken.reason}
            )
        head = ChainHead.objects.filter(pk=1).first()
        self.stdout.write(
            _("审计日志完整:共 %(n)d 条事件,链头哈希 %(hash)s")
            % {"n": count(), "hash": head.hash if head else "-"}
        )
