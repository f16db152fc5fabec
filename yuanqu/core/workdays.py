"""Working-day arithmetic for service time limits (服务承诺/限时办结), with no database and no Django.

A `WorkCalendar` is built from three sets: weekday dates that are public holidays, weekend dates that
are worked (调休), and the years whose schedule is complete. Callers load those sets from the holiday
table (casework.selectors.work_calendar) or from chinesecalendar (`chinese_calendar_sets`).

Conventions (DOMAIN.md §6):
- "N个工作日内" is counted from the day after the start: accepted on a Friday with a limit of 1, the
  deadline is the next working day, usually Monday.
- A year outside `covered_years` falls back to Monday–Friday; every result says which uncovered years
  it touched, so that the caller can flag the case and warn the admins. Never an exception.
- A pause (补正: the clock stops while the enterprise supplements) from instant a to instant b removes
  the days after a's date up to and including b's date: the day the notice went out has been used, and
  counting resumes on the day after the supplement, as it does after acceptance.

Datetimes are taken at their own date: callers pass local time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import NamedTuple

# chinesecalendar covers these years; beyond them it raises NotImplementedError.
CHINESE_CALENDAR_FIRST_YEAR = 2004
CHINESE_CALENDAR_LAST_YEAR = 2026
# A deadline search never walks further than this (a limit of 25 working days needs ~40 days).
_MAX_SCAN_DAYS = 3660

DayLike = dt.date | dt.datetime


class Pause(NamedTuple):
    """A stopped clock from `start` to `end` (dates); `end` None means still paused."""

    start: dt.date
    end: dt.date | None


class Deadline(NamedTuple):
    day: dt.date
    uncovered_years: frozenset[int]

    @property
    def uncovered(self) -> bool:
        return bool(self.uncovered_years)


def as_date(value: DayLike) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    covered_years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls, *, holidays: Iterable[dt.date], workdays: Iterable[dt.date], covered_years: Iterable[int]
    ) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(workdays), frozenset(covered_years))

    def covers(self, day: dt.date) -> bool:
        return day.year in self.covered_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _days_after(self, start: dt.date) -> Iterator[dt.date]:
        day = start
        for _ in range(_MAX_SCAN_DAYS):
            day += dt.timedelta(days=1)
            yield day
        raise OverflowError("working-day search ran past ten years")

    def add_working_days(self, start: DayLike, n: int, pauses: Sequence[Pause] = ()) -> Deadline:
        """The date by which "n个工作日内" ends, counted from the day after `start`, skipping the days
        of closed pauses. n == 0 means the same day (当场办结)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if any(pause.end is None for pause in pauses):
            raise ValueError("the clock is paused: there is no deadline until the pause ends")
        first = as_date(start)
        uncovered: set[int] = set()
        if not self.covers(first):
            uncovered.add(first.year)
        if n == 0:
            return Deadline(first, frozenset(uncovered))
        counted = 0
        day = first
        for day in self._days_after(first):
            if not self.covers(day):
                uncovered.add(day.year)
            if self.is_workday(day) and not _paused(day, pauses):
                counted += 1
                if counted == n:
                    break
        return Deadline(day, frozenset(uncovered))

    def previous_workday(self, day: dt.date) -> dt.date:
        """The last working day before `day` (for "remind one working day ahead")."""
        current = day
        for _ in range(_MAX_SCAN_DAYS):
            current -= dt.timedelta(days=1)
            if self.is_workday(current):
                return current
        raise OverflowError("working-day search ran past ten years")

    def working_days_between(self, start: DayLike, end: DayLike, pauses: Sequence[Pause] = ()) -> int:
        """Working days after `start`'s date up to and including `end`'s date, less paused days: the
        working time a case has used. 0 when `end` is on or before `start`'s date."""
        first, last = as_date(start), as_date(end)
        if last <= first:
            return 0
        count = 0
        day = first
        while day < last:
            day += dt.timedelta(days=1)
            if self.is_workday(day) and not _paused(day, pauses):
                count += 1
        return count

    def uncovered_between(self, start: DayLike, end: DayLike) -> frozenset[int]:
        first, last = as_date(start), as_date(end)
        return frozenset(year for year in range(first.year, last.year + 1) if year not in self.covered_years)


def _paused(day: dt.date, pauses: Sequence[Pause]) -> bool:
    return any(pause.start < day and (pause.end is None or day <= pause.end) for pause in pauses)


def chinese_calendar_sets(
    module: ModuleType,
    first_year: int = CHINESE_CALENDAR_FIRST_YEAR,
    last_year: int = CHINESE_CALENDAR_LAST_YEAR,
) -> tuple[dict[dt.date, str], dict[dt.date, str], frozenset[int]]:
    """Read the `chinese_calendar` module (passed in, so this module imports nothing beyond the
    standard library) into the exceptions to the Monday–Friday week: holidays that fall on a weekday
    and weekend days that are worked, each with the festival's name in Chinese."""
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    for day, name in module.holidays.items():
        if first_year <= day.year <= last_year and day.weekday() < 5:
            holidays[day] = festival_name(name)
    for day, name in module.workdays.items():
        if first_year <= day.year <= last_year and day.weekday() >= 5:
            workdays[day] = festival_name(name)
    years = frozenset(range(first_year, last_year + 1))
    return holidays, workdays, years


FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def festival_name(name: object) -> str:
    text = str(getattr(name, "value", name) or "")
    return FESTIVAL_NAMES.get(text, text)[:30]
