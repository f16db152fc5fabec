"""Numbers as the pages show them: a share as a percentage, a score with its decimals, a change with
its sign, and a dash for anything that is not a finite number. Template filters of every app call
these, so a value that arrives as text (a stored run's parameter, a query string) or not at all shows
a dash instead of failing the page. Pure Python."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

DASH = "—"
# Decimals a filter argument may ask for; anything else falls back to the filter's default.
MAX_DIGITS = 6


def finite_number(value: Any) -> float | None:
    """The value as a finite float: numbers, Decimals and numeric text; None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def digits_or(digits: Any, default: int) -> int:
    """A filter's digits argument, or the default when it is not a small whole number."""
    try:
        wanted = int(digits)
    except (TypeError, ValueError):
        return default
    return wanted if 0 <= wanted <= MAX_DIGITS else default


def percent_text(value: Any, digits: Any = 1) -> str:
    """A share (0.25) as a percentage (25.0%)."""
    number = finite_number(value)
    if number is None:
        return DASH
    return f"{number * 100:.{digits_or(digits, 1)}f}%"


def score_text(value: Any, digits: Any = 2) -> str:
    number = finite_number(value)
    if number is None:
        return DASH
    return f"{number:,.{digits_or(digits, 2)}f}"
