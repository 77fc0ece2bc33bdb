"""Deadlines by rule: a rule's period plus any extensions, within the rule's cap."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from duban.workdays.arrays import Calendar, DeadlineError, Kind
from duban.workdays.deadline import Deadline, deadline
from duban.workdays.models import DeadlineRule


def rule_by_name(name: str) -> DeadlineRule:
    try:
        return DeadlineRule.objects.get(name=name.strip(), active=True)
    except DeadlineRule.DoesNotExist:
        names = "、".join(DeadlineRule.objects.filter(active=True).values_list("name", flat=True))
        raise DeadlineError(
            "rule",
            _("期限规则「%(name)s」不存在,可用:%(names)s。") % {"name": name, "names": names},
        ) from None


def check_extension(rule: DeadlineRule, extension: int) -> int:
    """第十六条(七): 人大建议、政协提案 take 3 months, at most 6: extensions total at most 3."""
    if extension < 0:
        raise DeadlineError("extension", _("延期数值不能为负数。"))
    if rule.max_extension is not None and extension > rule.max_extension:
        raise DeadlineError(
            "extension",
            _("「%(rule)s」延期合计不得超过 %(cap)d(%(article)s)。")
            % {"rule": rule.name, "cap": rule.max_extension, "article": rule.article},
        )
    return extension


def rule_deadline(
    rule: DeadlineRule, cal: Calendar, start: dt.date, extension: int = 0
) -> Deadline:
    n = rule.count + check_extension(rule, extension)
    result = deadline(cal, start, Kind(rule.kind), n)
    basis = _("依据:「%(rule)s」%(article)s") % {"rule": rule.name, "article": rule.article}
    return Deadline(
        due=result.due,
        provisional=result.provisional,
        calendar_version=result.calendar_version,
        explanation=f"{result.explanation}。{basis}" if rule.article else result.explanation,
    )
