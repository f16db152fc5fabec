"""Tolerant header matching and unit conversion. Pure: no Django.

A header such as “营业收入 · 1-本月累计（亿元）” or “營業收入累计(元)” is reduced to a key
(`fold`) that ignores width, spaces, separators and annotations in brackets, and its unit is read from
the brackets. `HeaderMatcher` maps folded names (the template header and its known synonyms) to
column keys; `unit_factor` says how to bring a value in the header's unit to the column's unit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Units a column may be given in, by the unit the platform stores: factor to multiply by.
UNIT_FACTORS: dict[str, dict[str, Decimal]] = {
    "万元": {
        "元": Decimal("0.0001"),
        "千元": Decimal("0.1"),
        "万元": Decimal(1),
        "百万元": Decimal(100),
        "亿元": Decimal(10000),
    },
    "吨标准煤": {"吨标准煤": Decimal(1), "吨标煤": Decimal(1), "tce": Decimal(1), "万吨标准煤": Decimal(10000)},
    "亩": {"亩": Decimal(1), "公顷": Decimal(15), "平方公里": Decimal(1500), "平方米": Decimal(3) / Decimal(2000)},
    "平方公里": {"平方公里": Decimal(1), "km2": Decimal(1), "公顷": Decimal("0.01"), "亩": Decimal(1) / Decimal(1500)},
    "人": {"人": Decimal(1)},
    "个": {"个": Decimal(1)},
    "种": {"种": Decimal(1)},
    "起": {"起": Decimal(1)},
    "%": {"%": Decimal(1)},
    # Energy carriers (yuanqu.energy): electricity, gas, fuels and water, heat.
    "千瓦时": {"千瓦时": Decimal(1), "万千瓦时": Decimal(10000), "兆瓦时": Decimal(1000), "亿千瓦时": Decimal(10**8)},
    "立方米": {"立方米": Decimal(1), "万立方米": Decimal(10000), "亿立方米": Decimal(10**8)},
    "吨": {"吨": Decimal(1), "万吨": Decimal(10000), "千克": Decimal("0.001")},
    "吉焦": {"吉焦": Decimal(1), "兆焦": Decimal("0.001"), "百万千焦": Decimal(1), "万吉焦": Decimal(10000)},
}
UNIT_SYNONYMS = {
    "人民币元": "元",
    "万元人民币": "万元",
    "吨标准煤当量": "吨标准煤",
    "km²": "km2",
    "平方千米": "平方公里",
    "m2": "平方米",
    "m²": "平方米",
    "ha": "公顷",
    "名": "人",
    "家": "个",
    "项": "个",
    "次": "起",
    "百分比": "%",
    "％": "%",
    "kwh": "千瓦时",
    "kWh": "千瓦时",
    "度": "千瓦时",
    "万kwh": "万千瓦时",
    "万kWh": "万千瓦时",
    "万度": "万千瓦时",
    "mwh": "兆瓦时",
    "MWh": "兆瓦时",
    "m3": "立方米",
    "m³": "立方米",
    "方": "立方米",
    "万m3": "万立方米",
    "万m³": "万立方米",
    "万方": "万立方米",
    "t": "吨",
    "kg": "千克",
    "公斤": "千克",
    "GJ": "吉焦",
    "gj": "吉焦",
    "MJ": "兆焦",
    "mj": "兆焦",
}
KNOWN_UNITS = frozenset(unit for table in UNIT_FACTORS.values() for unit in table) | frozenset(UNIT_SYNONYMS)
# A bracketed note ending like this is a unit even when we cannot convert it (“美元”, “万美元”): it
# must be reported, not dropped as an annotation such as “（当年价格）”.
UNIT_ENDINGS = ("元", "吨", "煤", "亩", "米", "公里", "公顷", "人", "个", "%", "种", "起", "千瓦时", "度", "焦", "方")

_BRACKETS = re.compile(r"[(\[【{<]([^()\[\]【】{}<>]*)[)\]】}>]")
_UNIT_PREFIX = re.compile(r"^(?:单位|计量单位)[:：]?")
# Separators and marks that carry no meaning in a header: middle dots, dashes, slashes, colons,
# the “*” that marks required columns, spaces of every width.
_NOISE = re.compile(r"[\s·•・.\-_—–~/\\:：、|*＊※#№\"'“”‘’]+")


@dataclass(frozen=True)
class HeaderParts:
    text: str  # the header as written
    folded: str  # the comparison key
    unit: str  # the unit found in brackets, canonical, or ""


def fold(text: str) -> str:
    """The comparison key of a name: width-folded, lower-case, without separators."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def canonical_unit(raw: str) -> str:
    unit = _UNIT_PREFIX.sub("", unicodedata.normalize("NFKC", raw).strip()).replace(" ", "")
    return UNIT_SYNONYMS.get(unit, unit)


def split_header(text: str) -> HeaderParts:
    """The folded name and the unit of a header; bracketed notes that are not units are dropped."""
    normal = unicodedata.normalize("NFKC", text).strip()
    unit = ""
    for match in _BRACKETS.finditer(normal):
        candidate = canonical_unit(match.group(1))
        if candidate in KNOWN_UNITS or candidate.endswith(UNIT_ENDINGS) or match.group(1).strip().startswith("单位"):
            unit = candidate
    name = _BRACKETS.sub("", normal)
    # “营业收入/万元” and “营业收入 单位：万元” carry the unit without brackets.
    tail = re.search(r"(?:单位[:：]\s*|/\s*)([^\s/]+)$", name)
    if tail and canonical_unit(tail.group(1)) in KNOWN_UNITS:
        unit = canonical_unit(tail.group(1))
        name = name[: tail.start()]
    return HeaderParts(text=text, folded=fold(name), unit=unit)


def unit_factor(column_unit: str, given: str) -> Decimal | None:
    """The factor from the header's unit to the column's; None when the unit cannot be converted.
    A header without a unit is taken to be in the column's unit."""
    if not given or given == column_unit:
        return Decimal(1)
    return UNIT_FACTORS.get(column_unit, {}).get(given)


class HeaderMatcher:
    """Folded names → column keys. Built once per kind from the template headers and synonyms."""

    def __init__(self, names: Iterable[tuple[str, str]], ignored: Iterable[str] = ()) -> None:
        self._keys: dict[str, str] = {}
        for key, name in names:
            folded = fold(name)
            previous = self._keys.setdefault(folded, key)
            if previous != key:
                raise ValueError(f"header {name!r} is claimed by {previous} and {key}")
        self._ignored = frozenset(fold(name) for name in ignored)

    def match(self, header: str) -> str | None:
        return self._keys.get(split_header(header).folded)

    def ignored(self, header: str) -> bool:
        return split_header(header).folded in self._ignored
