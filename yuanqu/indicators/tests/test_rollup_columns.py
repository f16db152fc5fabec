"""The roll-up's formula over all scopes at once gives, digit for digit, what evaluating scope by
scope gives (`Indicator.evaluate`): every formula of the catalogue over figures with zeros (a
division by zero is no value, for that scope alone), negatives, figures beyond 64 bits and 28-digit
ones, where decimal arithmetic rounds; and a block of values writes the JSON that `json.dumps`
writes, in COPY's text format where PostgreSQL reads it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

from yuanqu.indicators.catalogue import indicator_catalogue
from yuanqu.indicators.engine.rollup import ValueBlock, evaluate_columns, terms_template
from yuanqu.indicators.engine.storage import VALUE_PLACES, copy_field, lineage_text
from yuanqu.indicators.pack import Formula, Indicator

FIGURES = [
    Decimal(0),
    Decimal("1.25"),
    Decimal("-7.5"),
    Decimal("0.000001"),
    Decimal("9" * 13 + ".123456"),  # beyond int64 once scaled to an integer (10**6 units)
    Decimal("1234567.890123456789012345678"),  # 28 digits: the context's precision, where arithmetic rounds
    Decimal("3"),
    Decimal("-0.3333333333333333333333333333"),
]


def columns_for(item: Indicator) -> list[list[Decimal]]:
    """Every term a column over the figures, each term shifted so that the scopes mix them (and
    every term is zero in some scope, so that each divisor is)."""
    count = len(FIGURES)
    return [[FIGURES[(scope + shift) % count] for scope in range(count)] for shift in range(len(item.terms))]


def one_by_one(item: Indicator, columns: list[list[Decimal]]) -> list[Decimal | None]:
    names = [term.name for term in item.terms]
    values = [item.evaluate(dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]
    return [None if value is None else value.quantize(VALUE_PLACES) for value in values]


def computed_indicators() -> list[Indicator]:
    return [item for item in indicator_catalogue().indicators if not item.external and item.formula is not None]


def test_every_formula_of_the_catalogue_gives_the_digits_of_scope_by_scope_evaluation() -> None:
    items = computed_indicators()
    assert len(items) > 20
    divided = 0
    for item in items:
        columns = columns_for(item)
        expected = one_by_one(item, columns)
        assert evaluate_columns(item, columns, len(FIGURES)) == expected, item.code
        divided += expected.count(None)
    assert divided  # some scopes divided by zero: those have no value


@pytest.mark.parametrize(
    "formula",
    ["a / (b - c) * 100", "-(a + b) / c", "a * b * c / 3", "(a - a) / (c - c)", "a / 0", "2 / 4", "a - b - c"],
)
def test_a_formula_over_columns_is_scope_by_scope_evaluation(formula: str) -> None:
    base = next(item for item in computed_indicators() if len(item.terms) >= 1)
    term = base.terms[0]
    item = dataclasses.replace(
        base,
        formula=Formula.parse(formula),
        terms=tuple(dataclasses.replace(term, name=name) for name in ("a", "b", "c")),
    )
    columns = columns_for(item)
    found = evaluate_columns(item, columns, len(FIGURES))
    assert found == one_by_one(item, columns)
    if formula in ("a / 0", "(a - a) / (c - c)"):
        assert found == [None] * len(FIGURES)
    if formula == "2 / 4":
        assert found == [Decimal("0.5").quantize(VALUE_PLACES)] * len(FIGURES)


def test_a_value_block_writes_the_json_and_the_copy_text_of_its_values() -> None:
    names = ("营业收入", "b")  # a name outside ASCII: `json.dumps` escapes it, COPY escapes the backslash
    now = dt.datetime(2026, 12, 4, 1, 2, 3, tzinfo=dt.UTC)
    template = terms_template(names)
    texts: list[tuple[str, ...]] = [("12.5", "0"), ("-3", "99999999999999999999.123456")]
    block = ValueBlock(
        indicator="revenue",
        frequency="year",
        period=dt.date(2024, 12, 31),
        computed_at=now,
        term_names=names,
        scopes=[("park", "P\t1"), ("city", "city")],
        values=[Decimal("12.500000"), None],
        term_texts=texts,
        terms=[template % row for row in texts],
        lineage=[lineage_text({3, 1, 20}), lineage_text(())],
        batches=[{3, 1, 20}, set()],
        ids={("park", "P\t1"): (7, 2), ("city", "city"): (None, None)},
    )
    rows = list(block.rows())
    assert [json.loads(row[8]) for row in rows] == [dict(zip(names, row, strict=True)) for row in texts]
    assert [row[8] for row in rows] == [json.dumps(dict(zip(names, row, strict=True))) for row in texts]
    assert [row[9] for row in rows] == [json.dumps([1, 3, 20]), json.dumps([])]
    lines = list(block.copy_lines())
    # each line is the fields as psycopg's write_row sends them, one by one
    for line, row in zip(lines, rows, strict=True):
        assert line == "\t".join(copy_field(value) for value in row) + "\n"
    assert lines[0].split("\t")[:5] == ["revenue", "park", "P\\t1", "7", "2"]
    assert "\\\\u8425" in lines[0]  # the escaped name's backslash, doubled for COPY
    assert lines[1].split("\t")[3:5] == ["\\N", "\\N"]
    assert [value.value for value in block] == [Decimal("12.500000"), None]
    assert [value.batch_ids for value in block] == [[1, 3, 20], []]
    assert [value.terms for value in block] == [dict(zip(names, row, strict=True)) for row in texts]
