"""How many digits of a stored number are kept exactly, on every database the platform runs on.

PostgreSQL keeps a `numeric(18, 2)` to the last cent. The embedded SQLite store does not: a decimal
column there has numeric affinity, so a value is kept as a 64-bit float, exact to 15 significant
digits. 1234567890123456.78 comes back as 1234567890123460.00, and 9999999999999999.99 comes back as
10000000000000000, which no longer fits its column: Django refuses to read the row at all.

So every number a user can write (a file, a form, the API) is held to `EXACT_DIGITS` significant
digits, whatever the column could hold on PostgreSQL. The same input is then accepted or refused
alike on both databases, and what is accepted reads back as written. 15 digits are far beyond any
real figure: an amount in 万元 with two decimals may reach 10¹³ 万元, about 140 times the world's
annual product."""

from __future__ import annotations

from decimal import Decimal

EXACT_DIGITS = 15


def exact_digits(max_digits: int) -> int:
    """The digits a column of `max_digits` keeps exactly on every supported database."""
    return min(max_digits, EXACT_DIGITS)


def integer_limit(*, max_digits: int, decimal_places: int) -> Decimal:
    """The smallest magnitude a value of that column may not reach: 10 ** (digits − places)."""
    return Decimal(10) ** (exact_digits(max_digits) - decimal_places)


def fits(value: Decimal, *, decimal_places: int) -> bool:
    """Whether a value kept to `decimal_places` stays within `EXACT_DIGITS` significant digits."""
    return value.is_finite() and abs(value) < integer_limit(max_digits=EXACT_DIGITS, decimal_places=decimal_places)
