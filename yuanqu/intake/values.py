"""Cell values as people type them in Chinese spreadsheets, read into Python values. Pure: no Django.

Each parser takes what python-calamine or the CSV reader produced (str, float, int, bool, date,
datetime) and returns a clean value, or raises `CellError` whose message is the Chinese rule the
cell breaks (the caller adds the row and the column). Empty cells are None everywhere."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from yuanqu.core import numbers

# Excel counts days from 1899-12-30 (with its 1900 leap-year bug folded in).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of 1990-01-01 … 2100-12-31: a bare number in that range in a date column is a date.
EXCEL_SERIAL_RANGE = (32874, 73415)
# Text that means "no value" in statistical returns.
EMPTY_MARKS = frozenset({"", "-", "--", "—", "——", "/", "无", "空", "n/a", "na", "null", "none"})

CENT = Decimal("0.01")


class CellError(ValueError):
    """The cell cannot be read; the message names the rule in Chinese."""


def clean_text(value: Any) -> str:
    """A cell as text: full-width letters and digits folded to half-width, outer spaces stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace("\u3000", " ").strip()


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return clean_text(value).lower() in EMPTY_MARKS
    return False


def show(value: Any) -> str:
    """A cell value as the message quotes it."""
    text = clean_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# A comma is read only as a thousands separator: after one to three digits, then groups of three.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
# Excel keeps and shows 15 significant digits; a float's further digits are binary noise.
EXCEL_DIGITS = ".15g"
# PositiveIntegerField and IntegerField hold 32-bit integers on PostgreSQL.
INT_LIMIT = 2_147_483_647

MSG_COMMA = "“{value}”中的逗号位置不对：逗号只能作千位分隔符（每三位一组，如1,234,567.5），小数点请用“.”"
MSG_PLACES = "“{value}”的小数超过{places}位，本列最多保留{places}位小数，请按实际精度填写"
MSG_MAGNITUDE = "“{value}”超出可存储的范围（整数部分最多{digits}位）"
MSG_INT_LIMIT = "“{value}”超出可存储的范围（最大为{limit}）"
MSG_NOT_A_NUMBER = "不是有效数字"


ONE = Decimal(1)
_INFINITIES = (float("inf"), float("-inf"))


def _written(value: Any) -> Decimal | None:
    """The number a cell holds, as written, or None for an empty cell."""
    kind = type(value)
    if kind is float:
        if value != value or value in _INFINITIES:
            raise CellError(MSG_NOT_A_NUMBER)
        return Decimal(format(value, EXCEL_DIGITS))
    if kind is int:
        return Decimal(value)
    if value is None:
        return None
    if isinstance(value, str):
        if is_empty(value):
            return None
        text = clean_text(value).replace(" ", "")
        if "," in text:
            if not _THOUSANDS.match(text):
                raise CellError(MSG_COMMA.format(value=show(value)))
            text = text.replace(",", "")
        if text.endswith("%"):
            raise CellError(f"“{show(value)}”带百分号，本列应填数值（单位见表头）")
        if not _NUMBER.match(text):
            raise CellError(f"“{show(value)}”不是数字")
        return Decimal(text)
    raise CellError(f"“{show(value)}”不是数字")


def decimal_parser(
    *, factor: Decimal = ONE, places: Decimal = CENT, max_digits: int | None = None
) -> Callable[[Any], Decimal | None]:
    """`parse_decimal` for one column: what depends only on the column (its decimals, the magnitude
    it holds) is worked out once, and a float (what the readers give for a number cell) is read
    without the detour through `_written`'s type tests."""
    decimals = -places.as_tuple().exponent  # type: ignore[operator]
    limit = None if max_digits is None else numbers.integer_limit(max_digits=max_digits, decimal_places=decimals)
    digits = 0 if limit is None else len(str(limit)) - 1
    scaled = factor is not ONE
    exact = factor >= 1  # only a conversion from a smaller unit may round

    def parse(value: Any) -> Decimal | None:
        if type(value) is float:
            if value != value or value in _INFINITIES:
                raise CellError(MSG_NOT_A_NUMBER)
            number = Decimal(format(value, EXCEL_DIGITS))
        else:
            written = _written(value)
            if written is None:
                return None
            number = written
        try:
            if scaled:
                number *= factor
            rounded = number.quantize(places, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise CellError(f"“{show(value)}”超出可存储的范围") from None
        if limit is not None:
            if exact and rounded != number:
                raise CellError(MSG_PLACES.format(value=show(value), places=decimals))
            if abs(rounded) >= limit:
                raise CellError(MSG_MAGNITUDE.format(value=show(value), digits=digits))
        return rounded

    return parse


def parse_decimal(
    value: Any, *, factor: Decimal = ONE, places: Decimal = CENT, max_digits: int | None = None
) -> Decimal | None:
    """A number, multiplied by `factor` (unit conversion), in `places`.

    With `max_digits` (a column stored as a decimal of that many digits) the value is kept as the
    file meant it or refused: more decimals than the column keeps is refused, and so is an integer
    part the column cannot hold exactly on every database (`core.numbers`: 15 significant digits).
    Only a conversion from a smaller unit (元 → 万元) rounds, half up, to the stored unit. Without it
    (coordinates, stored as floats) the value is rounded to `places`. A column's cells are read by
    `decimal_parser`, made once."""
    return decimal_parser(factor=factor, places=places, max_digits=max_digits)(value)


def parse_percent(value: Any, *, max_digits: int | None = None) -> Decimal | None:
    """A share in percent (0–100): “12.5”, “12.5%”. A cell formatted as a percentage reaches here
    as the text it shows (the reader turns 0.185 in a % cell into “18.5%”)."""
    if isinstance(value, str) and clean_text(value).endswith("%"):
        value = clean_text(value)[:-1]
    return parse_decimal(value, max_digits=max_digits)


_INT_DECIMAL = decimal_parser(places=Decimal("0.000001"))


def parse_int(value: Any) -> int | None:
    number = _INT_DECIMAL(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"“{show(value)}”应为整数")
    if abs(number) > INT_LIMIT:
        raise CellError(MSG_INT_LIMIT.format(value=show(value), limit=INT_LIMIT))
    return int(number)


@dataclass(frozen=True, order=True)
class Month:
    """A monthly report period. A 1–2月 combined report is February with `months_covered` = 2."""

    year: int
    month: int
    months_covered: int = 1

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def label(self) -> str:
        if self.months_covered == 2:
            return f"{self.year}年1-2月"
        return f"{self.year}年{self.month}月"


_RANGE_SEP = r"\s*(?:-|~|至|到|—|–)\s*"
_MONTH_PATTERNS = (
    # 2026年1-2月, 2026年1—2月, 2026年1至6月
    re.compile(rf"^(?P<y>\d{{4}})\s*年\s*(?P<a>\d{{1,2}})\s*(?:月)?{_RANGE_SEP}(?P<m>\d{{1,2}})\s*月(?:份)?$"),
    # 2026年6月, 2026年06月份
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:份)?$"),
    # 2026-06, 2026/6, 2026.06, 2026-06-01
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})(?:\s*[-/.]\s*(?P<d>\d{1,2}))?$"),
    # 202606
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
    # 20260601
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
MONTH_FORMATS = "2026-06、2026年6月、202606、2026年1-2月或Excel日期"


