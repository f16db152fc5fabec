"""Reads of the energy data and the carbon accounts, always within the reader's scope
(`visible_to`): the city overview of parks with their 零碳 standing and the accounts by industry
chain, one park's carbon account (mix by carrier, scope split, intensity trend, top emitters, 零碳
standing, monthly intensity warnings), the green-manufacturing lists and the parks' green levels of a
year, one firm's energy page, the cockpit's 能碳 panel and what
the 工作台 cards show.

Who calls this: energy views, cards and API, and the cockpit (dashboard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.core.permissions import has_role
from yuanqu.core.roles import Role
from yuanqu.energy import intensity, zero_carbon
from yuanqu.energy.accounting import method_of
from yuanqu.energy.measures import FUELS
from yuanqu.energy.models import CarbonAccount, EnergyAnnual, EnergyMonthly, ParkResourceAnnual
from yuanqu.energy.rules import config
from yuanqu.registry.models import (
    ChainNode,
    Enterprise,
    EnterpriseLabel,
    IndustryChain,
    LabelKind,
    LabelLevel,
    Park,
    ParkVersion,
    product_names,
)
from yuanqu.registry.selectors import park_states_on, with_state_on
from yuanqu.stats.models import ParkAnnualStat

Level = CarbonAccount.Level
# Roles that read a park's carbon account: the park's staff, its district, the city.
PARK_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
FUEL_NAMES = {
    "electricity": "电力",
    "natural_gas": "天然气",
    "raw_coal": "原煤",
    "washed_coal": "洗精煤",
    "coke": "焦炭",
    "fuel_oil": "燃料油",
    "diesel": "柴油",
    "heat": "热力",
}
TOP_EMITTERS = 10


def accounts(user: User | Any) -> QuerySet[CarbonAccount]:
    return CarbonAccount.objects.visible_to(user).select_related("enterprise", "park", "district")


def latest_year(user: User | Any) -> int | None:
    year: int | None = accounts(user).filter(month=0).aggregate(year=Max("year"))["year"]
    return year


def carbon_park(user: User | Any, code: str) -> Park:
    """The park whose carbon account the user may read; 404 otherwise (a firm's user, a handler or
    an auditor reads no park's account, exactly as if it did not exist)."""
    if not has_role(user, PARK_READERS):
        raise Http404("对象不存在或不在您的权限范围内")
    park = Park.objects.visible_to(user).filter(code=code).select_related("district").first()
    if park is None:
        raise Http404("对象不存在或不在您的权限范围内")
    return park


def _ratio_percent(top: Decimal | None, bottom: Decimal | None) -> Decimal | None:
    if top is None or bottom is None or bottom <= 0:
        return None
    return (Decimal(top) / Decimal(bottom) * 100).quantize(Decimal("0.01"))


_UNREAD = ParkResourceAnnual()  # a sentinel: park_figures reads the park's resources itself


def park_figures(
    park: Park, account: CarbonAccount | None, year: int, resources: ParkResourceAnnual | None = _UNREAD
) -> dict[str, Decimal | None]:
    """The figures the 零碳 indicators test, for one park and year (`resources`: the park's resource
    row of the year when the caller read them for many parks at once; None when it has none)."""
    if resources is _UNREAD:
        resources = ParkResourceAnnual.objects.filter(park=park, year=year).first()
    figures: dict[str, Decimal | None] = {
        "energy_tce": account.energy_tce if account else None,
        "co2_per_tce": account.co2_per_tce if account else None,
        "clean_share": account.clean_share if account else None,
        "renewable_share": account.renewable_share if account else None,
        "solid_waste_utilisation": None,
        "water_recycling": None,
        "water_reuse": None,
    }
    if resources is not None:
        figures["solid_waste_utilisation"] = _ratio_percent(
            resources.solid_waste_utilised_t, resources.solid_waste_generated_t
        )
        figures["water_recycling"] = _ratio_percent(resources.wastewater_recycled_t, resources.wastewater_t)
        # 工业用水重复利用率 = 重复利用水量 ÷ (重复利用水量 + 取用新水量): the park's recycled wastewater
        # against it plus its firms' water use (用水量, the new water they take).
        if resources.wastewater_recycled_t is not None and account is not None:
            figures["water_reuse"] = _ratio_percent(
                resources.wastewater_recycled_t, resources.wastewater_recycled_t + account.water_t
            )
    return figures


@dataclass
class ParkCarbon:
    park: Park
    year: int | None
    account: CarbonAccount | None
    trend: list[CarbonAccount]
    months: list[CarbonAccount]
    top: list[CarbonAccount]
    mix: list[dict[str, Any]]
    standings: list[zero_carbon.Standing]
    qualifies: bool
    reported_renewable_share: Decimal | None
    figures: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def month_trend(self) -> list[MonthPoint]:
        """The year's months with their 1–本月累计 (the catalogue's monthly values)."""
        points: list[MonthPoint] = []
        energy, co2 = Decimal(0), Decimal(0)
        for row in self.months:
            energy += row.energy_tce
            co2 += row.co2_t
            points.append(MonthPoint(row, energy, co2))
        return points


@dataclass(frozen=True)
class MonthPoint:
    """A month of a park's account, with the year's sums up to it."""

    account: CarbonAccount
    energy_to_date: Decimal
    co2_to_date: Decimal

    @property
    def co2_per_tce_to_date(self) -> Decimal | None:
        return _quotient(self.co2_to_date, self.energy_to_date)


def park_carbon(user: User | Any, park: Park, year: int | None) -> ParkCarbon:
    rows = accounts(user).filter(level=Level.PARK, park=park)
    trend = list(rows.filter(month=0).order_by("year"))
    if year is None and trend:
        year = trend[-1].year
    account = next((row for row in trend if row.year == year), None)
    months = list(rows.filter(year=year or 0).exclude(month=0).order_by("month"))
    top = list(
        accounts(user)
        .filter(level=Level.ENTERPRISE, park=park, year=year or 0, month=0)
        .order_by("-co2_t", "enterprise__name")[:TOP_EMITTERS]
    )
    mix = []
    if account is not None:
        for fuel in FUELS:
            figures = account.by_fuel.get(fuel)
            if figures:
                mix.append(
                    {
                        "fuel": fuel,
                        "name": FUEL_NAMES[fuel],
                        "tce": Decimal(figures["tce"]),
                        "co2": Decimal(figures["co2"]),
                    }
                )
    figures = park_figures(park, account, year or 0)
    standings = zero_carbon.standing(config(), figures)
    stat = ParkAnnualStat.objects.filter(park=park, year=year or 0).first()
    return ParkCarbon(
        park=park,
        year=year,
        account=account,
        trend=trend,
        months=months,
        top=top,
        mix=mix,
        standings=standings,
        qualifies=zero_carbon.qualifies(standings),
        reported_renewable_share=stat.renewable_share if stat else None,
        figures=figures,
    )


@dataclass
class ParkRow:
    park: Park
    account: CarbonAccount
    standings: list[zero_carbon.Standing]
    qualifies: bool


def parks_overview(user: User | Any, year: int) -> list[ParkRow]:
    """Every park account of the year the user may see, with its 零碳 standing; best first."""
    return _park_rows(accounts(user).filter(level=Level.PARK, year=year, month=0).order_by("park__code"), year)


def _park_rows(park_accounts: QuerySet[CarbonAccount], year: int) -> list[ParkRow]:
    """The park accounts of one year with their 零碳 standing, in three queries however many parks."""
    settings = config()
    found = list(park_accounts)
    resources = {
        row.park_id: row for row in ParkResourceAnnual.objects.filter(year=year, park_id__in=[a.park_id for a in found])
    }
    rows = []
    for account in found:
        assert account.park is not None
        figures = park_figures(account.park, account, year, resources.get(account.park.pk))
        standings = zero_carbon.standing(settings, figures)
        rows.append(ParkRow(account.park, account, standings, zero_carbon.qualifies(standings)))
    return rows


def park_latest(user: User | Any, park: Park) -> ParkRow | None:
    """The park's account of its latest year with its 零碳 standing, in two queries: the 一园一档
    page's 能碳 card (dashboard). None without an account the user may read."""
    account = accounts(user).filter(level=Level.PARK, park=park, month=0).order_by("-year").first()
    if account is None:
        return None
    standings = zero_carbon.standing(config(), park_figures(park, account, account.year))
    return ParkRow(park, account, standings, zero_carbon.qualifies(standings))


def carbon_enterprise(user: User | Any, uscc: str) -> Enterprise:
    """The firm whose energy page the user may read (its own for a firm's user); 404 otherwise."""
    firm = Enterprise.objects.visible_to(user).filter(uscc=uscc).select_related("park", "district").first()
    if firm is None:
        raise Http404("对象不存在或不在您的权限范围内")
    return firm


@dataclass
class FirmEnergy:
    enterprise: Enterprise
    years: list[CarbonAccount]
    months: list[CarbonAccount]
    annual_rows: list[EnergyAnnual]
    monthly_rows: list[EnergyMonthly]


def firm_energy(user: User | Any, firm: Enterprise) -> FirmEnergy:
    rows = accounts(user).filter(level=Level.ENTERPRISE, enterprise=firm)
    return FirmEnergy(
        enterprise=firm,
        years=list(rows.filter(month=0).order_by("-year")),
        months=list(rows.exclude(month=0).order_by("-year", "-month")[:36]),
        annual_rows=list(EnergyAnnual.objects.visible_to(user).filter(enterprise=firm).order_by("-year")),
        monthly_rows=list(EnergyMonthly.objects.visible_to(user).filter(enterprise=firm).order_by("-period")[:36]),
    )


# ── The cockpit's 能碳 panel ─────────────────────────────────────────────────────────────────────
PANEL_PARKS = 8


@dataclass
class CarbonPanel:
    """The 能碳 panel of the cockpit (dashboard): the parks of the cockpit's filters that have a
    carbon account in the latest year, their sum, the largest emitters first, and how many meet the
    零碳园区 indicators; each park links to its carbon account."""

    year: int | None
    parks: int
    energy_tce: Decimal
    co2_t: Decimal
    co2_per_tce: Decimal | None
    qualifying: int
    rows: list[ParkRow]


def cockpit_panel(user: User | Any, parks: QuerySet[Park]) -> CarbonPanel:
    """The panel for the parks the cockpit shows (already within the user's scope and filters)."""
    scoped = accounts(user).filter(level=Level.PARK, month=0, park__in=parks.values("pk"))
    year: int | None = scoped.aggregate(year=Max("year"))["year"]
    if year is None:
        return CarbonPanel(None, 0, Decimal(0), Decimal(0), None, 0, [])
    rows = _park_rows(scoped.filter(year=year).order_by("-co2_t", "park__code"), year)
    energy = sum((row.account.energy_tce for row in rows), Decimal(0))
    co2 = sum((row.account.co2_t for row in rows), Decimal(0))
    return CarbonPanel(
        year=year,
        parks=len(rows),
        energy_tce=energy,
        co2_t=co2,
        co2_per_tce=(co2 / energy).quantize(Decimal("0.0001")) if energy > 0 else None,
        qualifying=sum(1 for row in rows if row.qualifies),
        rows=rows[:PANEL_PARKS],
    )


# ── The 工作台 cards (energy/cards.py) ───────────────────────────────────────────────────────────
# A firm that reported monthly energy data in this many months before the month due is expected to
# report that month too.
EXPECTED_MONTHS = 12


def month_due(today: dt.date) -> dt.date:
    """The month whose report is due: the last finished month (its first day)."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def missing_monthly(user: User | Any, parks: QuerySet[Park], month: dt.date) -> list[Enterprise]:
    """The firms of the parks that reported monthly energy data in the twelve months before `month`
    but not for `month`, within the user's scope; by park and name."""
    start = (month - dt.timedelta(days=366)).replace(day=1)
    rows = EnergyMonthly.objects.visible_to(user).filter(enterprise__park__in=parks.values("pk"))
    expected = rows.filter(period__gte=start, period__lt=month).values("enterprise_id")
    reported = rows.filter(period=month).values("enterprise_id")
    return list(
        Enterprise.objects.visible_to(user)
        .filter(pk__in=expected)
        .exclude(pk__in=reported)
        .select_related("park")
        .order_by("park__code", "name")
    )


def park_gaps(user: User | Any, park: Park) -> tuple[int | None, list[zero_carbon.Standing]]:
    """The latest year of the park's account and the 零碳 indicators it does not meet there."""
    account = accounts(user).filter(level=Level.PARK, park=park, month=0).order_by("-year").first()
    if account is None:
        return None, []
    standings = zero_carbon.standing(config(), park_figures(park, account, account.year))
    return account.year, [item for item in standings if item.met is False]


def parks_gaps(user: User | Any, parks: QuerySet[Park]) -> dict[int, list[zero_carbon.Standing]]:
    """For many parks at once: the 零碳 indicators each misses in the latest year of their accounts."""
    scoped = accounts(user).filter(level=Level.PARK, month=0, park__in=parks.values("pk"))
    year: int | None = scoped.aggregate(year=Max("year"))["year"]
    if year is None:
        return {}
    return {
        row.park.pk: [item for item in row.standings if item.met is False]
        for row in _park_rows(scoped.filter(year=year), year)
    }


# ── Monthly intensity warnings (energy/intensity.py) ─────────────────────────────────────────────
@dataclass(frozen=True)
class FlaggedMonth:
    """A warning of a firm (or of the park itself: `enterprise` None) in a month."""

    enterprise: Enterprise | None
    warning: intensity.IntensityWarning


def _division(industry: str | None) -> str:
    return (industry or "")[:3]


def _industry_peers(year: int, month: int) -> dict[str, list[Decimal]]:
    """Every firm's intensity of the month by industry division. A median of the whole city's firms
    of the division: a statistic, read outside the reader's scope and never shown firm by firm."""
    peers: dict[str, list[Decimal]] = {}
    rows = CarbonAccount.objects.filter(level=Level.ENTERPRISE, year=year, month=month, value_added__gt=0).values_list(
        "enterprise__industry_id", "energy_tce", "value_added"
    )
    for industry, energy, added in rows:
        value = intensity.intensity(energy, added)
        if value is not None:
            peers.setdefault(_division(industry), []).append(value)
    return peers


def _history(rows: QuerySet[CarbonAccount], year: int, month: int, months: int) -> QuerySet[CarbonAccount]:
    start_year = year - (months // 12 + 1)
    return rows.filter(frequency=CarbonAccount.Frequency.MONTH, year__gte=start_year).filter(
        Q(year__lt=year) | Q(year=year, month__lte=month)
    )


def latest_month(user: User | Any, park: Park) -> tuple[int, int] | None:
    row = (
        accounts(user)
        .filter(level=Level.PARK, park=park, frequency=CarbonAccount.Frequency.MONTH)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return (row[0], row[1]) if row else None


def park_warnings(user: User | Any, park: Park, when: tuple[int, int] | None = None) -> list[FlaggedMonth]:
    """The park's and its firms' warnings of a month (the park's latest by default), the park first."""
    rule = config().monthly_warnings
    when = when or latest_month(user, park)
    if rule is None or when is None:
        return []
    year, month = when
    series: dict[int | None, dict[tuple[int, int], Decimal]] = {}
    firms: dict[int, Enterprise] = {}
    rows = _history(
        accounts(user).filter(park=park, level__in=(Level.PARK, Level.ENTERPRISE)), year, month, rule.history_months
    )
    for row in rows.select_related(None).select_related("enterprise"):
        value = intensity.intensity(row.energy_tce, row.value_added)
        if value is None:
            continue
        series.setdefault(row.enterprise_id, {})[(row.year, row.month)] = value
        if row.enterprise is not None:
            firms[row.enterprise.pk] = row.enterprise
    peers = _industry_peers(year, month)
    flagged: list[FlaggedMonth] = []
    for owner, values in sorted(series.items(), key=lambda item: (item[0] is not None, item[0] or 0)):
        firm = firms.get(owner) if owner is not None else None
        found = [intensity.against_history(values, when, rule)]
        if firm is not None:
            found.append(
                intensity.against_industry(values.get(when), peers.get(_division(firm.industry_id), []), when, rule)
            )
        flagged += [FlaggedMonth(firm, warning) for warning in found if warning is not None]
    return flagged


def firm_warnings(user: User | Any, firm: Enterprise, months: Sequence[CarbonAccount]) -> list[FlaggedMonth]:
    """The firm's warnings among the months shown (its own history, and its industry's month)."""
    rule = config().monthly_warnings
    if rule is None or not months:
        return []
    series = {
        (row.year, row.month): value
        for row in accounts(user).filter(level=Level.ENTERPRISE, enterprise=firm, frequency="month")
        if (value := intensity.intensity(row.energy_tce, row.value_added)) is not None
    }
    shown = [(row.year, row.month) for row in months]
    division = _division(firm.industry_id)
    peers: dict[tuple[int, int], list[Decimal]] = {}
    if division:
        rows = CarbonAccount.objects.filter(
            level=Level.ENTERPRISE,
            frequency=CarbonAccount.Frequency.MONTH,
            year__in={year for year, _ in shown},
            value_added__gt=0,
            enterprise__industry__code__startswith=division,
        ).values_list("year", "month", "energy_tce", "value_added")
        for year, month, energy, added in rows:
            value = intensity.intensity(energy, added)
            if value is not None:
                peers.setdefault((year, month), []).append(value)
    found = []
    for when in shown:
        found += [
            intensity.against_history(series, when, rule),
            intensity.against_industry(series.get(when), peers.get(when, []), when, rule),
        ]
    return [FlaggedMonth(firm, warning) for warning in found if warning is not None]


# ── Per-chain accounts ───────────────────────────────────────────────────────────────────────────
@dataclass
class ChainAccount:
    """One industry chain's year, or its months 1 to `month` (1–本月累计): the sums of the accounts of
    the firms (within the reader's scope) whose GB/T 4754 class is one of the chain's nodes' classes,
    the assignment the 产业链碳账户 has always used. A firm in two chains counts in both, so the chains
    do not add up to the city."""

    chain: IndustryChain
    year: int = 0
    month: int = 0  # 0: the year; 1–12: the months 1 to this one
    classes: tuple[str, ...] = ()
    enterprise_ids: set[int] = field(default_factory=set)
    energy_tce: Decimal = Decimal(0)
    scope1_t: Decimal = Decimal(0)
    scope2_t: Decimal = Decimal(0)
    co2_t: Decimal = Decimal(0)
    renewable_tce: Decimal = Decimal(0)
    value_added: Decimal | None = Decimal(0)  # None once a firm lacks it

    @property
    def renewable_share(self) -> Decimal | None:
        """可再生能源消费占比（%）, as a firm's account computes it."""
        ratio = _quotient(self.renewable_tce, self.energy_tce, Decimal("0.000001"))
        return None if ratio is None else (ratio * 100).quantize(Decimal("0.01"))

    @property
    def firms(self) -> int:
        return len(self.enterprise_ids)

    @property
    def energy_per_value_added(self) -> Decimal | None:
        return _quotient(self.energy_tce, self.value_added)

    @property
    def co2_per_value_added(self) -> Decimal | None:
        return _quotient(self.co2_t, self.value_added)

    @property
    def co2_per_tce(self) -> Decimal | None:
        return _quotient(self.co2_t, self.energy_tce)

    @property
    def method(self) -> dict[str, Any]:
        """What the figures include (the chain's classes, the period, the firms summed) and the
        factors of the year, as every firm account of the year was computed with them."""
        return {
            "level": "chain",
            "chain": self.chain.code,
            "industry_classes": list(self.classes),
            "period": "year" if self.month == 0 else f"1-{self.month}",
            "summed": "enterprise_annual_accounts" if self.month == 0 else "enterprise_monthly_accounts_to_date",
            "firms": self.firms,
            **method_of(config(), self.year),
        }


def _quotient(top: Decimal, bottom: Decimal | None, places: Decimal = Decimal("0.0001")) -> Decimal | None:
    return None if bottom is None or bottom <= 0 else (top / bottom).quantize(places)


def _chain_classes() -> tuple[dict[str, set[int]], dict[int, tuple[str, ...]]]:
    """Each GB/T 4754 class's chains, and each chain's classes (through its nodes)."""
    through = ChainNode.industry_classes.through
    chains_of: dict[str, set[int]] = {}
    classes_of: dict[int, set[str]] = {}
    for chain_id, code in through.objects.values_list("chainnode__chain_id", "industryclass_id"):
        chains_of.setdefault(code, set()).add(chain_id)
        classes_of.setdefault(chain_id, set()).add(code)
    return chains_of, {pk: tuple(sorted(codes)) for pk, codes in classes_of.items()}


def _chain_sums(rows: QuerySet[CarbonAccount], month: int, chain_ids: set[int] | None = None) -> list[ChainAccount]:
    """The firm accounts `rows` summed per chain and year (`month` is the period the rows cover)."""
    chains_of, classes_of = _chain_classes()
    chains = IndustryChain.objects.in_bulk({pk for ids in chains_of.values() for pk in ids})
    found: dict[tuple[int, int], ChainAccount] = {}
    values = rows.values_list(
        "year",
        "enterprise_id",
        "enterprise__industry_id",
        "energy_tce",
        "scope1_t",
        "scope2_t",
        "co2_t",
        "renewable_tce",
        "value_added",
    )
    for year, firm, industry, energy, scope1, scope2, co2, renewable, added in values:
        for chain_id in chains_of.get(industry or "", ()):
            if chain_ids is not None and chain_id not in chain_ids:
                continue
            key = (chain_id, year)
            row = found.get(key)
            if row is None:
                row = found[key] = ChainAccount(chains[chain_id], year, month, classes_of[chain_id])
            row.enterprise_ids.add(firm)
            row.energy_tce += energy
            row.scope1_t += scope1
            row.scope2_t += scope2
            row.co2_t += co2
            row.renewable_tce += renewable
            row.value_added = None if row.value_added is None or added is None else row.value_added + added
    return list(found.values())


def _period(rows: QuerySet[CarbonAccount], month: int) -> QuerySet[CarbonAccount]:
    """The firm accounts of the year (`month` 0) or of its months 1 to `month` (1–本月累计)."""
    rows = rows.filter(level=Level.ENTERPRISE)
    if month == 0:
        return rows.filter(month=0)
    return rows.filter(frequency=CarbonAccount.Frequency.MONTH, month__gte=1, month__lte=month)


def chain_accounts(user: User | Any, year: int, month: int = 0) -> list[ChainAccount]:
    """Every chain with a firm account of the year (or of its months 1 to `month`, 1–本月累计), the
    largest emitter first."""
    found = _chain_sums(_period(accounts(user).filter(year=year), month), month)
    return sorted(found, key=lambda row: (-row.co2_t, row.chain.sort_order, row.chain.code))


def chain_trend(user: User | Any, code: str) -> list[ChainAccount]:
    """One chain's annual accounts, year by year, within the reader's scope (for the changes)."""
    chain = IndustryChain.objects.filter(code=code).first()
    if chain is None:
        return []
    found = _chain_sums(_period(accounts(user), 0), 0, {chain.pk})
    return sorted(found, key=lambda row: row.year)


# ── Green manufacturing (绿色制造名单) ───────────────────────────────────────────────────────────
# The columns of the green-manufacturing table: (key, label kind, levels counted).
GREEN_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("factory_national", LabelKind.GREEN_FACTORY, (LabelLevel.NATIONAL,)),
    ("factory_provincial", LabelKind.GREEN_FACTORY, (LabelLevel.PROVINCIAL,)),
    ("supply_chain", LabelKind.GREEN_SUPPLY_CHAIN, (LabelLevel.NATIONAL, LabelLevel.PROVINCIAL)),
    ("product", LabelKind.GREEN_PRODUCT, (LabelLevel.NATIONAL, LabelLevel.PROVINCIAL)),
)
GREEN_KINDS = (LabelKind.GREEN_FACTORY, LabelKind.GREEN_SUPPLY_CHAIN, LabelKind.GREEN_PRODUCT)
PRODUCT_ITEMS = "product_items"  # the 绿色设计产品 themselves, not the firms


@dataclass
class GreenPark:
    """A park's green-manufacturing standing on a day: its green level then (the registry's dated
    park history) and since when, and how many of the firms it had then held each list's label."""

    park: Park
    level: str
    since: dt.date | None  # the start of the park's state with that level; None: since the first record
    counts: dict[str, int]

    @property
    def level_name(self) -> str:
        return str(Park.GreenLevel(self.level).label) if self.level else ""


@dataclass
class GreenManufacturing:
    day: dt.date
    parks: list[GreenPark]
    totals: dict[str, int]
    labels: list[EnterpriseLabel]  # the labels themselves, for one park's page


def green_day(year: int) -> dt.date:
    """The day a year's green-manufacturing standing is read on: its last day, or today."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def green_manufacturing(user: User | Any, year: int, park: Park | None = None) -> GreenManufacturing:
    """The green-manufacturing lists on the year's last day, within the user's scope: per park (or
    for one park, with its labels) the firms with a 绿色工厂 (国家级, 省级), 绿色供应链管理企业 or 绿色设计产品
    label valid that day, each firm counted in the park it was in that day, and the park's green
    level in force that day. Totals count every visible firm, inside parks or not."""
    day = green_day(year)
    labels = with_state_on(
        EnterpriseLabel.objects.visible_to(user).valid_on(day).filter(kind__in=GREEN_KINDS),
        day,
        enterprise="enterprise__",
    )
    parks = Park.objects.visible_to(user)
    if park is not None:
        parks = parks.filter(pk=park.pk)
        labels = labels.filter(state_park=park.pk)
    firms: dict[str, dict[int | None, set[int]]] = {key: {} for key, _, _ in GREEN_COLUMNS}
    # 绿色设计产品 by product: each label's listed products (one where it lists none).
    products: dict[int | None, int] = {}
    for firm, kind, level, place, listed in labels.values_list(
        "enterprise_id", "kind", "level", "state_park", "products"
    ):
        for key, wanted, levels in GREEN_COLUMNS:
            if kind == wanted and level in levels:
                firms[key].setdefault(place, set()).add(firm)
                if key == "product":
                    products[place] = products.get(place, 0) + (len(product_names(listed)) or 1)
    states = park_states_on(day)
    since = dict(ParkVersion.objects.valid_on(day).values_list("park_id", "valid_from"))
    rows = []
    for item in parks.order_by("code"):
        counts = {key: len(firms[key].get(item.pk, ())) for key, _, _ in GREEN_COLUMNS}
        counts[PRODUCT_ITEMS] = products.get(item.pk, 0)
        state = states.get(item.pk)
        level = state.green_level if state else item.green_level
        if level or any(counts.values()) or park is not None:
            rows.append(GreenPark(item, level, since.get(item.pk), counts))
    totals = {key: len(set().union(*places.values())) for key, places in firms.items()}
    totals[PRODUCT_ITEMS] = sum(products.values())
    shown = (
        list(labels.select_related("enterprise").order_by("kind", "level", "valid_from", "enterprise__name"))
        if park is not None
        else []
    )
    return GreenManufacturing(day, rows, totals, shown)


# ── Year on year and against the base year ───────────────────────────────────────────────────────
# The figures compared: (attribute of CarbonAccount, name, unit).
COMPARED: tuple[tuple[str, str, str], ...] = (
    ("energy_tce", gettext_noop("综合能耗"), "吨标准煤"),
    ("co2_t", gettext_noop("二氧化碳排放总量"), "吨CO₂"),
    ("energy_per_value_added", gettext_noop("单位工业增加值能耗"), "吨标准煤/万元"),
    ("co2_per_value_added", gettext_noop("单位增加值碳排放"), "吨CO₂/万元"),
    ("co2_per_tce", gettext_noop("单位能耗碳排放"), "吨CO₂/吨标准煤"),
)


@dataclass(frozen=True)
class Change:
    """One figure of a year against the year before and against the base year: the values and the
    change in per cent (None where either value is missing or the earlier one is 0)."""

    name: str
    unit: str
    value: Decimal | None
    previous: Decimal | None
    base: Decimal | None
    year_on_year: Decimal | None
    against_base: Decimal | None
    method: dict[str, Any] = field(default_factory=dict)  # the year's: what is included, which factors


def percent_change(value: Decimal | None, earlier: Decimal | None) -> Decimal | None:
    if value is None or earlier is None or earlier == 0:
        return None
    return ((Decimal(value) / Decimal(earlier) - 1) * 100).quantize(Decimal("0.01"))


def base_year() -> int:
    """The plan's base year (the pack's `baseline_year`): the year every change is also measured from."""
    return installed_pack().baseline_year


def account_changes(trend: Sequence[CarbonAccount | ChainAccount], year: int, base: int) -> list[Change]:
    """The year's figures of one owner's annual accounts (`trend`) against the year before and the
    base year; empty when the year has no account."""
    by_year = {row.year: row for row in trend}
    account = by_year.get(year)
    if account is None:
        return []
    before, first = by_year.get(year - 1), by_year.get(base)
    changes = []
    for attribute, name, unit in COMPARED:
        value = getattr(account, attribute)
        previous = getattr(before, attribute) if before else None
        at_base = getattr(first, attribute) if first and base != year else None
        changes.append(
            Change(
                name,
                unit,
                value,
                previous,
                at_base,
                percent_change(value, previous),
                percent_change(value, at_base),
                account.method,
            )
        )
    return changes
