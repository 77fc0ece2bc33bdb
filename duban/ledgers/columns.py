"""The 台账 columns a person may choose (`cols`), in the order offices print them.

序号 and 事项名称 always show; the rest follow `cols`, or the default set when none is chosen. The
default is the order of the XLSX 台账 (shared/DESIGN.md Documents and exports).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    label: str | Promise
    optional: bool = True


COLUMNS: dict[str, Column] = {
    "seq": Column(_("序号"), optional=False),
    "title": Column(_("事项名称"), optional=False),
    "source": Column(_("来源")),
    "doc_number": Column(_("文号")),
    "lead_unit": Column(_("主办单位")),
    "co_units": Column(_("协办单位")),
    "leader": Column(_("责任领导")),
    "owner_name": Column(_("责任人")),
    "due_date": Column(_("完成时限")),
    "state": Column(_("状态")),
    "light": Column(_("灯")),
    "created_at": Column(_("登记时间")),
    "completed_at": Column(_("办结时间")),
    "outcome": Column(_("办理结果")),
    "extension_count": Column(_("延期次数")),
    "return_count": Column(_("退回重办次数")),
    "tags": Column(_("标签")),
}
DEFAULT_COLUMNS = (
    "source",
    "doc_number",
    "lead_unit",
    "co_units",
    "leader",
    "owner_name",
    "due_date",
    "state",
    "light",
)


def chosen(cols: Iterable[str] | None) -> list[str]:
    """The keys to show, in COLUMNS order whatever order they were asked in."""
    wanted = set(cols or DEFAULT_COLUMNS)
    return [key for key, column in COLUMNS.items() if not column.optional or key in wanted]
