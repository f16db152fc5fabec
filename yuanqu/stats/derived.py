"""Annual enterprise measures that an app above the statistics keeps, offered to the readers below
it: the energy app's CO₂ emissions (from its carbon accounts) for the 亩均 grading, which reads
annual measures by code and may not import the energy app (same layer). An app registers its
measures in its `AppConfig.ready()`; a reader asks `derived_measures()` at run time.

Who calls this: `yuanqu.energy.apps` (registers), `yuanqu.evaluation` (the pack's check of the
亩均 indicators' measures, and the grading's read of them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DerivedMeasure:
    code: str
    name: str
    unit: str
    # (year, enterprise ids) → the value of each enterprise that has one.
    read: Callable[[int, Sequence[int]], dict[int, Decimal]]


_DERIVED: dict[str, DerivedMeasure] = {}


def derived_measure_register(measure: DerivedMeasure) -> None:
    known = _DERIVED.get(measure.code)
    if known is not None and known != measure:
        raise ValueError(f"derived measure {measure.code!r} is registered twice")
    _DERIVED[measure.code] = measure


def derived_measures() -> dict[str, DerivedMeasure]:
    return dict(_DERIVED)