def _excel_serial(number: float) -> dt.date | None:
    if EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def _number_of_day(value: float, digits: tuple[int, int], refused: str) -> str | dt.date:
    """A number in a month or date cell: the digits of one (202405, 20240501) within `digits`, as text
    for the patterns to read, or else an Excel serial day; `refused` when it is neither."""
    if float(value).is_integer() and digits[0] <= value <= digits[1]:
        return str(int(value))
    day = _excel_serial(float(value))
    if day is None:
        raise CellError(refused)
    return day


def parse_month(value: Any) -> Month | None:
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return Month(value.year, value.month)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = _number_of_day(value, (190001, 210012), f"“{show(value)}”不是有效的报告期，应为{MONTH_FORMATS}")
        if isinstance(value, dt.date):
            return Month(value.year, value.month)
    text = clean_text(value)
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        parts = match.groupdict()
        year, month = int(parts["y"]), int(parts["m"])
        if not 1 <= month <= 12:
            raise CellError(f"“{show(value)}”的月份{month}无效")
        if parts.get("d") is not None:
            try:
                dt.date(year, month, int(parts["d"]))
            except ValueError:
                raise CellError(f"“{show(value)}”不是有效日期") from None
        if parts.get("a") is not None:
            start = int(parts["a"])
            if start != 1 or month < 2:
                raise CellError(f"“{show(value)}”：累计期应从1月开始，如“{year}年1-{max(month, 2)}月”")
            # 1–2月 is the one combined report; “1-6月” names the June report by its cumulative span.
            return Month(year, month, 2 if month == 2 else 1)
        return Month(year, month)
    raise CellError(f"“{show(value)}”不是有效的报告期，应为{MONTH_FORMATS}")


_YEAR = re.compile(r"^(?P<y>\d{4})\s*(?:年度|年)?$")


def parse_year(value: Any) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return int(value)
        raise CellError(f"“{show(value)}”不是有效年度，应为4位年份（如2025）")
    match = _YEAR.match(clean_text(value))
    if match is None:
        raise CellError(f"“{show(value)}”不是有效年度，应为4位年份（如2025）")
    return int(match["y"])


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
DATE_FORMATS = "2024-05-01、2024/5/1、2024年5月1日、20240501或Excel日期"


def parse_date(value: Any) -> dt.date | None:
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = _number_of_day(value, (19000101, 21001231), f"“{show(value)}”不是有效日期，应为{DATE_FORMATS}")
        if isinstance(value, dt.date):
            return value
    text = clean_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise CellError(f"“{show(value)}”不是有效日期") from None
    raise CellError(f"“{show(value)}”不是有效日期，应为{DATE_FORMATS}")


def parse_choice(
    value: Any, choices: tuple[tuple[str, str], ...], *, synonyms: dict[str, str] | None = None
) -> str | None:
    """A coded value given as its code or its Chinese label (either is accepted)."""
    if is_empty(value):
        return None
    text = clean_text(value)
    folded = text.lower().replace(" ", "")
    for code, label in choices:
        if folded in {code.lower(), label.replace(" ", "").lower()}:
            return code
    if synonyms and folded in synonyms:
        return synonyms[folded]
    allowed = "、".join(label for code, label in choices if code or label != "—")
    raise CellError(f"“{show(value)}”不是可选值，应为：{allowed}")
