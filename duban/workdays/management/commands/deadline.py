"""`duban deadline START --working-days N ...`: a due date for people and scripts (issue 3 item 7).

The first line is the due date (YYYY-MM-DD, then 暂定 when provisional), the second the
explanation; `--json` prints one object instead. Bad input exits non-zero naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duban.workdays.calendars import calendar_for
from duban.workdays.deadline import Deadline, DeadlineError, Kind, deadline
from duban.workdays.rules import rule_by_name, rule_deadline

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KIND_OPTIONS = {
    "working_days": Kind.WORKING_DAYS,
    "days": Kind.DAYS,
    "months": Kind.MONTHS,
    "quarter_report": Kind.QUARTER_REPORT,
}
FIELD_LABELS = {
    "start": "START",
    "region": "--region",
    "rule": "--rule",
    "extension": "--extension",
}


class Command(BaseCommand):
    help = _("按工作日历计算截止日期(民法典第二百零一至二百零三条)。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", metavar="START", help=_("起始日期 YYYY-MM-DD(当日不计入)"))
        for option, label in (
            ("--working-days", _("工作日数")),
            ("--days", _("日数")),
            ("--months", _("月数")),
            ("--quarter-report", _("每季度结束后日数")),
        ):
            # Taken as text, so a bad number gets our Chinese message rather than argparse's.
            parser.add_argument(option, metavar="N", help=label)
        parser.add_argument("--rule", metavar="NAME", help=_("期限规则名称,如 领导批示"))
        parser.add_argument("--extension", metavar="N", default="0", help=_("按规则延期的数值"))
        parser.add_argument("--region", metavar="CODE", default="CN", help=_("地区代码,默认 CN"))
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = self._compute(options)
        except DeadlineError as error:
            label = options.get("_option") if error.field == "count" else None
            field = label or FIELD_LABELS.get(error.field, error.field)
            raise CommandError(f"{field}:{error}") from None
        self.stdout.write(_render(result, options["json"]))

    def _compute(self, options: dict[str, Any]) -> Deadline:
        start = _parse_date(options["start"])
        chosen = [key for key in (*KIND_OPTIONS, "rule") if options.get(key) is not None]
        if len(chosen) != 1:
            raise CommandError(
                _(
                    "请指定且只指定一种期限:"
                    "--working-days、--days、--months、--quarter-report 或 --rule。"
                )
            )
        cal = calendar_for(options["region"])
        if chosen[0] == "rule":
            extension = _parse_int(options["extension"], "--extension")
            return rule_deadline(rule_by_name(options["rule"]), cal, start, extension)
        options["_option"] = "--" + chosen[0].replace("_", "-")
        n = _parse_int(options[chosen[0]], options["_option"])
        return deadline(cal, start, KIND_OPTIONS[chosen[0]], n)


def _parse_date(text: str) -> dt.date:
    try:
        if DATE_RE.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise CommandError(
        _("START:起始日期「%(text)s」格式不正确,应为 YYYY-MM-DD,如 2026-04-30。") % {"text": text}
    )


def _parse_int(text: str, option: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(
            _("%(option)s:「%(text)s」不是整数。") % {"option": option, "text": text}
        ) from None


def _render(result: Deadline, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "due_date": result.due.isoformat(),
                "provisional": result.provisional,
                "calendar_version": result.calendar_version,
                "explanation": result.explanation,
            },
            ensure_ascii=False,
        )
    first = result.due.isoformat() + (" " + _("暂定") if result.provisional else "")
    return f"{first}\n{result.explanation}"
