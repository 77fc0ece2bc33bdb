"""Rows the migrations seed are there in every test, also after a transactional test has run.

A transactional test (browser tests with `live_server`) ends with a flush of every table, which
takes the seeded national calendar, deadline rules and presets with it. Django's
`serialized_rollback` loads them again at the start of each such test; the conftest refuses a
transactional test without it. Both runs below are transactional, so the second one starts after
the first one's flush.
"""

from __future__ import annotations

import pytest

from duban.audit.models import ChainHead
from duban.items.models import LightRule, SourceRule
from duban.workdays.models import NATIONAL, CalendarYear, DeadlineRule, Region
from duban.workdays.seed import LAST_YEAR

# The presets of items/migrations/0003_source_rule_preset.py (seed 004 第十六条).
SOURCE_PRESET = {
    "leader_instruction": "领导批示",
    "superior": "上级批示",
    "meeting": "常务会议",
    "work_report": "政府工作报告",
    "npc_suggestion": "人大建议",
    "cppcc_proposal": "政协提案",
}


def assert_seeded() -> None:
    assert Region.objects.filter(code=NATIONAL).exists(), "地区代码 CN 不存在"
    assert CalendarYear.objects.filter(region__code=NATIONAL, year=LAST_YEAR).exists()
    assert set(DeadlineRule.objects.values_list("name", flat=True)) >= set(SOURCE_PRESET.values())
    links = dict(SourceRule.objects.values_list("source", "rule__name"))
    assert links == SOURCE_PRESET
    assert LightRule.objects.filter(source="", yellow_within=3).exists()
    assert ChainHead.objects.filter(pk=1).exists()


@pytest.mark.django_db
def test_seeded_rows_are_there_in_an_ordinary_test() -> None:
    assert_seeded()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("run", ["first", "after a flush"])
def test_seeded_rows_are_there_in_a_transactional_test(run: str) -> None:
    assert_seeded()
    # Something a browser test would leave behind; the flush at the end removes it.
    Region.objects.create(code="ZZ", name="测试地区")
