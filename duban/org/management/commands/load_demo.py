from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.org.demo import DEMO_PASSWORD
from duban.org.models import Role, Unit


class Command(BaseCommand):
    help = _("在空数据库中载入演示城市「示范市」及每个角色的演示账号。")

    def handle(self, *args: Any, **options: Any) -> None:
        if Unit.objects.exists():
            raise CommandError(_("数据库中已有单位,未载入演示数据。"))
        from duban.items.demo import load_demo_city  # items build on org: imported late

        accounts = load_demo_city(bar=True)
        self.stdout.write(
            _("已载入演示数据「示范市」。演示账号(密码均为 %(pw)s):") % {"pw": DEMO_PASSWORD}
        )
        for account in accounts:
            role = Role(account.role).label
            self.stdout.write(f"  {account.username:<18} {account.full_name:<8} {role}")
