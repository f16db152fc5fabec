"""The indicator catalogue of the installed policy pack, loaded once per content of the pack.

Everything that needs an indicator definition (the engine, pages, the API, targets) asks here, so the
catalogue is read one way. `month_comparable` says whether a month value (1–本月累计 or month end) can
stand next to year values: stocks and ratios can, year-to-date sums cannot."""

from __future__ import annotations

from yuanqu.core.language import localised
from yuanqu.core.pack import PolicyPack, installed_pack
from yuanqu.indicators.pack import INDICATORS, Indicator, IndicatorCatalogue

STOCK_SOURCES = frozenset({"enterprises", "land", "parks"})


def policy_pack() -> PolicyPack:
    """The installed pack (loaded once per content of its files, `yuanqu.core.pack.installed_pack`)."""
    return installed_pack()


def indicator_catalogue() -> IndicatorCatalogue:
    """The indicator section of the installed pack: class sets, indicators, the reporting rule."""
    return policy_pack().section(INDICATORS)


def indicators() -> tuple[Indicator, ...]:
    return indicator_catalogue().indicators


def indicator(code: str) -> Indicator:
    """The catalogue entry; KeyError when the pack has no such indicator."""
    return indicator_catalogue().indicator(code)


def in_dependency_order(items: tuple[Indicator, ...]) -> list[Indicator]:
    """Indicators read by other indicators (source: indicator) come before their readers."""
    by_code = {item.code: item for item in items}
    ordered: list[Indicator] = []
    seen: set[str] = set()

    def visit(item: Indicator) -> None:
        if item.code in seen:
            return
        seen.add(item.code)
        for code in item.depends_on:
            if code in by_code:
                visit(by_code[code])
        ordered.append(item)

    for item in items:
        visit(item)
    return ordered


def month_comparable(item: Indicator) -> bool:
    """Whether a month value compares with year values (a stock or a ratio, not a running sum)."""
    if item.external:
        return False
    if item.sources <= STOCK_SOURCES:
        return True
    if any(term.source == "indicator" for term in item.terms):
        return False
    return item.formula is not None and "/" in item.formula.text


def display_name(item: Indicator) -> str:
    """The indicator's name in the active language: the pack's English name (name_en) on an English
    page when the pack has one, the Chinese name otherwise."""
    return localised(item.name, item.name_en)
