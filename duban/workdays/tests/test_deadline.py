"""Deadline arithmetic against chinesecalendar and 民法典 第二百零一至二百零三条."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.workdays.arrays import DeadlineError, build_calendar
from duban.workdays.deadline import Kind, add_months, deadline, due_date
from duban.workdays.seed import national_days
from duban.workdays.tests.helpers import naive_nth_working_day, naive_roll, national

D = dt.date.fromisoformat
# Starts far enough from the end of the official data that n working days stay inside it.
starts = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 6, 30))
counts = st.integers(min_value=1, max_value=120)
calendar_kinds = st.sampled_from([Kind.DAYS, Kind.MONTHS, Kind.QUARTER_REPORT])


def working(start: dt.date, n: int) -> dt.date:
    return due_date(national(), start, Kind.WORKING_DAYS, n)


# Properties ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(starts, counts)
def test_result_is_a_working_day_with_exactly_n_before_it(start: dt.date, n: int) -> None:
    due = working(start, n)
    assert chinese_calendar.is_workday(due)
    between = [start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(chinese_calendar.is_workday(day) for day in between) == n


@settings(max_examples=200, deadline=None)
@given(starts, counts, counts)
def test_a_then_b_is_a_plus_b(start: dt.date, a: int, b: int) -> None:
    assert working(working(start, a), b) == working(start, a + b)


@settings(max_examples=200, deadline=None)
@given(starts, st.integers(1, 60), st.integers(1, 60))
def test_calendar_days_add_up_when_nothing_rolls(start: dt.date, a: int, b: int) -> None:
    first = due_date(national(), start, Kind.DAYS, a)
    if first == start + dt.timedelta(days=a):
        assert due_date(national(), first, Kind.DAYS, b) == due_date(
            national(), start, Kind.DAYS, a + b
        )


@settings(max_examples=200, deadline=None)
@given(starts, counts, counts, st.sampled_from(list(Kind)))
def test_never_earlier_when_n_grows(start: dt.date, a: int, b: int, kind: Kind) -> None:
    n = 12 if kind is Kind.MONTHS else 120  # months stay inside the official data
    low, high = sorted((a % n + 1, b % n + 1))
    assert due_date(national(), start, kind, low) <= due_date(national(), start, kind, high)


@settings(max_examples=200, deadline=None)
@given(starts, st.integers(1, 90), calendar_kinds)
def test_calendar_kinds_end_on_the_next_working_day(start: dt.date, n: int, kind: Kind) -> None:
    n = min(n, 6) if kind is Kind.MONTHS else n  # stays inside the official data
    due = due_date(national(), start, kind, n)
    assert chinese_calendar.is_workday(due)
    assert due > start


# Tables: every start in 2024–2026, so every holiday and 调休 day is crossed -------------------


@pytest.mark.parametrize("n", [1, 3, 7, 10, 15])
def test_every_start_2024_to_2026_matches_a_day_by_day_count(n: int) -> None:
    cal, day = national(), D("2024-01-01")
    while day < D("2026-12-01"):  # n working days from here stay inside the official data
        assert working(day, n) == naive_nth_working_day(day, n), (day, n)
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_every_2024_to_2026_day_rolls_forward_like_chinesecalendar() -> None:
    day = D("2024-01-01")
    while day < D("2026-12-25"):
        assert due_date(national(), day - dt.timedelta(days=1), Kind.DAYS, 1) == naive_roll(day)
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-04-30", 10, "2026-05-18"),  # 劳动节 5月1日至5日, 5月9日 Saturday worked
        ("2026-02-13", 1, "2026-02-14"),  # 2月14日 Saturday is a 调休 working day
        ("2026-02-14", 1, "2026-02-24"),  # 春节 2月15日至23日
        ("2026-09-30", 1, "2026-10-08"),  # 国庆 10月1日至7日
        ("2026-10-08", 2, "2026-10-10"),  # 10月10日 Saturday worked
        ("2025-01-24", 1, "2025-01-26"),  # 1月26日 Sunday worked before 春节
        ("2025-09-30", 1, "2025-10-09"),  # 国庆中秋 10月1日至8日
        ("2024-09-27", 1, "2024-09-29"),  # 9月29日 Sunday worked
        ("2024-04-03", 1, "2024-04-07"),  # 清明 4月4日至6日, 4月7日 Sunday worked
        ("2024-12-31", 1, "2025-01-02"),  # 元旦
    ],
)
def test_named_holidays_and_swaps(start: str, n: int, due: str) -> None:
    assert working(D(start), n) == D(due)


# Month ends and leap years (第二百零二条) -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2026-08-31", 1, "2026-09-30"),
        ("2026-10-31", 4, "2027-02-28"),
        ("2026-11-15", 3, "2027-02-15"),
    ],
)
def test_add_months_uses_the_last_day_when_there_is_no_corresponding_day(
    start: str, n: int, end: str
) -> None:
    assert add_months(D(start), n) == D(end)


@pytest.mark.parametrize(
    ("kind", "start", "n", "due"),
    [
        (Kind.MONTHS, "2025-12-31", 2, "2026-02-28"),  # Saturday, but a 调休 working day
        (Kind.MONTHS, "2026-01-31", 3, "2026-04-30"),
        (Kind.MONTHS, "2026-02-01", 3, "2026-05-06"),  # 5月1日 劳动节 → next working day
        (Kind.MONTHS, "2024-01-31", 1, "2024-02-29"),
        (Kind.DAYS, "2026-04-16", 15, "2026-05-06"),
        (Kind.DAYS, "2026-01-09", 1, "2026-01-12"),  # Saturday → Monday
        (Kind.DAYS, "2026-01-02", 2, "2026-01-04"),  # 1月4日 Sunday is worked
        (Kind.QUARTER_REPORT, "2026-05-20", 15, "2026-07-15"),
        (Kind.QUARTER_REPORT, "2026-08-01", 15, "2026-10-15"),  # 国庆 ends 10月7日
        (Kind.QUARTER_REPORT, "2026-09-30", 1, "2026-10-08"),
        (Kind.QUARTER_REPORT, "2025-12-01", 15, "2026-01-15"),
    ],
)
def test_calendar_kinds(kind: Kind, start: str, n: int, due: str) -> None:
    assert due_date(national(), D(start), kind, n) == D(due)


# Explanations, provisional years, errors -----------------------------------------------------


def test_explanation_of_the_issue_example() -> None:
    result = deadline(national(), D("2026-04-30"), Kind.WORKING_DAYS, 10)
    assert result.explanation == (
        "10个工作日:自2026年4月30日次日起算,跳过5月1日至5日劳动节假期及周末,"
        "5月9日(星期六)调休上班计入,截止2026年5月18日"
    )
    assert (result.due, result.provisional, result.calendar_version) == (D("2026-05-18"), False, 1)


def test_explanations_of_calendar_kinds() -> None:
    month = deadline(national(), D("2025-11-30"), Kind.MONTHS, 3).explanation
    assert "2026年2月无30日,以月末日2026年2月28日为期间最后一日" in month
    rolled = deadline(national(), D("2026-04-16"), Kind.DAYS, 15).explanation
    assert "2026年5月1日为劳动节假期,顺延至下一工作日,截止2026年5月6日" in rolled
    quarter = deadline(national(), D("2026-05-20"), Kind.QUARTER_REPORT, 15).explanation
    assert quarter.startswith("每季度结束后15日内报送:2026年第二季度于2026年6月30日结束")


def test_provisional_year_counts_weekends_and_fixed_holidays() -> None:
    result = deadline(national(), D("2027-09-29"), Kind.WORKING_DAYS, 3)
    # 9月30日 Thursday, 10月1日至3日 国庆 (fixed date), 10月4日 and 5日.
    assert result.due == D("2027-10-05")
    assert result.provisional
    assert "暂定:2027年" in result.explanation
    assert "10月1日至3日国庆节" in result.explanation


def test_a_deadline_that_only_reaches_into_a_provisional_year_is_provisional() -> None:
    assert deadline(national(), D("2026-12-25"), Kind.WORKING_DAYS, 10).provisional
    assert not deadline(national(), D("2026-12-01"), Kind.WORKING_DAYS, 10).provisional


def test_loading_the_year_makes_it_official() -> None:
    cal = build_calendar("CN", 2, national_days(), range(2004, 2028))
    assert not deadline(cal, D("2027-03-01"), Kind.WORKING_DAYS, 3).provisional


@pytest.mark.parametrize(
    ("start", "n", "field"),
    [("2026-01-01", 0, "count"), ("2026-01-01", -3, "count"), ("1999-12-31", 1, "start")],
)
def test_bad_input_names_the_field(start: str, n: int, field: str) -> None:
    with pytest.raises(DeadlineError) as error:
        deadline(national(), D(start), Kind.WORKING_DAYS, n)
    assert error.value.field == field


def test_past_the_horizon_is_an_error() -> None:
    with pytest.raises(DeadlineError, match="超出日历范围"):
        deadline(national(), D("2099-12-30"), Kind.WORKING_DAYS, 10)
