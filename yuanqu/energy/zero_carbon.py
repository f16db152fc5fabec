"""A park's standing against the pack's 零碳园区 indicator set: for each indicator its value, its
threshold, whether it is met and the gap. Pure: no Django.

The core indicator (单位能耗碳排放) has a threshold per band of annual energy use; a park below every
band is outside the notice's range and its standing says so (not met, not failed). A park qualifies
when every indicator has a value and meets its threshold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from yuanqu.energy.pack import EnergyConfig, ZeroCarbonRule

NOTE_NO_VALUE = "缺少数据"
NOTE_OUT_OF_RANGE = "年综合能耗{tce}吨标准煤，不在通知的适用范围内（{low}吨标准煤起）"


@dataclass(frozen=True)
class Standing:
    indicator: str
    name: str
    core: bool
    value: Decimal | None
    threshold: Decimal | None
    at_most: bool  # the value must be at most the threshold (else at least)
    met: bool | None  # None: no value, or outside the range of the core indicator
    gap: Decimal | None  # how far from the threshold, in the indicator's unit (0 when met)
    note: str = ""


def _rule_standing(rule: ZeroCarbonRule, value: Decimal | None, energy_tce: Decimal | None) -> Standing:
    if rule.bands:
        tce = energy_tce or Decimal(0)
        band = next(
            (b for b in rule.bands if b.min_tce <= tce and (b.max_tce is None or tce < b.max_tce)),
            None,
        )
        if band is None:
            low = min(b.min_tce for b in rule.bands)
            note = NOTE_OUT_OF_RANGE.format(tce=f"{tce:.0f}", low=f"{low:.0f}")
            return Standing(rule.indicator, rule.name, rule.core, value, None, True, None, None, note)
        threshold: Decimal | None = band.threshold
        at_most = True
    else:
        threshold, at_most = rule.minimum, False
    if value is None or threshold is None:
        return Standing(rule.indicator, rule.name, rule.core, value, threshold, at_most, None, None, NOTE_NO_VALUE)
    met = value <= threshold if at_most else value >= threshold
    gap = Decimal(0) if met else abs(value - threshold)
    return Standing(rule.indicator, rule.name, rule.core, value, threshold, at_most, met, gap)


def standing(config: EnergyConfig, figures: Mapping[str, Decimal | None]) -> list[Standing]:
    """Each indicator of the pack's set against the park's figures (keys: the indicator codes and
    `energy_tce`)."""
    energy = figures.get("energy_tce")
    return [_rule_standing(rule, figures.get(rule.indicator), energy) for rule in config.zero_carbon]


def qualifies(standings: list[Standing]) -> bool:
    return bool(standings) and all(item.met is True for item in standings)
