"""The indicator catalogue of the installed policy pack, loaded once per content of the pack.

Everything that needs an indicator definition (the engine, pages, the API, targets) asks here, so the
catalogue is read one way. `month_comparable` says whether a month value (1–本月累计 or month end) can
stand next to year values: stocks and ratios can, year-to-date sums cannot."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from yuanqu.core.language import localised
from yuanqu.core.policy_pack import Indicator, PolicyPack, load_pack

STOCK_SOURCES = frozenset({"enterprises", "land", "parks"})


@lru_cache(maxsize=4)
def _load(path: str, fingerprint: tuple[tuple[str, int, int], ...]) -> PolicyPack:
    return load_pack(Path(path))


def _fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of each pack file: a few stat calls per page instead of
    hashing every file, and still a fresh load as soon as a file of the pack changes."""
    files = sorted(item for item in path.iterdir() if item.is_file())
    return tuple((item.name, item.stat().st_mtime_ns, item.stat().st_size) for item in files)


def policy_pack() -> PolicyPack:
    path = Path(settings.POLICY_PACK_DIR)
    return _load(str(path), _fingerprint(path))


def indicators() -> tuple[Indicator, ...]:
    return policy_pack().indicators


def indicator(code: str) -> Indicator:
    """The catalogue entry; KeyError when the pack has no such indicator."""
    return policy_pack().indicator(code)


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
    if item.reported:
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
