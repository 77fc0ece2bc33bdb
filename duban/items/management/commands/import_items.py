"""`duban import-items FILE --owner-unit CODE`: import a 台账; `--template PATH` writes one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duban.items.importer import build_template, import_items
from duban.org.models import Unit


class Command(BaseCommand):
    help = _("从 XLSX 台账导入督查事项;任何一行有错误则不导入任何数据。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help=_("要导入的 .xlsx 台账"))
        parser.add_argument("--owner-unit", metavar="CODE", help=_("登记单位(督查室)的单位编码"))
        parser.add_argument("--template", metavar="PATH", help=_("写出空白导入模板 (.xlsx)"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            Path(options["template"]).write_bytes(build_template())
            self.stdout.write(_("已写出导入模板:%(path)s") % {"path": options["template"]})
            if not options["file"]:
                return
        if not options["file"]:
            raise CommandError(_("请指定要导入的文件,或用 --template 写出模板。"))
        self.run(Path(options["file"]), self.owner_unit(options["owner_unit"]))

    def owner_unit(self, code: str | None) -> Unit:
        if not code:
            raise CommandError(_("请用 --owner-unit 指定登记单位的单位编码。"))
        unit = Unit.objects.filter(code=code.strip()).first()
        if unit is None:
            raise CommandError(_("单位编码 %(code)s 不存在。") % {"code": code})
        return unit

    def run(self, path: Path, owner_unit: Unit) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s:%(error)s") % {"path": path, "error": error}
            ) from None
        result = import_items(data, actor=None, owner_unit=owner_unit, filename=path.name, bar=True)
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("导入失败:共 %(n)d 处错误,未导入任何数据。") % {"n": len(result.errors)}
            )
        self.stdout.write(_("导入完成。") + result.summary())
