"""The factors section of the policy pack (factors.yaml): the rules of 用地保障 — the share of the
基准地价 below which a start price is flagged (70%), the supply methods that count as 弹性供地, the
longest term of each method — and the 基准地价 table (per district, land grade and year, with its
source) that a land sale is checked against. Read through the pack's one reader
(`yuanqu.core.pack`); the district codes are checked against the pack's district table.

Who calls this: `factors.config` (the installed pack's section, for the services and pages). Pure
Python."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from yuanqu.core.pack import LineMap, Obj, Section, SectionContext, Source, register

FACTORS_FILE = "factors.yaml"
# The supply methods the platform knows (registry.LandParcel.SupplyMethod less 划拨, which is not a sale).
METHOD_CODES = ("transfer", "flexible_term", "long_lease", "lease_and_transfer", "lease_then_transfer")

FLOOR_RANGE = "“start_price_floor”应为0与1之间的比例（0.7 即70%），实际为{value}"
METHOD_UNKNOWN = "“{key}”中的“{value}”不是供地方式，应为：{allowed}"
TERM_MISSING = "“max_term_years”缺少供地方式“{value}”的最长年期"
DISTRICT_UNKNOWN = "基准地价表中的区“{value}”不在政策包的区名单中"
TABLE_REPEATED = "区“{district}”{year}年的基准地价表重复（第{line}行已有）"
PRICES_EMPTY = "区“{district}”{year}年的基准地价表“prices”应为按土地等别排列的正数列表"


@dataclass(frozen=True, slots=True)
class BasePrice:
    """The 基准地价 of one land grade in a district's table of one year."""

    district: str
    grade: int
    year: int
    yuan_per_m2: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class LandRules:
    start_price_floor: Decimal  # a fraction: 0.7
    floor_source: str
    flexible_methods: tuple[str, ...]
    max_term_years: dict[str, int]
    # (district, year) → prices by grade (grade 1 first)
    tables: dict[tuple[str, int], tuple[Decimal, ...]]
    price_source: str
    prices_illustrative: bool

    def base_price(self, district: str, grade: int, on: dt.date) -> BasePrice | None:
        """The 基准地价 in force on a day: the district's latest table published in or before that
        day's year, at the grade; None when there is none."""
        years = [year for (code, year) in self.tables if code == district and year <= on.year]
        if not years:
            return None
        year = max(years)
        prices = self.tables[(district, year)]
        if not 1 <= grade <= len(prices):
            return None
        return BasePrice(district, grade, year, prices[grade - 1], self.price_source)

    def grades(self, district: str) -> int:
        return max((len(prices) for (code, _y), prices in self.tables.items() if code == district), default=0)


@dataclass(frozen=True, slots=True)
class FactorsConfig:
    source: str
    land: LandRules


def _district_codes(ctx: SectionContext) -> frozenset[str] | None:
    if ctx.head is None or not ctx.head.districts:
        return None
    try:
        with (ctx.path / ctx.head.districts).open(encoding="utf-8", newline="") as handle:
            return frozenset(row["code"].strip() for row in csv.DictReader(handle) if row.get("code"))
    except (OSError, KeyError, UnicodeDecodeError):
        return None  # the head's own check reports a broken district table


def _methods(obj: Obj, key: str) -> tuple[str, ...]:
    values = obj.texts(key)
    for value in values:
        if value not in METHOD_CODES:
            obj.problem(key, METHOD_UNKNOWN.format(key=key, value=value, allowed="、".join(METHOD_CODES)))
    return tuple(value for value in values if value in METHOD_CODES)


def _read_tables(
    src: Source, data: LineMap | None, districts: frozenset[str] | None
) -> tuple[dict[tuple[str, int], tuple[Decimal, ...]], str, bool]:
    if data is None:
        return {}, "", False
    obj = Obj(src, data, "基准地价", ("source", "tables"), ("illustrative",))
    tables: dict[tuple[str, int], tuple[Decimal, ...]] = {}
    lines: dict[tuple[str, int], int] = {}
    for item in obj.objects("tables"):
        table = Obj(src, item, f"基准地价表“{item.get('district', '?')}”", ("district", "year", "prices"))
        district = table.text("district")
        year = table.integer("year", minimum=1990)
        if districts is not None and district and district not in districts:
            table.problem("district", DISTRICT_UNKNOWN.format(value=district))
        prices: list[Decimal] = []
        for value in table.seq("prices"):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                prices = []
                break
            prices.append(Decimal(str(value)))
        if not prices:
            table.problem("prices", PRICES_EMPTY.format(district=district, year=year))
        key = (district, year)
        if key in lines:
            table.problem("district", TABLE_REPEATED.format(district=district, year=year, line=lines[key]))
        lines.setdefault(key, table.line("district"))
        tables[key] = tuple(prices)
    return tables, obj.text("source"), obj.boolean("illustrative")


def _read_land(src: Source, data: LineMap | None, districts: frozenset[str] | None) -> LandRules:
    empty = LandRules(Decimal("0.7"), "", (), {}, {}, "", False)
    if data is None:
        return empty
    obj = Obj(
        src,
        data,
        "用地保障",
        ("start_price_floor", "floor_source", "flexible_methods", "max_term_years", "base_prices"),
    )
    floor = obj.number("start_price_floor")
    if not 0 < floor < 1:
        obj.problem("start_price_floor", FLOOR_RANGE.format(value=floor))
    terms: dict[str, int] = {}
    term_data = obj.mapping("max_term_years")
    if term_data is not None:
        term_obj = Obj(src, term_data, "最长年期", (), METHOD_CODES)
        for method in METHOD_CODES:
            if method not in term_data:
                obj.problem("max_term_years", TERM_MISSING.format(value=method))
            else:
                terms[method] = term_obj.integer(method, minimum=1)
    tables, source, illustrative = _read_tables(src, obj.mapping("base_prices"), districts)
    return LandRules(
        start_price_floor=Decimal(str(floor)),
        floor_source=obj.text("floor_source"),
        flexible_methods=_methods(obj, "flexible_methods"),
        max_term_years=terms,
        tables=tables,
        price_source=source,
        prices_illustrative=illustrative,
    )


def _read(ctx: SectionContext) -> FactorsConfig | None:
    top = ctx.top(FACTORS_FILE, ("source", "land"))
    if top is None:
        return None
    src = ctx.source(FACTORS_FILE)
    return FactorsConfig(source=top.text("source"), land=_read_land(src, top.mapping("land"), _district_codes(ctx)))


FACTORS: Section[FactorsConfig] = register(Section("factors", (FACTORS_FILE,), _read))
