"""An app hands its table of providers over once (`providers_register`) and stores the figures a
write changed in one call (`provided_refresh_many`): each named figure is replaced by what its
provider says now, and an indicator the pack does not mark `source: provided` is left as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.indicators import providers
from yuanqu.indicators.models import CITY_CODE, IndicatorValue, ScopeKind
from yuanqu.indicators.providers import ProvidedValue, provided_refresh_many, provided_values, providers_register

SELECTED = "famous_parks_selected"  # provided in the shipped pack
START_RATIO = "land_start_price_ratio"  # provided in the shipped pack
TYPED_IN = "tax_per_mu"  # not provided: the engine computes it
END_2025 = dt.date(2025, 12, 31)


def _city(value: str) -> list[ProvidedValue]:
    return [ProvidedValue(ScopeKind.CITY, CITY_CODE, END_2025, Decimal(value), terms={"n": value})]


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> dict[str, providers.Provider]:
    monkeypatch.setattr(providers, "_PROVIDERS", {})
    return {SELECTED: lambda: _city("7"), START_RATIO: lambda: _city("0.85"), TYPED_IN: lambda: _city("1")}


def test_it_registers_every_provider_of_the_table(table: dict[str, providers.Provider]) -> None:
    providers_register(table)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert [(row.indicator, row.value, row.terms) for row in provided_values(SELECTED, now)] == [
        (SELECTED, Decimal("7"), {"n": "7"})
    ]
    assert [row.value for row in provided_values(START_RATIO, now)] == [Decimal("0.85")]
    assert provided_values("not_registered", now) == []


@pytest.mark.django_db
def test_it_stores_each_named_figure_anew_and_leaves_the_others(table: dict[str, providers.Provider]) -> None:
    providers_register(table)
    for code, value in ((SELECTED, 3), (TYPED_IN, 42)):
        IndicatorValue.objects.create(
            indicator=code,
            scope_kind=ScopeKind.CITY,
            scope_code=CITY_CODE,
            frequency="year",
            period=END_2025,
            value=Decimal(value),
            computed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )

    provided_refresh_many(SELECTED, START_RATIO, TYPED_IN)

    stored = {row.indicator: row.value for row in IndicatorValue.objects.filter(scope_code=CITY_CODE)}
    assert stored == {SELECTED: Decimal("7"), START_RATIO: Decimal("0.85"), TYPED_IN: Decimal(42)}
