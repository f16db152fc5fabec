"""Working-day arithmetic against the real State Council schedules of 2025 and 2026 (春节, 国庆 and
their 调休 weekends), the pause during 补正, and the weekends-only fallback for an uncovered year."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from yuanqu.core.workdays import Pause, WorkCalendar, chinese_calendar_sets

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    holidays, workdays, years = chinese_calendar_sets(chinese_calendar)
    return WorkCalendar.build(holidays=holidays, workdays=workdays, covered_years=years)


def test_it_agrees_with_chinesecalendar_on_every_day_of_2025_and_2026(calendar: WorkCalendar) -> None:
    day = D(2025, 1, 1)
    while day <= D(2026, 12, 31):
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_it_reads_names_in_chinese() -> None:
    holidays, workdays, years = chinese_calendar_sets(chinese_calendar)
    assert holidays[D(2025, 1, 28)] == "春节"
    assert workdays[D(2025, 9, 28)] == "国庆节"
    assert min(years) == 2004 and max(years) == 2026
    # Only exceptions to the Monday–Friday week are kept: a holiday on a Saturday is not.
    assert D(2025, 2, 1) not in holidays


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 春节 2025: 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）上班。
        (D(2025, 1, 24), 1, D(2025, 1, 26)),  # Friday → the worked Sunday
        (D(2025, 1, 24), 2, D(2025, 1, 27)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),  # the whole holiday is skipped
        (D(2025, 1, 27), 10, D(2025, 2, 17)),  # counts the worked Saturday 2月8日
        # 国庆 2025: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班。
        (D(2025, 9, 26), 2, D(2025, 9, 29)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # the worked Saturday
        (D(2025, 9, 30), 15, D(2025, 10, 28)),
        # 春节 2026: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班。
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 2, 13), 6, D(2026, 2, 28)),
        # 国庆 2026: 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班。
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        # The same day for 当场办结.
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
    ],
)
def test_it_counts_working_days_from_the_next_day(
    calendar: WorkCalendar, start: dt.date, n: int, expected: dt.date
) -> None:
    deadline = calendar.add_working_days(start, n)
    assert deadline.day == expected
    assert not deadline.uncovered


def test_it_takes_the_date_of_a_datetime(calendar: WorkCalendar) -> None:
    late_friday = dt.datetime(2025, 9, 26, 23, 30, tzinfo=SHANGHAI)
    assert calendar.add_working_days(late_friday, 2).day == D(2025, 9, 29)


def test_it_falls_back_to_weekends_for_an_uncovered_year_and_says_so(calendar: WorkCalendar) -> None:
    deadline = calendar.add_working_days(D(2026, 12, 30), 5)
    # 2027-01-01 is a Friday: without a schedule for 2027 it counts as a working day.
    assert deadline.day == D(2027, 1, 6)
    assert deadline.uncovered and deadline.uncovered_years == frozenset({2027})
    inside = calendar.add_working_days(D(2026, 12, 1), 10)
    assert inside.day == D(2026, 12, 15) and not inside.uncovered


def test_it_never_crashes_on_a_calendar_without_any_year() -> None:
    empty = WorkCalendar()
    deadline = empty.add_working_days(D(2031, 5, 1), 2)
    assert deadline.day == D(2031, 5, 5)  # Thursday → Friday, Monday
    assert deadline.uncovered_years == frozenset({2031})


def test_it_skips_the_days_of_a_pause(calendar: WorkCalendar) -> None:
    assert calendar.add_working_days(D(2025, 3, 3), 10).day == D(2025, 3, 17)
    # 一次性告知 on Wednesday 5 March, materials supplemented Monday 10 March: 6, 7 and 10 March do
    # not count, so the deadline moves by three working days.
    pause = Pause(D(2025, 3, 5), D(2025, 3, 10))
    assert calendar.add_working_days(D(2025, 3, 3), 10, [pause]).day == D(2025, 3, 20)


def test_it_refuses_a_deadline_while_paused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="paused"):
        calendar.add_working_days(D(2025, 3, 3), 10, [Pause(D(2025, 3, 5), None)])


def test_it_measures_elapsed_working_days_minus_pauses(calendar: WorkCalendar) -> None:
    friday_evening = dt.datetime(2025, 1, 24, 17, 0, tzinfo=SHANGHAI)
    assert calendar.working_days_between(friday_evening, dt.datetime(2025, 1, 27, 9, 0, tzinfo=SHANGHAI)) == 2
    assert calendar.working_days_between(D(2025, 1, 27), D(2025, 2, 5)) == 1
    assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 17)) == 10
    pauses = [Pause(D(2025, 3, 5), D(2025, 3, 10))]
    assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 17), pauses) == 7
    # An open pause stops the count at its start.
    assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 31), [Pause(D(2025, 3, 5), None)]) == 2
    assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0


def test_it_finds_the_previous_working_day(calendar: WorkCalendar) -> None:
    assert calendar.previous_workday(D(2025, 10, 9)) == D(2025, 9, 30)
    assert calendar.previous_workday(D(2025, 10, 13)) == D(2025, 10, 11)  # the worked Saturday
    assert calendar.previous_workday(D(2026, 2, 24)) == D(2026, 2, 14)


def test_it_lists_uncovered_years(calendar: WorkCalendar) -> None:
    assert calendar.uncovered_between(D(2026, 11, 1), D(2028, 1, 1)) == frozenset({2027, 2028})
    assert calendar.uncovered_between(D(2025, 1, 1), D(2026, 12, 31)) == frozenset()
