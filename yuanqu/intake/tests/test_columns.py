"""The file's rows held by column (`intake/columns.py`): a value read back is the one stored, digit
for digit and with its exponent, and a row reads like the dict it replaces."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yuanqu.intake.columns import ColumnStore
from yuanqu.intake.validation import Record

CASES = [
    Decimal("12.34"),
    Decimal("0.00"),
    Decimal("-0.00"),  # a negative zero keeps its sign
    Decimal("-5.10"),
    Decimal("99999999999999.99"),
    Decimal("123456789012345678901.00"),  # past 2^62 units: kept beside the array
    None,
]


@pytest.mark.parametrize("value", CASES, ids=[repr(value) for value in CASES])
def test_it_reads_back_a_decimal_as_it_was_written(value: Decimal | None) -> None:
    store = ColumnStore(["revenue_month", "uscc"], {"revenue_month": 2})
    row = store.row(store.append({"revenue_month": value, "uscc": "91420115MA4K0000X1"}))
    read = row["revenue_month"]
    assert read == value
    assert str(read) == str(value)
    assert row["uscc"] == "91420115MA4K0000X1"


def test_it_tells_an_empty_cell_from_a_cell_that_failed() -> None:
    store = ColumnStore(["revenue_month", "output_month", "name"], {"revenue_month": 2, "output_month": 2})
    # The parse of output_month failed: the row has no key for it; revenue_month was empty.
    row = store.row(store.append({"revenue_month": None, "name": "甲"}))
    assert "revenue_month" in row and row["revenue_month"] is None
    assert "output_month" not in row
    assert row.get("output_month", "none") == "none"
    with pytest.raises(KeyError):
        row["output_month"]
    assert list(row) == ["revenue_month", "name"]
    assert dict(row) == {"revenue_month": None, "name": "甲"}
    assert len(row) == 2


def test_a_value_set_later_keeps_its_own_exponent_and_a_new_key_its_place() -> None:
    store = ColumnStore(["revenue_month"], {"revenue_month": 2})
    first = store.row(store.append({"revenue_month": Decimal("1.00")}))
    second = store.row(store.append({"revenue_month": Decimal("2.00")}))
    second["revenue_month"] = Decimal("1.5")  # one place, not the column's two
    assert str(second["revenue_month"]) == "1.5"
    second["revenue_month"] = Decimal("1.50")
    assert str(second["revenue_month"]) == "1.50"
    second["industry"] = "C3976"
    assert dict(second) == {"revenue_month": Decimal("1.50"), "industry": "C3976"}
    assert dict(first) == {"revenue_month": Decimal("1.00")}
    del second["industry"]
    assert "industry" not in second


def test_a_record_kept_in_the_columns_reads_and_replaces_its_values_like_a_dict() -> None:
    store = ColumnStore(["uscc", "period", "revenue_month"], {"revenue_month": 2})
    record = Record(7, {"uscc": "X", "period": "2025-03", "revenue_month": Decimal("3.20")})
    record.keep_in(store)
    assert record.values == {"uscc": "X", "period": "2025-03", "revenue_month": Decimal("3.20")}
    # A repeat keeps only its key columns.
    record.values = {name: value for name, value in record.values.items() if name in {"uscc", "period"}}
    assert dict(record.values) == {"uscc": "X", "period": "2025-03"}
    assert record.values.get("revenue_month") is None
    assert store.rows == 1
