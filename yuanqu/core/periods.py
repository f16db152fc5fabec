"""Reporting periods: a year (ending 31 December) or a month's year to date (1–本月累计, ending on the
month's last day), with the Chinese label, the key used in URLs and the API, and its inverse.

Every app that speaks of a period uses this one type: the indicator engine stores values per period,
targets and the cockpit pick periods, reports print them. Pure Python (no Django), so that it sits at
the bottom of the layers and can be used anywhere."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

# The two frequencies, as stored (indicators.models.Frequency gives them their labels).
YEAR = "year"
MONTH = "month"

# English month abbreviations by month number (index 0 unused), for period labels on English pages.
MONTH_ABBREVIATIONS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class Period:
    end: dt.date
    frequency: str

    @property
    def label(self) -> str:
        if self.frequency == YEAR:
            return f"{self.end.year}年"
        if self.end.month == 2:
            return f"{self.end.year}年1-2月"
        return f"{self.end.year}年1-{self.end.month}月"

    @property
    def key(self) -> str:
        """For URLs and the API: 2024 for a year, 2026-10 for a month."""
        return str(self.end.year) if self.frequency == YEAR else f"{self.end:%Y-%m}"

    @staticmethod
    def parse(key: str) -> Period:
        """The inverse of `key`; ValueError on anything else."""
        if len(key) == 4 and key.isdigit():
            return Period(dt.date(int(key), 12, 31), YEAR)
        year, month = (int(part) for part in key.split("-"))
        return Period(month_end(year, month), MONTH)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return Period(dt.date(year, 12, 31), YEAR)
