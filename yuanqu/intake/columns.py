"""The clean values of a file's rows, held by column: what validation keeps of every row between
reading the sheet and writing the batch.

A row's values were a dict of Decimals (about 2.3 KB for a 20-column monthly row: the dict and 16
Decimals of 104 bytes), 230 MB for a file of 100,000 rows. Here each column is one compact array: a
decimal column whose values have its own number of places (what the intake's decimal parser gives:
every number quantized to the column's places) holds them as whole numbers of its smallest unit,
8 bytes a cell; any other column holds a reference per cell (its texts, credit codes and periods
are shared between rows by the parsers' memo). A value that does not fit (a negative zero, a
number past 2^62 units, anything but a Decimal in a decimal column) is kept as it is, beside the
array. Reading a cell gives back a value equal to and written like the one stored (the same
Decimal digits and exponent), so the checks, messages and writes see what they saw before.

`Record.values` (yuanqu.intake.validation) is a `RowValues`: a mapping over one row of a
`ColumnStore`, with the behaviour of the dict it replaces (a cell whose parse failed is absent, an
empty one is None). Who uses this: validation's `read_records`, and everything that reads a
record's values (the checks, the writers)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from decimal import Decimal
from typing import Any

# Markers in a decimal column's array: no value (the cell's parse failed, or the row left the key
# out), None (an empty cell), and "kept beside the array" (`_DecimalColumn.other`).
_ABSENT_UNITS = -(2**63)
_NONE_UNITS = _ABSENT_UNITS + 1
_OTHER_UNITS = _ABSENT_UNITS + 2
# Whole numbers of units the array holds; past it a value is kept beside the array.
_UNITS_LIMIT = 2**62


class _Absent:
    """No value in this row (distinct from None, an empty cell)."""

    __slots__ = ()


ABSENT: Any = _Absent()


class _Column:
    """One column of any values: a reference per cell."""

    __slots__ = ("cells",)

    def __init__(self) -> None:
        self.cells: list[Any] = []

    def append(self, value: Any) -> None:
        self.cells.append(value)

    def get(self, index: int) -> Any:
        return self.cells[index]

    def set(self, index: int, value: Any) -> None:
        self.cells[index] = value


class _DecimalColumn:
    """One decimal column of `places` decimals: whole numbers of its unit (10^-places) in an array of
    signed 64-bit integers; a value that is not such a Decimal is kept in `other`. The values a row
    brings when it is added are its parser's, quantized to the column's places (so their exponent is
    the unit's, and is not checked again); a value set later is checked in full."""

    __slots__ = ("cells", "other", "places", "unit")

    def __init__(self, places: int) -> None:
        self.cells = array("q")
        self.other: dict[int, Any] = {}
        self.places = places
        # A whole number times the unit has the unit's exponent: Decimal(1230) * Decimal("0.01") is 12.30.
        self.unit = Decimal(1).scaleb(-places)

    def _units(self, index: int, value: Any, *, quantized: bool) -> int:
        if value is ABSENT:
            return _ABSENT_UNITS
        if value is None:
            return _NONE_UNITS
        if type(value) is Decimal and (quantized or _has_exponent(value, -self.places)):
            try:
                whole = int(value.scaleb(self.places))
            except (ValueError, OverflowError):  # NaN, an infinity
                whole = 0
            else:
                # A negative zero keeps its sign only beside the array.
                if -_UNITS_LIMIT < whole < _UNITS_LIMIT and (whole or not value.is_signed()):
                    return whole
        self.other[index] = value
        return _OTHER_UNITS

    def append(self, value: Any) -> None:
        self.cells.append(self._units(len(self.cells), value, quantized=True))

    def get(self, index: int) -> Any:
        units = self.cells[index]
        if units > _OTHER_UNITS:
            return Decimal(units) * self.unit
        if units == _NONE_UNITS:
            return None
        if units == _ABSENT_UNITS:
            return ABSENT
        return self.other[index]

    def set(self, index: int, value: Any) -> None:
        self.other.pop(index, None)
        self.cells[index] = self._units(index, value, quantized=False)


def _has_exponent(value: Decimal, exponent: int) -> bool:
    return value.is_finite() and value.as_tuple().exponent == exponent


class ColumnStore:
    """The values of a file's rows by column. `decimal_places` names the decimal columns and their
    places; any other key gets a column of references when a row first carries it."""

    __slots__ = ("columns", "rows")

    def __init__(self, keys: Iterable[str], decimal_places: Mapping[str, int]) -> None:
        self.columns: dict[str, _Column | _DecimalColumn] = {
            key: _DecimalColumn(decimal_places[key]) if key in decimal_places else _Column() for key in keys
        }
        self.rows = 0

    def append(self, values: Mapping[str, Any]) -> int:
        """Add a row (its values by key; a key left out is absent) and return its index."""
        index = self.rows
        for key in values.keys() - self.columns.keys():
            self._column(key)
        for key, column in self.columns.items():
            column.append(values.get(key, ABSENT))
        self.rows += 1
        return index

    def _column(self, key: str) -> _Column | _DecimalColumn:
        column = self.columns.get(key)
        if column is None:
            column = self.columns[key] = _Column()
            column.cells.extend([ABSENT] * self.rows)
        return column

    def row(self, index: int) -> RowValues:
        return RowValues(self, index)


class RowValues(MutableMapping[str, Any]):
    """One row of a `ColumnStore` as a mapping of its values (the keys the row has a value for, in
    the store's column order)."""

    __slots__ = ("_index", "_store")

    def __init__(self, store: ColumnStore, index: int) -> None:
        self._store = store
        self._index = index

    def __getitem__(self, key: str) -> Any:
        column = self._store.columns.get(key)
        value = ABSENT if column is None else column.get(self._index)
        if value is ABSENT:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        column = self._store.columns.get(key)
        if column is None:
            return default
        value = column.get(self._index)
        return default if value is ABSENT else value

    def __contains__(self, key: object) -> bool:
        column = self._store.columns.get(key)  # type: ignore[call-overload]
        return column is not None and column.get(self._index) is not ABSENT

    def __setitem__(self, key: str, value: Any) -> None:
        self._store._column(key).set(self._index, value)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._store.columns[key].set(self._index, ABSENT)

    def __iter__(self) -> Iterator[str]:
        index = self._index
        return iter([key for key, column in self._store.columns.items() if column.get(index) is not ABSENT])

    def __len__(self) -> int:
        index = self._index
        return sum(1 for column in self._store.columns.values() if column.get(index) is not ABSENT)

    def items(self) -> Any:
        index = self._index
        pairs = ((key, column.get(index)) for key, column in self._store.columns.items())
        return [(key, value) for key, value in pairs if value is not ABSENT]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(dict(self.items()))
