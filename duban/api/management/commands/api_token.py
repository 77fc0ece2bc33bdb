"""`duban api-token USERNAME --name NAME`: make a token and print its secret, once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from duban.api import actions
from duban.api.models import ApiToken
from duban.org.models import User


class Command(BaseCommand):
    help = _("为人员创建接口令牌(密钥只显示一次),或用 --revoke 撤销令牌。")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help=_("人员账号"))
        parser.add_argument("--name", default="", help=_("令牌用途,如「政务服务平台对接」"))
        parser.add_argument("--revoke", metavar="PREFIX", help=_("撤销该人员以此前缀开头的令牌"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("账号「%(u)s」不存在。") % {"u": options["username"]})
        try:
            if options["revoke"]:
                self._revoke(user, options["revoke"])
            else:
                self._create(user, options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _create(self, user: User, name: str) -> None:
        token, secret = actions.create_token(user, actor=None, name=name)
        self.stdout.write(_("已为「%(u)s」创建令牌「%(n)s」。") % {"u": user, "n": token.name})
        self.stdout.write(_("密钥只显示这一次,请妥善保存:"))
        self.stdout.write(secret)

    def _revoke(self, user: User, prefix: str) -> None:
        tokens = list(ApiToken.objects.filter(user=user, prefix__startswith=prefix, revoked=False))
        if len(tokens) != 1:
            raise CommandError(
                _("前缀「%(p)s」匹配到 %(n)d 个有效令牌,须恰好一个。")
                % {"p": prefix, "n": len(tokens)}
            )
        actions.revoke_token(tokens[0], actor=None)
        self.stdout.write(_("已撤销令牌「%(t)s」。") % {"t": tokens[0]})
