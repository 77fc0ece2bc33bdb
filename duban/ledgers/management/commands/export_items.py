"""`duban export-items OUT.xlsx [--user USERNAME] [filters]`: the 台账 as XLSX, with a progress bar.

The filters are the 台账 page's parameters (ledgers/filters.py), as options (`--state open
--lead-unit T-FGW`) or as the part after ? of a 台账 address (`--query "state=open&light=red"`).
With --user the file holds what that person sees on the page; without it, every item (the
operator of the server already holds the database). Either way the export is audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.utils.translation import gettext as _

from duban.items.models import Item
from duban.ledgers import xlsx_export
from duban.ledgers.filters import FILTER_KEYS, filtered, ordered, with_saved_view
from duban.ledgers.forms import LedgerFilterForm
from duban.ledgers.search import searchable
from duban.org.models import Unit, User

OPTIONS = (*FILTER_KEYS, "sort", "view")
UNIT_OPTIONS = ("lead_unit", "co_unit")


class Command(BaseCommand):
    help = _("按台账筛选条件导出督查事项 XLSX 台账")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help=_("要写出的 .xlsx 文件"))
        parser.add_argument("--user", metavar="USERNAME", help=_("按此人员可见的范围导出"))
        parser.add_argument(
            "--query", default="", metavar="QUERY", help=_("台账地址中 ? 之后的筛选条件")
        )
        for name in OPTIONS:
            flag = "--" + name.replace("_", "-")
            parser.add_argument(
                flag, dest=f"filter_{name}", metavar="VALUE", help=_("台账筛选条件")
            )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.user(options["user"])
        params = self.params(options)
        if user is not None:
            params, _view = with_saved_view(user, params)
        data = self.cleaned(user, params)
        scope, pair_asked = Item.objects.all(), False
        if user is not None:
            scope, pair_asked = searchable(user, data.get("q") or "")
        items = ordered(filtered(scope, data, pair_asked=pair_asked), data.get("sort"))
        path = Path(options["out"])
        try:
            with path.open("wb") as out:
                rows = xlsx_export.export_items(
                    items,
                    out,
                    actor=user,
                    filters=data,
                    viewable=scope if user is not None else None,
                    name=path.name,
                    via="cli",
                    bar=True,
                )
        except OSError as error:
            raise CommandError(
                _("无法写出文件 %(path)s:%(error)s") % {"path": path, "error": error}
            ) from None
        self.stdout.write(_("已导出 %(n)d 项督查事项:%(path)s") % {"n": rows, "path": path})

    def user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("人员 %(name)s 不存在或已停用。") % {"name": username})
        return user

    def params(self, options: dict[str, Any]) -> QueryDict:
        params = QueryDict(options["query"].lstrip("?"), mutable=True)
        for name in OPTIONS:
            value = options.get(f"filter_{name}")
            if value is not None:
                params[name] = value
        for name in UNIT_OPTIONS:
            # A unit by its code on the command line; the page's parameter is the unit's id.
            code = params.get(name, "")
            if code and not code.isdigit():
                unit = Unit.objects.filter(code=code).first()
                if unit is None:
                    raise CommandError(_("单位编码 %(code)s 不存在。") % {"code": code})
                params[name] = str(unit.pk)
        return params

    def cleaned(self, user: User | None, params: QueryDict) -> dict[str, Any]:
        form = LedgerFilterForm(user, params)  # type: ignore[arg-type]
        if user is None:
            for name in UNIT_OPTIONS:
                form.fields[name].queryset = Unit.objects.all()  # type: ignore[attr-defined]
        if not form.is_valid():
            problems = [
                f"{form.fields[name].label if name in form.fields else name}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            ]
            raise CommandError(_("筛选条件有误,未导出:") + ";".join(problems))
        return dict(form.cleaned_data)
