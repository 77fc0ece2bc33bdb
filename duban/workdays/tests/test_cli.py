"""`duban deadline`: output for people and scripts, and Chinese errors that name the field."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from duban.cli import main
from duban.workdays.calendars import clear_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()  # each test database starts again at version 1


def deadline(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_working_days_prints_date_then_explanation() -> None:
    assert deadline("2026-04-30", "--working-days", "10") == [
        "2026-05-18",
        "10个工作日:自2026年4月30日次日起算,跳过5月1日至5日劳动节假期及周末,"
        "5月9日(星期六)调休上班计入,截止2026年5月18日",
    ]


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["2026-04-16", "--days", "15"], "2026-05-06"),
        (["2025-11-30", "--months", "3"], "2026-02-28"),
        (["2026-05-20", "--quarter-report", "15"], "2026-07-15"),
        (["2026-04-29", "--rule", "领导批示"], "2026-05-07"),
        (["2026-03-10", "--rule", "政协提案", "--extension", "3"], "2026-09-10"),
        (["2026-04-30", "--working-days", "10", "--region", "cn"], "2026-05-18"),
        (["2027-09-29", "--working-days", "3"], "2027-10-05 暂定"),
    ],
)
def test_first_line(args: list[str], first: str) -> None:
    assert deadline(*args)[0] == first


def test_json() -> None:
    (line,) = deadline("2026-12-25", "--working-days", "10", "--json")
    data = json.loads(line)
    assert data["due_date"] == "2027-01-11"
    assert data["provisional"] is True
    assert data["calendar_version"] == 1
    assert data["explanation"].startswith("10个工作日:自2026年12月25日次日起算")


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["2026-13-01", "--days", "3"], "START"),
        (["2026/04/30", "--days", "3"], "START"),
        (["2026-04-30", "--working-days", "-3"], "--working-days:期限数值须为正整数"),
        (["2026-04-30", "--months", "x"], "--months:「x」不是整数"),
        (["2026-04-30", "--rule", "无此规则"], "--rule:期限规则「无此规则」不存在"),
        (["2026-04-30", "--days", "3", "--region", "ZZ"], "--region:地区代码 ZZ 不存在"),
        (["2026-04-30"], "请指定且只指定一种期限"),
        (["2026-04-30", "--days", "3", "--months", "1"], "请指定且只指定一种期限"),
        (["2026-03-10", "--rule", "人大建议", "--extension", "4"], "--extension:"),
    ],
)
def test_bad_input_is_a_chinese_error_naming_the_field(args: list[str], names: str) -> None:
    with pytest.raises(CommandError, match=names):
        deadline(*args)


def test_bad_input_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["duban", "deadline", "2026-04-30", "--working-days", "-1"])
    assert exit_.value.code != 0
    assert "--working-days:期限数值须为正整数" in capsys.readouterr().err


def test_load_calendar_reports_no_change_on_seeded_data() -> None:
    out = StringIO()
    call_command("load_calendar", stdout=out)
    assert "无变化" in out.getvalue()
