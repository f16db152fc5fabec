"""Indicators whose values an app above the engine hands over (`source: provided` in
indicators.yaml): the app registers a provider for the indicator's code in its `AppConfig.ready()`,
and the engine imports none of them (DESIGN.md, "figures flow through the indicator catalogue").

A provider returns the indicator's values now (scope, period, value); the engine's full recompute
stores them with every other indicator, and the app calls `provided_refresh` after a write that
changes them, so the targets board reads them at once. Today: the factors app provides the number of
产业名园 selected, the awards granted per park and the lowest land start price as a share of the
基准地价; the energy app its carbon figures, annual and monthly (a monthly value is 1–本月累计, as the
catalogue's other monthly values are)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.core.readcache import data_version_bump
from yuanqu.indicators.catalogue import indicator
from yuanqu.indicators.engine.rollup import ValueRow, insert_values
from yuanqu.indicators.models import Frequency, IndicatorValue


@dataclass(frozen=True, slots=True)
class ProvidedValue:
    scope_kind: str
    scope_code: str
    period: dt.date  # the year's last day, or the month's for a monthly value
    value: Decimal | None
    park_id: int | None = None
    district_id: int | None = None
    # Lineage, where the provider has it: the value's terms (name → decimal text) and the import
    # batches of the rows behind it.
    terms: dict[str, str] = field(default_factory=dict)
    batch_ids: tuple[int, ...] = ()
    frequency: str = Frequency.YEAR


Provider = Callable[[], list[ProvidedValue]]
_PROVIDERS: dict[str, Provider] = {}


def provider_register(code: str, provider: Provider) -> None:
    _PROVIDERS[code] = provider


def providers_register(providers: Mapping[str, Provider]) -> None:
    """Register an app's table of providers (code → provider, its `figures.PROVIDERS`)."""
    for code, provider in providers.items():
        provider_register(code, provider)


def provided_values(code: str, now: dt.datetime) -> list[ValueRow]:
    provider = _PROVIDERS.get(code)
    if provider is None:
        return []
    return [
        ValueRow(
            indicator=code,
            scope_kind=row.scope_kind,
            scope_code=row.scope_code,
            park_id=row.park_id,
            district_id=row.district_id,
            frequency=row.frequency,
            period=row.period,
            value=row.value,
            terms=dict(row.terms),
            batch_ids=list(row.batch_ids),
            reported=False,
            computed_at=now,
        )
        for row in provider()
    ]


@transaction.atomic
def provided_refresh(code: str) -> int:
    """Store the indicator's values anew from its provider; nothing when the pack's catalogue does not
    mark it `source: provided` (another city's pack may type it in). Answers the values stored."""
    try:
        item = indicator(code)
    except KeyError:
        return 0
    if not item.provided:
        return 0
    IndicatorValue.objects.filter(indicator=code).delete()
    values = provided_values(code, timezone.now())
    insert_values(values)
    data_version_bump()  # a one-statement delete and a bulk insert send no signals
    return len(values)


def provided_refresh_many(*codes: str) -> None:
    """Store each named indicator anew (each in a transaction of its own, as `provided_refresh`)."""
    for code in codes:
        provided_refresh(code)
