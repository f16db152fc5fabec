"""Monthly intensity warnings: a firm's or park's 单位工业增加值能耗 of a month (tce per 万元 of the
month's value added) that jumps against its own previous months or against the same month's firms
of its industry division, by the pack's `monthly_warnings`. A warning asks someone to check the
figures; it changes no account. Pure: no Django.

Who calls this: `energy.selectors` (the park and firm pages, the 工作台 cards)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yuanqu.energy.pack import MonthlyWarnings

OWN, INDUSTRY = "own", "industry"
PLACES = Decimal("0.0001")
# (year, month)
Month = tuple[int, int]


@dataclass(frozen=True, slots=True)
class IntensityWarning:
    year: int
    month: int
    kind: str  # OWN or INDUSTRY
    intensity: Decimal
    reference: Decimal  # the median it is compared with
    count: int  # how many months or firms the median is of
    ratio: Decimal  # intensity ÷ reference, two places

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"


def median(values: Sequence[Decimal]) -> Decimal | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def intensity(energy_tce: Decimal, value_added: Decimal | None) -> Decimal | None:
    if value_added is None or value_added <= 0:
        return None
    return (energy_tce / value_added).quantize(PLACES)


def _months_before(month: Month, count: int) -> list[Month]:
    year, number = month
    found = []
    for _ in range(count):
        number -= 1
        if number == 0:
            year, number = year - 1, 12
        found.append((year, number))
    return found


def _warning(kind: str, month: Month, value: Decimal, reference: Decimal, count: int) -> IntensityWarning:
    ratio = (value / reference).quantize(Decimal("0.01"))
    return IntensityWarning(month[0], month[1], kind, value, reference.quantize(PLACES), count, ratio)


def against_history(series: Mapping[Month, Decimal], month: Month, rule: MonthlyWarnings) -> IntensityWarning | None:
    """The month against the median of the previous months of the same series."""
    value = series.get(month)
    if value is None:
        return None
    history = [series[m] for m in _months_before(month, rule.history_months) if m in series]
    reference = median(history)
    if len(history) < rule.min_history or reference is None or reference <= 0:
        return None
    if value >= reference * rule.own_ratio:
        return _warning(OWN, month, value, reference, len(history))
    return None


def against_industry(
    value: Decimal | None, peers: Sequence[Decimal], month: Month, rule: MonthlyWarnings
) -> IntensityWarning | None:
    """The month against the median of the same month's firms of the industry (the firm among them)."""
    reference = median(peers)
    if value is None or len(peers) < rule.industry_min_firms or reference is None or reference <= 0:
        return None
    if value >= reference * rule.industry_ratio:
        return _warning(INDUSTRY, month, value, reference, len(peers))
    return None
