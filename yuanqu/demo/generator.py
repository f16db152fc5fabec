"""The synthetic, deterministic demo city of issue 2 ("Demo data"): parks with outlines, enterprises
with dated labels, monthly and annual statistics, land parcels, facilities and demo accounts.

Called by the `demo` command (and by tests at a small scale). It assumes that
`registry.services.reference_data_load()` has run and that the policy pack's chains and responsible
units are in the database; with fewer chains it falls back on GB/T 4754 divisions. It writes straight
through `bulk_create` inside one transaction: generated rows are not user writes, so they carry no
audit entries, but every one is marked synthetic and every statistics row points at a synthetic
import batch. The same seed and scale give the same database content. Calibration choices and their
sources are written down in docs/demo-data.md."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from yuanqu.core import uscc
from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.core.roles import Role
from yuanqu.demo import names, shapes
from yuanqu.demo.calibration import load_calibration
from yuanqu.intake.pack import AUDIT
from yuanqu.registry import geo
from yuanqu.registry.models import (
    MU_PER_KM2,
    ChainNode,
    District,
    Enterprise,
    EnterpriseLabel,
    IndustryChain,
    IndustryClass,
    LabelKind,
    LabelLevel,
    LandParcel,
    Park,
    ParkFacility,
    ParkType,
    ResponsibleUnit,
)
from yuanqu.stats.measures import ANNUAL_VALUE_FIELDS
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat, PriceIndex

Progress = Callable[[str, int, int], None]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# One password for every demo account; printed by `yuanqu demo`. Demo installations only.
DEMO_PASSWORD = "Yuanqu-demo-2025"  # noqa: S105 - a published demo password, not a secret
DEMO_NOTE = "示例数据生成器"
LABEL_SOURCE = "示例数据生成器"

FIXED_ACCOUNTS = ("admin", "viewer", "auditor", "sysadmin")
ACCOUNT_PREFIXES = ("district-", "park-", "ent-", "handler-")

ERR_NO_REFERENCE = "请先加载参考数据（区/开发区与国民经济行业分类）：缺少{missing}"
ERR_ALREADY_LOADED = "数据库中已有示例数据，请先清除（yuanqu demo --reset）"
ERR_SCALE = "scale 须为正数"

# The statistics run from 2023-01 to 2026-10; annual data for the complete years only.
STAT_YEARS = (2023, 2024, 2025, 2026)
ANNUAL_YEARS = (2023, 2024, 2025)
DATA_END = dt.date(2026, 10, 31)
LAST_MONTH_2026 = 10
BASELINE_YEAR = 2024
# 规上工业企业: annual main-business revenue ≥ 2000万元 (DOMAIN.md §2). Money is handled as integer
# hundredths of 万元 ("cents") so that months add up to the year exactly.
CENTS = 100
ABOVE_SCALE_CENTS = 2000 * CENTS  # the pack's default (audit.yaml above_scale.revenue)


def above_scale_cents() -> int:
    """The 规上 revenue threshold of the installed pack (audit.yaml), in cents of 万元."""
    return round(installed_pack().section(AUDIT).above_scale_revenue * CENTS)


YI = 10_000  # 1亿元 in 万元
INDUSTRIAL_SECTIONS = ("B", "C", "D")

# The calibration tables (calibration.yaml, read once at import; sources in docs/demo-data.md).
CALIBRATION = load_calibration()
TYPE_COUNTS = CALIBRATION.type_counts
TYPE_AREA = CALIBRATION.type_area
TYPE_CATALOGUE: dict[str, tuple[names.ParkTemplate, ...]] = {
    ParkType.MODERN: names.MODERN,
    ParkType.FEATURED: names.FEATURED,
    ParkType.URBAN: names.URBAN,
    ParkType.UNCLASSIFIED: names.UNCLASSIFIED,
}
TYPE_FIRM_WEIGHT = CALIBRATION.type_firm_weight
TYPE_RECOGNISED = CALIBRATION.type_recognised
TYPE_SMART = CALIBRATION.type_smart
TYPE_LEAD_SHARE = CALIBRATION.type_lead_share
TYPE_REVENUE = CALIBRATION.type_revenue
TYPE_FIRM_MEDIAN = CALIBRATION.type_firm_median
TYPE_SERVICE_SHARE = CALIBRATION.type_service_share
IN_PARK_LAND_KM2 = CALIBRATION.in_park_land_km2
TYPE_LAND_FILL = CALIBRATION.type_land_fill
TYPE_PARCEL_MEDIAN_MU = CALIBRATION.type_parcel_median_mu
TYPE_MANAGEMENT = CALIBRATION.type_management
TYPE_FACILITIES = CALIBRATION.type_facilities

ENTERPRISES_AT_SCALE_1 = CALIBRATION.enterprises_at_scale_1
OUTSIDE_SHARE = CALIBRATION.outside_share
NO_COORDINATES_SHARE = CALIBRATION.no_coordinates_share
OUTSIDE_DISTRICT_WEIGHT = CALIBRATION.outside_district_weight
MANUFACTURING_DIVISION_WEIGHT = CALIBRATION.manufacturing_division_weight
PRODUCER_SERVICE_DIVISION_WEIGHT = CALIBRATION.producer_service_division_weight
KNOWLEDGE_SERVICE_DIVISIONS = CALIBRATION.knowledge_service_divisions
ENERGY_HEAVY = CALIBRATION.energy_heavy
# 1–2月 reported together, then March … December: share of the year's revenue (seasonality).
MONTH_SLOTS = (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
SLOT_MONTHS_COVERED = (2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
SEASONALITY = np.array(CALIBRATION.seasonality)
RD_SEASONALITY = np.array(CALIBRATION.rd_seasonality)
RD_INTENSITY_2024 = CALIBRATION.rd_intensity_2024
RD_INTENSITY_GROWTH = CALIBRATION.rd_intensity_growth
HIGH_TECH_VA_SHARE_2024 = CALIBRATION.high_tech_va_share_2024

HIGH_TECH_STOCK = CALIBRATION.high_tech_stock
SRDI_MUNICIPAL_STOCK = CALIBRATION.srdi_municipal_stock
SRDI_PROVINCIAL_STOCK = CALIBRATION.srdi_provincial_stock
SRDI_NATIONAL_STOCK = CALIBRATION.srdi_national_stock
SINGLE_CHAMPION_STOCK = CALIBRATION.single_champion_stock
GAZELLE_STOCK = CALIBRATION.gazelle_stock
UNICORN_STOCK = CALIBRATION.unicorn_stock
LISTED_STOCK = CALIBRATION.listed_stock
TOP500_STOCK = CALIBRATION.top500_stock
GREEN_NATIONAL_STOCK = CALIBRATION.green_national_stock
GREEN_PROVINCIAL_STOCK = CALIBRATION.green_provincial_stock
DIGITAL_SHARE = CALIBRATION.digital_share


@dataclass(frozen=True)
class _Certification:
    """One certificate the demo issues in yearly batches (`_certify`): its label kind and level, the
    stock valid at each year's end, the batch days (month, day), the years a certificate is valid
    (None: it does not lapse) and the share of lapsed holders renewed in their batch."""

    kind: str
    level: str
    stock: dict[int, int]
    batch_days: tuple[tuple[int, int], ...]
    validity_years: int | None
    renew: float = 0.0


HIGH_TECH = _Certification(LabelKind.HIGH_TECH, "", HIGH_TECH_STOCK, ((10, 16), (12, 8)), 3, 0.88)
SRDI_MUNICIPAL = _Certification(LabelKind.SRDI, LabelLevel.MUNICIPAL, SRDI_MUNICIPAL_STOCK, ((6, 30),), 3, 0.85)
SRDI_PROVINCIAL = _Certification(LabelKind.SRDI, LabelLevel.PROVINCIAL, SRDI_PROVINCIAL_STOCK, ((9, 26),), 3, 0.9)
SRDI_NATIONAL = _Certification(LabelKind.SRDI, LabelLevel.NATIONAL, SRDI_NATIONAL_STOCK, ((7, 20),), 3, 0.92)
SINGLE_CHAMPION = _Certification(
    LabelKind.SINGLE_CHAMPION, LabelLevel.NATIONAL, SINGLE_CHAMPION_STOCK, ((9, 15),), 3, 0.95
)
GAZELLE = _Certification(LabelKind.GAZELLE, "", GAZELLE_STOCK, ((8, 20),), 1, 0.6)
UNICORN = _Certification(LabelKind.UNICORN, "", UNICORN_STOCK, ((4, 18),), None)
LISTED = _Certification(LabelKind.LISTED, "", LISTED_STOCK, ((3, 28), (6, 16), (9, 8), (12, 20)), None)
TOP500 = _Certification(LabelKind.TOP500, "", TOP500_STOCK, ((6, 30),), None)
GREEN_NATIONAL = _Certification(LabelKind.GREEN_FACTORY, LabelLevel.NATIONAL, GREEN_NATIONAL_STOCK, ((9, 30),), None)
GREEN_PROVINCIAL = _Certification(
    LabelKind.GREEN_FACTORY, LabelLevel.PROVINCIAL, GREEN_PROVINCIAL_STOCK, ((7, 31),), None
)


class DemoError(RuntimeError):
    """The demo cannot be generated here; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    scale: float
    parks: int
    enterprises: int
    labels: int
    monthly_stats: int
    annual_stats: int
    park_annual_stats: int
    land_parcels: int
    facilities: int
    batches: int
    accounts: int
    accounts_skipped: int


@dataclass
class _ParkPlan:
    index: int
    code: str
    template: names.ParkTemplate
    name: str
    park_type: str
    district: str
    chain_ids: list[int]
    class_pool: list[str]
    planned_area: float
    boundary_area: float = 0.0
    host: str = ""
    outline: BaseGeometry | None = None
    revenue_yi: float = 0.0
    lead_share: float = 0.0
    growth: float = 0.0
    park_id: int = 0
    smart_subsystems: int = 0
    recognised_on: dt.date | None = None


@dataclass
class _Firms:
    """Column arrays of the generated enterprises (index = position in creation order)."""

    industry: list[str] = field(default_factory=list)
    park: list[int] = field(default_factory=list)  # plan index, -1 outside
    district: list[str] = field(default_factory=list)
    host: list[str] = field(default_factory=list)  # the district outline the coordinates lie in
    in_chain: list[bool] = field(default_factory=list)
    founded: list[dt.date] = field(default_factory=list)
    lon: list[float | None] = field(default_factory=list)
    lat: list[float | None] = field(default_factory=list)
    uscc: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


@dataclass
class _Label:
    firm: int
    kind: str
    level: str
    valid_from: dt.date
    valid_to: dt.date | None
    certificate_no: str = ""


def demo_generate(*, seed: int = 2025, scale: float = 1.0, progress: Progress | None = None) -> DemoSummary:
    """Generate the demo city into an empty registry (reference data loaded). Deterministic in seed."""
    if not scale > 0:
        raise DemoError(ERR_SCALE)
    with transaction.atomic():
        return _Generator(seed=seed, scale=scale, progress=progress).run()


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role, scope) of the demo accounts, in the order they should be printed."""
    return [(user.username, user.get_role_display(), user.scope_label or "全市") for user in _demo_users()]


def _demo_users() -> list[User]:
    """Accounts with a demo username that still have the demo password (one check per hash)."""
    query = Q(username__in=FIXED_ACCOUNTS)
    for prefix in ACCOUNT_PREFIXES:
        query |= Q(username__startswith=prefix)
    users = list(User.objects.filter(query).select_related("district", "park", "enterprise", "unit"))
    verdicts: dict[str, bool] = {}
    for user in users:
        if user.password not in verdicts:
            verdicts[user.password] = user.check_password(DEMO_PASSWORD)
    demo = [user for user in users if verdicts[user.password]]

    def order(user: User) -> tuple[int, int, str, str]:
        if user.username in FIXED_ACCOUNTS:
            return (0, FIXED_ACCOUNTS.index(user.username), "", "")
        prefix = next(index for index, text in enumerate(ACCOUNT_PREFIXES) if user.username.startswith(text))
        rest = user.username[len(ACCOUNT_PREFIXES[prefix]) :]
        district_order = user.district.sort_order if user.district is not None else 0
        return (1 + prefix, district_order, rest.zfill(8) if rest.isdigit() else "", rest)

    return sorted(demo, key=order)


@transaction.atomic
def demo_clear() -> None:
    """Remove what the generator wrote: the demo accounts, synthetic rows and synthetic batches, and
    the demo cases that point at them."""
    from yuanqu.casework.demo import casework_demo_clear
    from yuanqu.demo.energy import energy_demo_clear
    from yuanqu.demo.factors import factors_demo_clear
    from yuanqu.demo.investment import investment_demo_clear
    from yuanqu.demo.talent import talent_demo_clear
    from yuanqu.service.demo import service_demo_clear

    talent_demo_clear()
    factors_demo_clear()
    service_demo_clear()
    casework_demo_clear()
    investment_demo_clear()
    energy_demo_clear()
    User.objects.filter(pk__in=[user.pk for user in _demo_users()]).delete()
    batches = ImportBatch.objects.filter(synthetic=True)
    for model in (MonthlyStat, AnnualStat, ParkAnnualStat, PriceIndex):
        model.objects.filter(batch__in=batches).delete()
    batches.delete()
    EnterpriseLabel.objects.filter(enterprise__synthetic=True).delete()
    LandParcel.objects.filter(synthetic=True).delete()
    ParkFacility.objects.filter(synthetic=True).delete()
    Enterprise.objects.filter(synthetic=True).delete()
    Park.objects.filter(synthetic=True).delete()


def _cents_to_decimal(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _expiry(start: dt.date, years: int) -> dt.date:
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - dt.timedelta(days=1)


def _interpolate(stock: dict[int, int]) -> dict[int, int]:
    years = sorted(stock)
    result: dict[int, int] = {}
    for low, high in itertools.pairwise(years):
        for year in range(low, high):
            result[year] = round(stock[low] + (stock[high] - stock[low]) * (year - low) / (high - low))
    result[years[-1]] = stock[years[-1]]
    return result


def _weighted_pick(rng: np.random.Generator, weights: FloatArray, count: int) -> IntArray:
    """Indexes of `count` items drawn without replacement with probability ∝ weight (Gumbel top-k)."""
    positive = np.flatnonzero(weights > 0)
    if count <= 0 or positive.size == 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(weights[positive]) + rng.gumbel(size=positive.size)
    if count >= positive.size:
        return positive[np.argsort(-keys, kind="stable")].astype(np.int64)
    top = np.argpartition(-keys, count - 1)[:count]
    return positive[top[np.argsort(-keys[top], kind="stable")]].astype(np.int64)


def _allocate(total: int, weights: FloatArray, minimum: int) -> IntArray:
    """Split `total` into integer parts ∝ weights (largest remainder), each at least `minimum`."""
    count = len(weights)
    base = np.full(count, minimum, dtype=np.int64)
    rest = max(0, total - minimum * count)
    share = weights / weights.sum() * rest
    parts = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - parts), kind="stable")
    parts[order[: rest - int(parts.sum())]] += 1
    result: IntArray = base + parts
    return result


def _insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Fast inserts for the two largest tables (monthly and annual statistics).

    `bulk_create` prepares each value through its field, ~15 µs per decimal; with ~140,000 monthly rows
    of 16 decimals that was most of the generation time. The values here are already in database form
    (Decimal, int, adapted dates). PostgreSQL takes them by COPY (client-side parameter binding of
    large statements is slow in psycopg); SQLite by executemany of one prepared INSERT."""
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(column) for column in columns]
    names = ", ".join(quote(field.column) for field in fields if isinstance(field, models.Field))
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


class _Generator:
    def __init__(self, *, seed: int, scale: float, progress: Progress | None) -> None:
        self.seed = seed
        self.scale = scale
        self._progress = progress
        self._step_index = 0
        self.step_total = 10

    # ------------------------------------------------------------------ plumbing

    def _rng(self, stream: int) -> np.random.Generator:
        """An independent stream per phase, so that one phase's draws never shift another's."""
        return np.random.default_rng([self.seed, stream])

    def _step(self, label: str) -> None:
        self._step_index += 1
        if self._progress is not None:
            self._progress(label, self._step_index, self.step_total)

    def run(self) -> DemoSummary:
        self._step("读取参考数据")
        self._load_reference()
        self._step("生成园区边界")
        self._plan_parks()
        self._create_parks()
        self._step("生成企业")
        self._create_enterprises()
        self._step("测算经营数据")
        self._model_economy()
        self._step("生成企业称号")
        labels = self._create_labels()
        self._step("生成土地")
        parcels = self._create_land()
        self._step("生成企业年度数据")
        annual = self._create_annual_stats()
        self._step("生成规上企业月度数据")
        monthly = self._create_monthly_stats()
        self._step("生成园区设施与园区年度数据")
        facilities = self._create_facilities()
        park_annual = self._create_park_annual_stats()
        self._step("创建示例账户")
        accounts, skipped = self._create_accounts()
        return DemoSummary(
            seed=self.seed,
            scale=self.scale,
            parks=len(self.plans),
            enterprises=len(self.firms.ids),
            labels=labels,
            monthly_stats=monthly,
            annual_stats=annual,
            park_annual_stats=park_annual,
            land_parcels=parcels,
            facilities=facilities,
            batches=len(self.batches),
            accounts=accounts,
            accounts_skipped=skipped,
        )

    def _batch(self, kind: str, rows: int) -> ImportBatch:
        batch = self.batches.get(kind)
        if batch is None:
            batch = ImportBatch.objects.create(
                kind=kind,
                status=ImportBatch.Status.APPLIED,
                synthetic=True,
                note=DEMO_NOTE,
                file_name=f"示例数据（seed={self.seed}，scale={self.scale:g}）",
                rows_total=rows,
                rows_ok=rows,
            )
            self.batches[kind] = batch
        return batch

    # ------------------------------------------------------------------ reference data

    def _load_reference(self) -> None:
        self.batches: dict[str, ImportBatch] = {}
        self.districts = {district.code: district for district in District.objects.order_by("code")}
        missing = [code for code in names.DISTRICT_SHORT if code not in self.districts]
        classes = list(
            IndustryClass.objects.filter(level=IndustryClass.Level.CLASS)
            .order_by("code")
            .values_list("code", "high_tech_group")
        )
        if missing or not classes:
            raise DemoError(ERR_NO_REFERENCE.format(missing="、".join(missing) or "行业分类"))
        if Park.objects.filter(synthetic=True).exists() or Enterprise.objects.filter(synthetic=True).exists():
            raise DemoError(ERR_ALREADY_LOADED)
        self.class_codes = [code for code, _ in classes]
        self.high_tech = {code for code, group in classes if group}
        self.by_division: dict[str, list[str]] = {}
        for code in self.class_codes:
            self.by_division.setdefault(code[:3], []).append(code)
        self.chains = list(IndustryChain.objects.order_by("kind", "sort_order", "code"))
        self.chain_by_code = {chain.code: chain for chain in self.chains}
        node_classes: dict[int, set[str]] = {}
        through = ChainNode.industry_classes.through
        for chain_id, class_code in through.objects.values_list("chainnode__chain_id", "industryclass_id"):
            node_classes.setdefault(chain_id, set()).add(class_code)
        known = set(self.class_codes)
        self.chain_classes = {chain.pk: sorted(node_classes.get(chain.pk, set()) & known) for chain in self.chains}
        self.bureaus = list(ResponsibleUnit.objects.filter(kind=ResponsibleUnit.Kind.BUREAU).order_by("code"))
        with open(geo.DEFAULT_BASEMAP, encoding="utf-8") as handle:
            basemap = json.load(handle)
        self.outlines: dict[str, BaseGeometry] = {}
        for feature in basemap["features"]:
            code = str(feature.get("id") or "")
            if code in self.districts:
                self.outlines[code] = shapes.polygonal(shape(feature["geometry"]))
        self.other_manufacturing = self._division_pool(MANUFACTURING_DIVISION_WEIGHT)
        self.producer_services = self._division_pool(PRODUCER_SERVICE_DIVISION_WEIGHT)

    def _division_pool(self, weights: dict[str, float]) -> tuple[list[str], FloatArray]:
        codes: list[str] = []
        values: list[float] = []
        for division, weight in weights.items():
            members = self.by_division.get(division, [])
            codes.extend(members)
            values.extend([weight / len(members)] * len(members))
        if not codes:  # a trimmed classification: any manufacturing class will do
            codes = [code for code in self.class_codes if code.startswith("C")] or list(self.class_codes)
            values = [1.0] * len(codes)
        array = np.asarray(values, dtype=np.float64)
        return codes, array / array.sum()

    def _hosts(self, district: str) -> tuple[str, ...]:
        return tuple(code for code in names.ZONE_HOSTS.get(district, (district,)) if code in self.outlines)

    # ------------------------------------------------------------------ parks

    def _resolve_chains(self, template: names.ParkTemplate, index: int) -> list[int]:
        found = [self.chain_by_code[code].pk for code in template.chains if code in self.chain_by_code]
        if found or not self.chains:
            return found[:3]
        # Another pack's chains: take those whose classes fall in the template's divisions.
        scored = []
        for order, chain in enumerate(self.chains):
            score = sum(1 for code in self.chain_classes[chain.pk] if code[:3] in template.divisions)
            if score:
                scored.append((-score, order, chain.pk))
        if scored:
            return [pk for _, _, pk in sorted(scored)[: min(2, len(template.chains))]]
        return [self.chains[index % len(self.chains)].pk]

    def _plan_parks(self) -> None:
        rng = self._rng(1)
        self.plans: list[_ParkPlan] = []
        number = 0
        for park_type, catalogue in TYPE_CATALOGUE.items():
            count = max(1, round(TYPE_COUNTS[park_type] * self.scale))
            for position in range(count):
                template = catalogue[position % len(catalogue)]
                round_index = position // len(catalogue)
                suffix = names.EXTENSION_SUFFIXES[round_index % len(names.EXTENSION_SUFFIXES)]
                if round_index >= len(names.EXTENSION_SUFFIXES):
                    suffix += str(round_index)
                number += 1
                chain_ids = self._resolve_chains(template, number)
                pool = sorted({code for pk in chain_ids for code in self.chain_classes.get(pk, [])})
                if not pool:
                    pool = [code for division in template.divisions for code in self.by_division.get(division, [])]
                low, high = template.area or TYPE_AREA[park_type]
                planned = float(rng.uniform(low, high))
                self.plans.append(
                    _ParkPlan(
                        index=len(self.plans),
                        code=f"P{number:03d}",
                        template=template,
                        name=template.name + suffix,
                        park_type=park_type,
                        district=template.district,
                        chain_ids=chain_ids,
                        class_pool=pool,
                        planned_area=planned,
                    )
                )
        placer = shapes.ParkPlacer({code: self.outlines[code] for code in sorted(self.outlines)})
        # Large parks first, while there is room.
        for plan in sorted(self.plans, key=lambda item: (-item.planned_area, item.index)):
            target = plan.planned_area * float(rng.uniform(0.9, 1.0))
            hosts = tuple(code for code in plan.template.host_codes() if code in self.outlines)
            plan.host, outline = placer.place(rng, hosts or self._hosts(plan.district), target)
            plan.outline = outline
            plan.boundary_area = geo.area_km2(outline)
            if plan.boundary_area < 0.85 * plan.planned_area:
                plan.planned_area = plan.boundary_area / float(rng.uniform(0.92, 1.0))
        self.occupied = placer.occupied
        for plan in self.plans:
            low_share = TYPE_LEAD_SHARE[plan.park_type]
            plan.lead_share = float(np.clip(rng.normal(low_share[0], low_share[1]), low_share[2], low_share[3]))
            if plan.template.revenue_yi is not None:
                plan.revenue_yi = plan.template.revenue_yi * math.exp(float(np.clip(rng.normal(0, 0.02), -0.04, 0.04)))
            else:
                median, spread, floor, ceiling = TYPE_REVENUE[plan.park_type]
                plan.revenue_yi = float(np.clip(median * math.exp(rng.normal(0, spread)), floor, ceiling))
            plan.growth = float(rng.normal(0.075, 0.03))

    def _operator(self, rng: np.random.Generator, plan: _ParkPlan, model: str) -> tuple[str, str]:
        region = plan.host
        base = plan.name.replace("·", "")
        if model in {Park.ManagementModel.COMMITTEE, Park.ManagementModel.STREET}:
            name = f"{base}管理委员会" if model == Park.ManagementModel.COMMITTEE else f"{base}管理办公室"
            body = "11" + region + self._org_code(rng, modern=False)
        else:
            name = f"{base}运营管理有限公司" if len(base) < 24 else f"{base[:22]}运营有限公司"
            body = "91" + region + self._org_code(rng, modern=True)
        return name, uscc.make(body)

    def _org_code(self, rng: np.random.Generator, *, modern: bool) -> str:
        """Characters 9–17 of a USCC: post-2015 codes look like MA4K…, older ones are digits."""
        alphabet = uscc.ALPHABET
        if modern:
            tail = "".join(alphabet[int(value)] for value in rng.integers(0, len(alphabet), 6))
            return "MA4" + tail
        digits = "".join(str(int(value)) for value in rng.integers(0, 10, 8))
        return digits + "0123456789X"[int(rng.integers(0, 11))]

    def _create_parks(self) -> None:
        rng = self._rng(2)
        parks: list[Park] = []
        by_type: dict[str, list[_ParkPlan]] = {}
        for plan in self.plans:
            by_type.setdefault(plan.park_type, []).append(plan)
        recognised: set[int] = set()
        smart_parks: set[int] = set()
        for park_type, members in by_type.items():
            count = round(TYPE_RECOGNISED[park_type] * len(members))
            recognised.update(plan.index for plan in members[:count])
            count = round(TYPE_SMART[park_type] * len(members))
            smart_parks.update(members[int(index)].index for index in rng.choice(len(members), count, replace=False))
        modern = by_type.get(ParkType.MODERN, [])
        green = {modern[0].index: Park.GreenLevel.PROVINCIAL} if modern else {}
        if len(modern) > 1:
            green[modern[1].index] = Park.GreenLevel.NATIONAL
        if len(modern) > 5:
            green[modern[5].index] = Park.GreenLevel.PROVINCIAL
        for plan in self.plans:
            options = TYPE_MANAGEMENT[plan.park_type]
            probabilities = np.array([weight for _, weight in options])
            model = options[int(rng.choice(len(options), p=probabilities / probabilities.sum()))][0]
            operator_name, operator_uscc = self._operator(rng, plan, model)
            smart = plan.index in smart_parks
            if smart:
                low = 6 if plan.park_type == ParkType.MODERN else 3
                high = 16 if plan.park_type == ParkType.MODERN else 11
                plan.smart_subsystems = int(rng.integers(low, high))
            if plan.index in recognised:
                year = int(rng.choice([2023, 2024, 2025], p=[0.5, 0.3, 0.2]))
                plan.recognised_on = dt.date(year, int(rng.integers(3, 13)), int(rng.integers(1, 29)))
                status, since = Park.Status.RECOGNISED, plan.recognised_on
            else:
                status = Park.Status.CREATING
                since = None
                if plan.park_type != ParkType.UNCLASSIFIED:
                    since = dt.date(int(rng.choice([2024, 2025])), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            assert plan.outline is not None
            park = Park(
                code=plan.code,
                name=plan.name,
                district=self.districts[plan.district],
                park_type=plan.park_type,
                status=status,
                status_since=since,
                recognised_on=plan.recognised_on,
                planned_area_km2=Decimal(str(round(plan.planned_area, 3))),
                boundary=json.loads(shapely.to_geojson(plan.outline)),
                operator_name=operator_name,
                operator_uscc=operator_uscc,
                management_model=model,
                smart_platform=smart,
                smart_subsystems=plan.smart_subsystems,
                green_level=green.get(plan.index, Park.GreenLevel.NONE),
                synthetic=True,
            )
            park.clean()  # boundary area and centroid, exactly as an edit through the registry would
            parks.append(park)
        Park.objects.bulk_create(parks, batch_size=200)
        through = Park.lead_chains.through
        links: list[Any] = []
        for plan, park in zip(self.plans, parks, strict=True):
            plan.park_id = park.pk
            links.extend(through(park_id=park.pk, industrychain_id=chain_id) for chain_id in plan.chain_ids)
        through.objects.bulk_create(links, batch_size=500)

    # ------------------------------------------------------------------ enterprises

    def _draw_classes(
        self, rng: np.random.Generator, pool: Sequence[str], count: int, *, service_weight: float
    ) -> list[str]:
        if count <= 0:
            return []
        weights = np.array([1.0 if code[0] in INDUSTRIAL_SECTIONS else service_weight for code in pool])
        picks = rng.choice(len(pool), size=count, p=weights / weights.sum())
        return [pool[int(index)] for index in picks]

    def _draw_other(
        self, rng: np.random.Generator, count: int, service_share: float, exclude: Sequence[str] = ()
    ) -> list[str]:
        result: list[str] = []
        blocked = set(exclude)
        for _ in range(count):
            codes, weights = self.producer_services if rng.random() < service_share else self.other_manufacturing
            for _ in range(50):
                code = codes[int(rng.choice(len(codes), p=weights))]
                if code not in blocked:
                    break
            result.append(code)
        return result

    def _create_enterprises(self) -> None:
        rng = self._rng(3)
        firms = _Firms()
        total = max(len(self.plans) * 3 + 5, round(ENTERPRISES_AT_SCALE_1 * self.scale))
        in_parks = round(total * (1 - OUTSIDE_SHARE))
        weights = np.array([TYPE_FIRM_WEIGHT[plan.park_type] * math.exp(rng.normal(0, 0.35)) for plan in self.plans])
        counts = _allocate(in_parks, weights, 3)
        for plan, count in zip(self.plans, counts, strict=True):
            chain_count = round(int(count) * float(rng.uniform(0.70, 0.85))) if plan.class_pool else 0
            service_weight = 1.0 if plan.park_type == ParkType.URBAN else 0.35
            codes = self._draw_classes(rng, plan.class_pool, chain_count, service_weight=service_weight)
            # Firms outside the lead chains are in other industries than the park's core ones.
            core = [code for division in plan.template.divisions for code in self.by_division.get(division, [])]
            codes += self._draw_other(
                rng, int(count) - chain_count, TYPE_SERVICE_SHARE[plan.park_type], [*plan.class_pool, *core]
            )
            assert plan.outline is not None
            points = shapes.random_points_in(rng, plan.outline, int(count))
            for position, code in enumerate(codes):
                firms.industry.append(code)
                firms.park.append(plan.index)
                firms.district.append(plan.district)
                firms.host.append(plan.host)
                firms.in_chain.append(position < chain_count)
                firms.lon.append(float(points[position, 0]))
                firms.lat.append(float(points[position, 1]))
        # Firms outside every park: coordinates in their district, clear of all park outlines.
        outside = total - len(firms.industry)
        district_codes = [code for code in OUTSIDE_DISTRICT_WEIGHT if self._hosts(code)]
        district_weights = np.array([OUTSIDE_DISTRICT_WEIGHT[code] for code in district_codes])
        chosen = rng.choice(len(district_codes), size=outside, p=district_weights / district_weights.sum())
        all_chain_classes = sorted({code for plan in self.plans for code in plan.class_pool})
        for district_index in range(len(district_codes)):
            members = int(np.sum(chosen == district_index))
            if not members:
                continue
            code = district_codes[district_index]
            hosts = self._hosts(code)
            area = shapely.union_all([self.outlines[host] for host in hosts])
            points = shapes.random_points_in(rng, area, members, avoid=self.occupied)
            host_of_point = np.full(members, hosts[0], dtype=object)
            for host in reversed(hosts[1:]):
                inside = shapely.contains_xy(self.outlines[host], points[:, 0], points[:, 1])
                host_of_point[inside] = host
            for position in range(members):
                if all_chain_classes and rng.random() < 0.25:
                    industry = self._draw_classes(rng, all_chain_classes, 1, service_weight=0.4)[0]
                else:
                    industry = self._draw_other(rng, 1, 0.4)[0]
                firms.industry.append(industry)
                firms.park.append(-1)
                firms.district.append(code)
                firms.host.append(str(host_of_point[position]))
                firms.in_chain.append(False)
                no_coordinates = rng.random() < NO_COORDINATES_SHARE / OUTSIDE_SHARE
                firms.lon.append(None if no_coordinates else float(points[position, 0]))
                firms.lat.append(None if no_coordinates else float(points[position, 1]))
        count = len(firms.industry)
        # Founding dates: most firms are older than the statistics; about 6 % were founded 2023–2025.
        age = np.clip(rng.lognormal(math.log(9.0), 0.65, count), 0.05, 40.0)
        founded_ordinal = dt.date(2025, 7, 1).toordinal() - np.round(age * 365.25).astype(np.int64)
        firms.founded = [dt.date.fromordinal(int(value)) for value in founded_ordinal]
        self._name_firms(rng, firms)
        enterprises = []
        for index in range(count):
            home = self.plans[firms.park[index]] if firms.park[index] >= 0 else None
            lon, lat = firms.lon[index], firms.lat[index]
            if home is not None:
                assignment = Enterprise.ParkAssignment.AUTO
            elif lon is None:
                assignment = Enterprise.ParkAssignment.NO_COORDINATES
            else:
                assignment = Enterprise.ParkAssignment.OUTSIDE
            enterprises.append(
                Enterprise(
                    uscc=firms.uscc[index],
                    name=firms.name[index],
                    industry_id=firms.industry[index],
                    address=self._address(rng, firms.host[index]),
                    lon=lon,
                    lat=lat,
                    district=self.districts[firms.district[index]],
                    park_id=home.park_id if home is not None else None,
                    park_assignment=assignment,
                    founded_on=firms.founded[index],
                    synthetic=True,
                )
            )
        Enterprise.objects.bulk_create(enterprises, batch_size=1000)
        firms.ids = [enterprise.pk for enterprise in enterprises]
        self.firms = firms
        self._batch(ImportBatch.Kind.ENTERPRISES, count)

    def _name_firms(self, rng: np.random.Generator, firms: _Firms) -> None:
        taken_names: set[str] = set()
        taken_codes = set(Enterprise.objects.values_list("uscc", flat=True))
        taken_codes.update(Park.objects.exclude(operator_uscc="").values_list("operator_uscc", flat=True))
        brands = names.BRAND_CHARS
        for index, industry in enumerate(firms.industry):
            words = names.INDUSTRY_WORDS.get(industry[:3], names.GENERIC_INDUSTRY_WORDS)
            while True:
                prefix = names.REGION_PREFIXES[int(rng.integers(len(names.REGION_PREFIXES)))]
                brand = brands[int(rng.integers(len(brands)))] + brands[int(rng.integers(len(brands)))]
                if brand[0] == brand[1]:
                    continue
                word = words[int(rng.integers(len(words)))]
                form = names.LEGAL_FORMS[int(rng.integers(len(names.LEGAL_FORMS)))]
                name = f"{prefix}{brand}{word}{form}"
                if name not in taken_names:
                    break
            taken_names.add(name)
            firms.name.append(name)
            region = firms.host[index] if rng.random() < 0.9 else CALIBRATION.city_region_code
            while True:
                code = uscc.make("91" + region + self._org_code(rng, modern=firms.founded[index].year >= 2016))
                if code not in taken_codes:
                    break
            taken_codes.add(code)
            firms.uscc.append(code)

    def _address(self, rng: np.random.Generator, host: str) -> str:
        roads = names.ROADS.get(host, names.GENERIC_ROADS)
        road = roads[int(rng.integers(len(roads)))]
        return f"{CALIBRATION.city_name}{self.districts[host].name}{road}{int(rng.integers(1, 999))}号"

    # ------------------------------------------------------------------ economy (no database)

    def _model_economy(self) -> None:
        """Revenue paths 2023–2026 and the ratios that derive every other measure from revenue."""
        rng = self._rng(4)
        firms = self.firms
        count = len(firms.industry)
        codes = firms.industry
        self.industrial = np.array([code[0] in INDUSTRIAL_SECTIONS for code in codes])
        self.manufacturing = np.array([code[0] == "C" for code in codes])
        self.is_high_tech = np.array([code in self.high_tech for code in codes])
        self.knowledge = np.array([code[:3] in KNOWLEDGE_SERVICE_DIVISIONS for code in codes])
        self.park_index = np.array(firms.park, dtype=np.int64)
        self.chain = np.array(firms.in_chain)
        self.founded_year = np.array([day.year for day in firms.founded], dtype=np.int64)
        self.founded_month = np.array([day.month for day in firms.founded], dtype=np.int64)
        park_type = [self.plans[index].park_type if index >= 0 else "" for index in firms.park]
        medians = np.array([TYPE_FIRM_MEDIAN[kind] for kind in park_type])
        medians = np.where(self.industrial, medians, 500.0)
        base = rng.lognormal(np.log(medians), np.where(self.industrial, 1.4, 1.3))
        young = self.founded_year >= 2023
        base = np.where(young, rng.lognormal(math.log(400.0), 1.0, count), base)

        fractions = {year: self._active_fraction(year) for year in STAT_YEARS}
        self.anchor = np.zeros(count, dtype=bool)
        for plan in self.plans:
            members = self.park_index == plan.index
            target = plan.revenue_yi * YI
            for in_chain, share in ((True, plan.lead_share), (False, 1 - plan.lead_share)):
                group = np.flatnonzero(members & (self.chain == in_chain) & (fractions[2024] > 0))
                if group.size == 0:
                    continue
                wanted = target * share
                have = float(np.sum(base[group] * fractions[2024][group]))
                if wanted <= have:
                    base[group] *= wanted / have
                    continue
                # The giants of a park are in its core industry (the automakers of a car park).
                established = group[(self.founded_year[group] <= 2018) & self.industrial[group]]
                core = np.array([codes[firm][:3] == plan.template.divisions[0] for firm in established], dtype=bool)
                candidates = established[core] if in_chain and core.any() else established
                if candidates.size == 0:
                    candidates = group[self.founded_year[group] <= 2022]
                if candidates.size == 0:
                    candidates = group
                residual = wanted - have
                k = int(np.clip(round(residual / (150 * YI)) + 1, 1, min(8, candidates.size)))
                biggest = candidates[np.argsort(-base[candidates], kind="stable")[:k]]
                shares = np.sort(rng.dirichlet(np.full(k, 1.3)))[::-1]
                base[biggest] += residual * shares / fractions[2024][biggest]
                if residual * shares[0] > 50 * YI:
                    self.anchor[biggest[shares * residual > 20 * YI]] = True

        park_growth = np.array([self.plans[index].growth if index >= 0 else 0.05 for index in firms.park])
        drift = park_growth + 0.02 * self.is_high_tech + 0.01 * ~self.industrial
        spread = np.where(self.anchor, 0.05, 0.16)

        def growth() -> FloatArray:
            return np.clip(drift + rng.normal(0, 1, count) * spread, -0.35, 0.7)

        g23, g25, g26 = growth(), growth(), growth()
        full = {2023: base / (1 + g23), 2024: base, 2025: base * (1 + g25)}
        full[2026] = full[2025] * (1 + g26)
        self.full_revenue = full
        self.growth_2025 = g25
        self.revenue: dict[int, IntArray] = {}
        self.above: dict[int, BoolArray] = {}
        cap = rng.uniform(800.0, 1900.0, count)
        # 2022 (before the statistics begin) on the 2023 growth: only its 规上 test for 2023 reads it.
        full_2022 = full[2023] / (1 + g23)
        previous = np.rint(np.where(self.founded_year < 2022, full_2022, 0.0) * CENTS).astype(np.int64)
        threshold = above_scale_cents()
        for year in STAT_YEARS:
            value = full[year] * fractions[year]
            founding_year = self.founded_year == year
            value = np.where(founding_year, np.minimum(value, cap), value)
            cents = np.rint(value * CENTS).astype(np.int64)
            self.revenue[year] = cents
            # 规上 for year Y rests on year Y−1's revenue, as the bureau's published list does.
            self.above[year] = self.industrial & (previous >= threshold) & (fractions[year] > 0)
            previous = cents
        self.active = {year: fractions[year] > 0 for year in STAT_YEARS}

        # Ratios that turn revenue into the other measures.
        self.output_ratio = rng.uniform(0.94, 1.08, count)
        va_ratio = rng.uniform(0.18, 0.34, count)
        above = self.above[BASELINE_YEAR]
        output_2024 = self.revenue[BASELINE_YEAR] * self.output_ratio
        high = float(np.sum((output_2024 * va_ratio)[above & self.is_high_tech]))
        other = float(np.sum((output_2024 * va_ratio)[above & ~self.is_high_tech]))
        if high > 0 and other > 0:
            factor = HIGH_TECH_VA_SHARE_2024 * other / ((1 - HIGH_TECH_VA_SHARE_2024) * high)
            va_ratio = np.where(self.is_high_tech, va_ratio * np.clip(factor, 0.4, 2.5), va_ratio)
        self.va_ratio = np.clip(va_ratio, 0.05, 0.6)
        self.margin = np.clip(rng.normal(0.06, 0.03, count), 0.005, 0.2)
        self.tax_ratio = rng.uniform(0.015, 0.055, count)
        rd_median = np.where(
            self.is_high_tech,
            0.035,
            np.where(self.knowledge, 0.04, np.where(self.industrial, 0.012, 0.008)),
        )
        rd = rng.lognormal(np.log(rd_median), 0.5)
        spent = float(np.sum(rd * self.revenue[BASELINE_YEAR]))
        total = float(np.sum(self.revenue[BASELINE_YEAR]))
        self.rd_intensity = np.clip(rd * (RD_INTENSITY_2024 * total / spent if spent else 1.0), 0.0005, 0.25)
        heavy = np.array([ENERGY_HEAVY.get(code[:3], 0.04) for code in codes])
        self.energy_per_wan = np.where(self.industrial, heavy * rng.lognormal(0, 0.3, count), 0.004)
        exporter = rng.random(count) < 0.3
        self.export_share = np.where(exporter & self.industrial, rng.uniform(0.05, 0.5, count), 0.0)
        productivity = rng.lognormal(np.log(np.where(self.industrial, 85.0, 45.0)), 0.45)
        self.productivity = np.where(self.anchor, productivity * 2.5, productivity)
        self.rd_staff_share = np.where(
            self.is_high_tech | self.knowledge, rng.uniform(0.12, 0.3, count), rng.uniform(0.02, 0.1, count)
        )

    def _active_fraction(self, year: int) -> FloatArray:
        """Share of the year a firm existed: 0 before founding, months left in the founding year."""
        months = (13 - self.founded_month) / 12
        return np.where(self.founded_year < year, 1.0, np.where(self.founded_year == year, months, 0.0))

    def _measures(self, year: int) -> dict[str, IntArray]:
        """The year's flow measures in cents (energy in hundredths of tce) for every firm."""
        revenue = self.revenue[year]
        output = np.rint(revenue * self.output_ratio).astype(np.int64)
        lift = (1 + RD_INTENSITY_GROWTH) ** (year - BASELINE_YEAR)
        va = np.rint(output * self.va_ratio * np.where(self.is_high_tech, 1.03 ** (year - BASELINE_YEAR), 1.0))
        return {
            "revenue": revenue,
            "output": np.where(self.industrial, output, 0),
            "value_added": np.where(self.industrial, va, 0).astype(np.int64),
            "profit": np.rint(revenue * self.margin).astype(np.int64),
            "tax": np.rint(revenue * self.tax_ratio).astype(np.int64),
            "rd_expense": np.rint(revenue * np.minimum(self.rd_intensity * lift, 0.3)).astype(np.int64),
            "energy_tce": np.rint(output * self.energy_per_wan).astype(np.int64),
            "export_value": np.rint(output * self.export_share).astype(np.int64),
        }

    def _employees(self, year: int) -> IntArray:
        full = self.full_revenue[min(year, 2026)] if year >= 2023 else self.full_revenue[2023] * 0.95
        return np.maximum(3, np.rint(full / self.productivity)).astype(np.int64)

    # ------------------------------------------------------------------ labels

    def _certify(
        self,
        rng: np.random.Generator,
        certification: _Certification,
        weights: FloatArray,
        *,
        first_year: IntArray | None = None,
        last_year: IntArray | None = None,
        certificate: Callable[[int, int], str] | None = None,
    ) -> list[_Label]:
        """Certificates issued in yearly batches so that the number valid at each year's end (2026:
        at the data's end) follows the certification's stock (scaled); lapsed holders may be certified
        again later."""
        kind, level, batch_days = certification.kind, certification.level, certification.batch_days
        validity_years, renew = certification.validity_years, certification.renew
        count = len(weights)
        targets = {year: round(value * self.firm_scale) for year, value in _interpolate(certification.stock).items()}
        start = np.full(count, -1, dtype=np.int64)
        end = np.full(count, -1, dtype=np.int64)
        ever = np.zeros(count, dtype=bool)
        issued: dict[int, list[tuple[int, int]]] = {}
        labels: list[_Label] = []
        first = first_year if first_year is not None else self.founded_year + 1
        open_end = dt.date.max.toordinal()

        def issue(firm: int, batch: int, year: int) -> None:
            month, day = batch_days[batch]
            begin = dt.date(year, month, day)
            finish = _expiry(begin, validity_years) if validity_years else None
            number = certificate(year, len(labels)) if certificate else ""
            labels.append(_Label(firm, kind, level, begin, finish, number))
            start[firm] = begin.toordinal()
            end[firm] = finish.toordinal() if finish else open_end
            ever[firm] = True
            issued.setdefault(year, []).append((firm, batch))

        for year in sorted(targets):
            days = [index for index, (m, d) in enumerate(batch_days) if dt.date(year, m, d) <= DATA_END]
            if validity_years:
                for firm, batch in issued.get(year - validity_years, []):
                    if batch in days and rng.random() < renew and (last_year is None or year <= last_year[firm]):
                        issue(firm, batch, year)
            checkpoint = min(dt.date(year, 12, 31), DATA_END).toordinal()
            valid = (start <= checkpoint) & (end >= checkpoint) & (start >= 0)
            need = targets[year] - int(valid.sum())
            if need <= 0 or not days:
                continue
            eligible = (first <= year) & ~valid
            if last_year is not None:
                eligible &= year <= last_year
            candidate_weights = np.where(eligible, weights * np.where(ever, 0.3, 1.0), 0.0)
            for firm in _weighted_pick(rng, candidate_weights, need):
                issue(int(firm), days[int(rng.integers(len(days)))], year)
        return labels

    def _create_labels(self) -> int:
        rng = self._rng(5)
        firms = self.firms
        count = len(firms.ids)
        self.firm_scale = count / ENTERPRISES_AT_SCALE_1
        revenue_2024 = self.full_revenue[2024]
        size = np.clip(revenue_2024, 1.0, None)
        labels: list[_Label] = []

        # 规上: one label per run of years with revenue ≥ 2000万; still running at the end → open.
        for firm in np.flatnonzero(np.any([self.above[year] for year in STAT_YEARS], axis=0)):
            flags = [bool(self.above[year][firm]) for year in STAT_YEARS]
            position = 0
            while position < len(flags):
                if not flags[position]:
                    position += 1
                    continue
                first = position
                while position < len(flags) and flags[position]:
                    position += 1
                start_year, last_year = STAT_YEARS[first], STAT_YEARS[position - 1]
                if first == 0:  # already 规上 before the statistics begin
                    earliest = max(int(self.founded_year[firm]) + 1, 2012)
                    start_year = int(rng.integers(earliest, 2024)) if earliest < 2023 else 2023
                valid_to = None if last_year == STAT_YEARS[-1] else dt.date(last_year, 12, 31)
                labels.append(_Label(int(firm), LabelKind.ABOVE_SCALE, "", dt.date(start_year, 1, 1), valid_to))

        service_factor = np.where(self.industrial, 1.2, np.where(self.knowledge, 3.0, 0.1))
        weights = (
            np.where(self.is_high_tech, 4.0, 1.0)
            * np.where(self.chain, 1.5, 1.0)
            * service_factor
            * (self.rd_intensity / 0.02)
            * ((size + 300) / 1000) ** 0.2
        )
        labels += self._certify(
            rng,
            HIGH_TECH,
            weights,
            certificate=lambda year, serial: f"GR{year}42{serial % 100000:05d}",
        )
        sme = (self.industrial | self.knowledge) & (revenue_2024 < 40 * YI) & (revenue_2024 > 300)
        srdi_base = np.where(sme, np.where(self.is_high_tech, 2.0, 1.0) * np.where(self.chain, 1.5, 1.0), 0.0)
        srdi_base *= np.where(revenue_2024 > 2000, 3.0, 1.0)
        municipal = self._certify(rng, SRDI_MUNICIPAL, srdi_base)
        holders = np.zeros(count, dtype=bool)
        holders[[label.firm for label in municipal]] = True
        provincial = self._certify(rng, SRDI_PROVINCIAL, srdi_base * np.where(holders, 4.0, 1.0))
        provincial_holders = np.zeros(count, dtype=bool)
        provincial_holders[[label.firm for label in provincial]] = True
        national = self._certify(
            rng, SRDI_NATIONAL, srdi_base * np.where(provincial_holders, 3.0, 1.0) * (size / 5000) ** 0.3
        )
        labels += municipal + provincial + national
        big = self.industrial & (revenue_2024 >= 5 * YI)
        labels += self._certify(rng, SINGLE_CHAMPION, np.where(big, size**0.5, 0.0))
        labels += self._certify(
            rng,
            GAZELLE,
            np.where(self.industrial | self.knowledge, (1 + np.clip(self.growth_2025, 0, None)) ** 4, 0.0)
            * np.where(self.is_high_tech | self.knowledge, 2.0, 1.0),
            first_year=self.founded_year + 3,
            last_year=self.founded_year + 15,
        )
        young_tech = (self.founded_year >= 2010) & (self.is_high_tech | self.knowledge) & ~self.anchor
        labels += self._certify(rng, UNICORN, np.where(young_tech, size, 0.0))
        labels += self._certify(
            rng,
            LISTED,
            np.where(revenue_2024 >= 2 * YI, size**0.8, 0.0),
            first_year=self.founded_year + 3,
        )
        labels += self._certify(rng, TOP500, np.where(revenue_2024 >= 3 * YI, size**0.7, 0.0))
        factories = self.manufacturing & self.above[BASELINE_YEAR]
        green_weight = np.where(factories, size**0.5 * np.where(self.energy_per_wan > 0.2, 1.5, 1.0), 0.0)
        labels += self._certify(rng, GREEN_NATIONAL, green_weight)
        labels += self._certify(rng, GREEN_PROVINCIAL, green_weight)
        labels += self._chain_leaders(rng)
        labels += self._digital(rng)

        rows = [
            EnterpriseLabel(
                enterprise_id=firms.ids[label.firm],
                kind=label.kind,
                level=label.level,
                certificate_no=label.certificate_no,
                valid_from=label.valid_from,
                valid_to=label.valid_to,
                source=LABEL_SOURCE,
            )
            for label in labels
        ]
        EnterpriseLabel.objects.bulk_create(rows, batch_size=2000)
        self._batch(ImportBatch.Kind.LABELS, len(rows))
        return len(rows)

    def _chain_leaders(self, rng: np.random.Generator) -> list[_Label]:
        """One or two 链主 per modern park: its largest firms in the lead chains."""
        labels = []
        for plan in self.plans:
            if plan.park_type != ParkType.MODERN:
                continue
            members = np.flatnonzero((self.park_index == plan.index) & self.chain & (self.founded_year <= 2020))
            if members.size == 0:
                continue
            leaders = members[np.argsort(-self.full_revenue[2024][members], kind="stable")[: int(rng.integers(1, 3))]]
            for firm in leaders:
                start = dt.date(int(rng.choice([2022, 2023, 2024])), int(rng.integers(3, 12)), 1)
                labels.append(_Label(int(firm), LabelKind.CHAIN_LEADER, "", start, None))
        return labels

    def _digital(self, rng: np.random.Generator) -> list[_Label]:
        """数字化转型 for 规上 manufacturing firms, adopted year by year towards DIGITAL_SHARE."""
        labels = []
        ever_above = np.any([self.above[year] for year in STAT_YEARS], axis=0) & self.manufacturing
        draws = rng.random(len(ever_above))
        for firm in np.flatnonzero(ever_above):
            for year, share in DIGITAL_SHARE.items():
                if draws[firm] < share:
                    start_year = int(rng.integers(2019, 2023)) if year == 2022 else year
                    last_month = LAST_MONTH_2026 if start_year == 2026 else 12
                    start = dt.date(start_year, int(rng.integers(1, last_month + 1)), int(rng.integers(1, 29)))
                    start = max(start, self.firms.founded[firm] + dt.timedelta(days=365))
                    if start <= DATA_END:
                        labels.append(_Label(int(firm), LabelKind.DIGITAL, "", start, None))
                    break
        return labels

    # ------------------------------------------------------------------ land

    def _create_land(self) -> int:
        rng = self._rng(6)
        firms = self.firms
        parcels: list[LandParcel] = []
        self.firm_parcels: dict[int, list[tuple[int, float]]] = {}  # firm → [(year, mu)]
        self.park_parcels: dict[int, list[tuple[int, float, bool]]] = {}  # plan → [(year, mu, industrial)]
        serial = 0
        uses = [
            LandParcel.Use.INDUSTRIAL_M1,
            LandParcel.Use.INDUSTRIAL_M2,
            LandParcel.Use.NEW_INDUSTRIAL,
            LandParcel.Use.INDUSTRIAL_M3,
        ]

        # Existing land was supplied 1995–2024, most of it around 2012; new land in 2025–2026.
        old_years = np.arange(1995, 2025)
        old_weights = np.exp(-0.5 * ((old_years - 2012) / 7.0) ** 2)
        old_weights /= old_weights.sum()

        def supply_year(new: bool) -> dt.date:
            if new:
                year = int(rng.choice([2025, 2026], p=[0.6, 0.4]))
            else:
                year = int(old_years[int(rng.choice(old_years.size, p=old_weights))])
            last_month = LAST_MONTH_2026 if year == 2026 else 12
            return dt.date(year, int(rng.integers(1, last_month + 1)), int(rng.integers(1, 29)))

        def supply_method(day: dt.date) -> str:
            methods = LandParcel.SupplyMethod
            if day.year < 2015:
                options = [(methods.TRANSFER, 0.88), (methods.ALLOCATION, 0.12)]
            else:
                options = [
                    (methods.TRANSFER, 0.6),
                    (methods.FLEXIBLE_TERM, 0.15),
                    (methods.LONG_LEASE, 0.08),
                    (methods.LEASE_AND_TRANSFER, 0.07),
                    (methods.LEASE_THEN_TRANSFER, 0.1),
                ]
            probabilities = np.array([weight for _, weight in options])
            return str(options[int(rng.choice(len(options), p=probabilities / probabilities.sum()))][0])

        def add(
            district: str, plan: _ParkPlan | None, mu: float, use: str, day: dt.date, tenants: IntArray, share: float
        ) -> None:
            nonlocal serial
            serial += 1
            firm: int | None = None
            if tenants.size and rng.random() < share:
                eligible = tenants[self.founded_year[tenants] <= day.year]
                if eligible.size:
                    weights = np.clip(self.full_revenue[2024][eligible], 1, None) ** 0.6
                    firm = int(eligible[int(rng.choice(eligible.size, p=weights / weights.sum()))])
            parcels.append(
                LandParcel(
                    code=f"DK{day.year}-{district}-{serial:05d}",
                    district=self.districts[district],
                    park_id=plan.park_id if plan is not None else None,
                    enterprise_id=firms.ids[firm] if firm is not None else None,
                    area_mu=Decimal(str(round(mu, 2))),
                    use=use,
                    supply_method=supply_method(day),
                    supplied_on=day,
                    synthetic=True,
                )
            )
            industrial = use != LandParcel.Use.WAREHOUSE
            if firm is not None and industrial:
                self.firm_parcels.setdefault(firm, []).append((day.year, mu))
            if plan is not None:
                self.park_parcels.setdefault(plan.index, []).append((day.year, mu, industrial))

        def fill(
            district: str,
            plan: _ParkPlan | None,
            target_mu: float,
            median: float,
            new: bool,
            tenants: IntArray,
            share: float,
            use_weights: Sequence[float],
        ) -> float:
            placed = 0.0
            while placed < target_mu:
                mu = min(float(rng.lognormal(math.log(median), 0.8)), target_mu - placed)
                mu = max(mu, 1.0)
                use = uses[int(rng.choice(len(uses), p=np.asarray(use_weights)))]
                add(district, plan, mu, use, supply_year(new), tenants, share)
                placed += mu
            return placed

        # Each park's share of industrial land varies by type; together they hold IN_PARK_LAND_KM2 (per
        # 100 parks), which with the land outside parks makes ~360 km² in 2024, 85 % of it in parks.
        fills = np.array([rng.uniform(*TYPE_LAND_FILL[plan.park_type]) for plan in self.plans])
        areas = np.array([plan.boundary_area for plan in self.plans])
        wanted = min(IN_PARK_LAND_KM2 * len(self.plans) / sum(TYPE_COUNTS.values()), 0.75 * float(areas.sum()))
        fills = np.minimum(fills * wanted / float(np.sum(fills * areas)), 0.8)
        inside_total = 0.0
        for plan, park_fill in zip(self.plans, fills, strict=True):
            target = plan.boundary_area * float(park_fill) * float(MU_PER_KM2)
            tenants = np.flatnonzero((self.park_index == plan.index) & self.industrial)
            median = TYPE_PARCEL_MEDIAN_MU[plan.park_type]
            use_weights = (0.35, 0.15, 0.45, 0.05) if plan.park_type == ParkType.URBAN else (0.55, 0.3, 0.1, 0.05)
            inside_total += fill(plan.district, plan, target, median, False, tenants, 0.65, use_weights)
            new_share = 0.06 if plan.recognised_on is None else 0.03
            fill(plan.district, plan, target * new_share, median, True, tenants, 0.65, use_weights)
            # Some logistics land next to the factories; not industrial use.
            add(plan.district, plan, target * 0.04, LandParcel.Use.WAREHOUSE, supply_year(False), tenants, 0.3)
        # Land outside parks: 15 % of the existing stock (target: ≥ 90 % inside parks by 2027).
        outside_total = inside_total * 0.15 / 0.85
        district_codes = [code for code in OUTSIDE_DISTRICT_WEIGHT if self._hosts(code)]
        weights = np.array([OUTSIDE_DISTRICT_WEIGHT[code] for code in district_codes])
        shares = weights / weights.sum()
        for code, share in zip(district_codes, shares, strict=True):
            tenants = np.flatnonzero((self.park_index < 0) & self.industrial & (np.array(firms.district) == code))
            fill(
                code,
                None,
                outside_total * float(share),
                TYPE_PARCEL_MEDIAN_MU[""],
                False,
                tenants,
                0.5,
                (0.5, 0.4, 0.05, 0.05),
            )
            fill(
                code,
                None,
                outside_total * float(share) * 0.01,
                TYPE_PARCEL_MEDIAN_MU[""],
                True,
                tenants,
                0.5,
                (0.5, 0.4, 0.05, 0.05),
            )
        LandParcel.objects.bulk_create(parcels, batch_size=2000)
        self._batch(ImportBatch.Kind.LAND, len(parcels))
        return len(parcels)

    def _land_mu(self, year: int) -> list[float | None]:
        """Land each firm uses at a year's end: its parcels, else an estimate for industrial firms."""
        result: list[float | None] = []
        estimate = np.clip(self.full_revenue[min(year, 2026)] / 450.0, 1.0, 300.0)
        for firm in range(len(self.firms.ids)):
            own = sum(mu for supplied, mu in self.firm_parcels.get(firm, []) if supplied <= year)
            if own:
                result.append(own)
            elif self.industrial[firm]:
                result.append(float(estimate[firm]))
            else:
                result.append(None)
        return result

    # ------------------------------------------------------------------ statistics

    def _create_annual_stats(self) -> int:
        batch = self._batch(ImportBatch.Kind.ANNUAL, 0)
        columns = (
            "enterprise",
            "year",
            *ANNUAL_VALUE_FIELDS,
            "batch",
            "updated_at",
        )
        now = self._now()
        rows: list[tuple[Any, ...]] = []
        for year in ANNUAL_YEARS:
            measures = self._measures(year)
            employees = self._employees(year)
            land = self._land_mu(year)
            rd_staff = np.rint(employees * self.rd_staff_share).astype(np.int64)
            for firm in np.flatnonzero(self.active[year]):
                index = int(firm)
                industrial = bool(self.industrial[index])
                money = {name: _cents_to_decimal(int(values[index])) for name, values in measures.items()}
                land_mu = land[index]
                rows.append(
                    (
                        self.firms.ids[index],
                        year,
                        money["revenue"],
                        money["output"] if industrial else None,
                        money["value_added"] if industrial else None,
                        money["profit"],
                        money["tax"],
                        money["rd_expense"],
                        money["energy_tce"],
                        money["export_value"] if industrial else None,
                        int(employees[index]),
                        Decimal(str(round(land_mu, 2))) if land_mu is not None else None,
                        int(rd_staff[index]),
                        batch.pk,
                        now,
                    )
                )
        _insert_rows(AnnualStat, columns, rows)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=len(rows), rows_ok=len(rows))
        return len(rows)

    def _now(self) -> Any:
        return connection.ops.adapt_datetimefield_value(timezone.now())

    def _create_monthly_stats(self) -> int:
        """规上 firms report 本月 and 1–本月累计; 1–2月 together on February; 2026 up to October."""
        rng = self._rng(7)
        batch = self._batch(ImportBatch.Kind.MONTHLY, 0)
        flow_names = ("revenue", "output", "value_added", "profit", "tax", "rd_expense", "energy_tce", "export_value")
        columns = (
            "enterprise",
            "period",
            "months_covered",
            *(f"{name}_{suffix}" for name in flow_names for suffix in ("month", "ytd")),
            "employees",
            "batch",
            "updated_at",
        )
        now = self._now()
        created = 0
        for year in STAT_YEARS:
            firms_above = np.flatnonzero(self.above[year])
            if firms_above.size == 0:
                continue
            slots = len(MONTH_SLOTS) if year < 2026 else MONTH_SLOTS.index(LAST_MONTH_2026) + 1
            measures = self._measures(year)

            def cumulative(pattern: FloatArray, noise: float, rows: int = firms_above.size) -> FloatArray:
                weights = pattern[None, :] * rng.lognormal(0, noise, (rows, len(pattern)))
                shares: FloatArray = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
                return shares

            sales = cumulative(SEASONALITY, 0.10)
            shapes_by_measure = {
                "revenue": sales,
                "output": sales,
                "value_added": sales,
                "export_value": sales,
                "profit": cumulative(SEASONALITY, 0.2),
                "tax": cumulative(SEASONALITY, 0.15),
                "rd_expense": cumulative(RD_SEASONALITY, 0.15),
                "energy_tce": cumulative(SEASONALITY, 0.05),
            }
            # Per firm and slot: 本月 and 累计 of each measure, side by side as in `columns`.
            blocks: list[IntArray] = []
            for name in flow_names:
                totals = measures[name][firms_above]
                running = np.rint(totals[:, None].astype(np.float64) * shapes_by_measure[name]).astype(np.int64)
                running[:, -1] = totals  # December's 累计 is the year exactly
                running = np.maximum.accumulate(running, axis=1)[:, :slots]
                blocks += [np.diff(running, axis=1, prepend=0), running]
            table = np.stack(blocks, axis=2)  # firm × slot × (measure, month/ytd)
            start_staff = self._employees(year - 1)[firms_above].astype(np.float64)
            end_staff = self._employees(year)[firms_above].astype(np.float64)
            progress = np.array(MONTH_SLOTS[:slots], dtype=np.float64) / 12
            staff = start_staff[:, None] + (end_staff - start_staff)[:, None] * progress[None, :]
            staff *= rng.normal(1, 0.01, staff.shape)
            if year < 2026:
                staff[:, -1] = end_staff  # the December headcount is the year-end figure
            staff_int = np.maximum(3, np.rint(staff)).astype(np.int64)
            periods = [connection.ops.adapt_datefield_value(dt.date(year, month, 1)) for month in MONTH_SLOTS]
            rows: list[tuple[Any, ...]] = []
            for row, firm in enumerate(firms_above):
                enterprise_id = self.firms.ids[int(firm)]
                rows.extend(
                    (
                        enterprise_id,
                        periods[slot],
                        SLOT_MONTHS_COVERED[slot],
                        *(_cents_to_decimal(value) for value in table[row, slot].tolist()),
                        int(staff_int[row, slot]),
                        batch.pk,
                        now,
                    )
                    for slot in range(slots)
                )
            _insert_rows(MonthlyStat, columns, rows)
            created += len(rows)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=created, rows_ok=created)
        return created

    # ------------------------------------------------------------------ facilities and park data

    def _create_facilities(self) -> int:
        rng = self._rng(8)
        kinds = list(ParkFacility.Kind)
        rows: list[ParkFacility] = []
        self.park_facility_years: dict[int, list[tuple[int, str]]] = {}
        for plan in self.plans:
            low, high = TYPE_FACILITIES[plan.park_type]
            count = int(rng.integers(low, high + 1))
            chosen = sorted(int(index) for index in rng.choice(len(kinds), size=min(count, len(kinds)), replace=False))
            for index in chosen:
                kind = kinds[index]
                year = int(np.clip(round(rng.normal(2020, 3.5)), 2010, 2026))
                last_month = 9 if year == 2026 else 12
                opened = dt.date(year, int(rng.integers(1, last_month + 1)), int(rng.integers(1, 29)))
                area_low, area_high = names.FACILITY_AREAS.get(kind.value, (500.0, 5000.0))
                short = plan.name.replace("·", "")
                rows.append(
                    ParkFacility(
                        park_id=plan.park_id,
                        kind=kind.value,
                        name=f"{short}{names.FACILITY_NAMES.get(kind.value, str(kind.label))}",
                        floor_area_m2=Decimal(str(round(float(rng.uniform(area_low, area_high)), 1))),
                        opened_on=opened,
                        shared=bool(rng.random() < 0.85),
                        synthetic=True,
                    )
                )
                self.park_facility_years.setdefault(plan.index, []).append((year, kind.value))
        ParkFacility.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def _create_park_annual_stats(self) -> int:
        rng = self._rng(9)
        batch = self._batch(ImportBatch.Kind.PARK_ANNUAL, 0)
        rows: list[ParkAnnualStat] = []
        for plan in self.plans:
            built_2025 = float(rng.uniform(0.9, 0.98) if plan.park_type == ParkType.URBAN else rng.uniform(0.45, 0.85))
            renewable_2025 = float(rng.uniform(4, 22))
            members = self.park_index == plan.index
            staff = int(10 + plan.boundary_area * rng.uniform(3, 8) + members.sum() * 0.05)
            for year in ANNUAL_YEARS:
                behind = 2025 - year
                revenue = float(np.sum(self.revenue[year][members])) / CENTS
                fixed_assets = revenue * float(rng.uniform(0.1, 0.25)) + (3 * YI if plan.recognised_on is None else 0)
                industrial = fixed_assets * float(rng.uniform(0.55, 0.85))
                new_projects = industrial * float(rng.uniform(0.3, 0.6))
                parcels = self.park_parcels.get(plan.index, [])
                land = sum(mu for supplied, mu, is_industrial in parcels if supplied <= year and is_industrial)
                new_land = sum(mu for supplied, mu, is_industrial in parcels if supplied == year and is_industrial)
                subsystems = max(0, plan.smart_subsystems - behind * int(rng.integers(0, 3)))
                if plan.smart_subsystems:
                    subsystems = max(1, subsystems)
                facility_kinds = len(
                    {kind for opened, kind in self.park_facility_years.get(plan.index, []) if opened <= year}
                )
                rows.append(
                    ParkAnnualStat(
                        park_id=plan.park_id,
                        year=year,
                        built_area_km2=Decimal(str(round(plan.boundary_area * (built_2025 - 0.03 * behind), 2))),
                        industrial_land_mu=Decimal(str(round(land, 2))),
                        fixed_asset_investment=Decimal(str(round(fixed_assets, 2))),
                        industrial_investment=Decimal(str(round(industrial, 2))),
                        new_project_investment=Decimal(str(round(new_projects, 2))),
                        new_project_land_mu=Decimal(str(round(new_land, 2))),
                        service_staff=max(5, staff - behind * int(rng.integers(0, 4))),
                        smart_subsystems=subsystems,
                        facility_kinds=facility_kinds,
                        renewable_share=Decimal(str(round(max(0.5, renewable_2025 - 1.5 * behind), 2))),
                        safety_accidents=int(rng.random() < 0.02),
                        environmental_accidents=int(rng.random() < 0.015),
                        batch=batch,
                    )
                )
        ParkAnnualStat.objects.bulk_create(rows, batch_size=500)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=len(rows), rows_ok=len(rows))
        return len(rows)

    # ------------------------------------------------------------------ accounts

    def _create_accounts(self) -> tuple[int, int]:
        # One hash for every account: PBKDF2 is deliberately slow, and the password is the same.
        password = make_password(DEMO_PASSWORD)
        users: list[User] = [
            User(username="admin", role=Role.CITY_ADMIN, display_name="市经信局管理员", is_staff=True),
            User(username="viewer", role=Role.CITY_VIEWER, display_name="市领导查看"),
            User(username="auditor", role=Role.AUDITOR, display_name="审计员"),
            User(username="sysadmin", role=Role.SYSADMIN, display_name="系统管理员", is_staff=True, is_superuser=True),
        ]
        for code in sorted(self.districts, key=lambda item: (self.districts[item].sort_order, item)):
            district = self.districts[code]
            users.append(
                User(
                    username=f"district-{code.lower()}",
                    role=Role.DISTRICT,
                    district=district,
                    display_name=f"{district.name}管理员",
                )
            )
        for plan, firm in self._showcase():
            park = Park.objects.get(pk=plan.park_id)
            users.append(
                User(
                    username=f"park-{plan.code.lower()}",
                    role=Role.PARK_OPERATOR,
                    park=park,
                    display_name=f"{plan.name}运营人员",
                )
            )
            if firm is not None:
                enterprise = Enterprise.objects.get(pk=self.firms.ids[firm])
                number = sum(1 for user in users if user.role == Role.ENTERPRISE) + 1
                users.append(
                    User(
                        username=f"ent-{number}",
                        role=Role.ENTERPRISE,
                        enterprise=enterprise,
                        display_name=f"{enterprise.name[:50]}联络员",
                    )
                )
        users.extend(
            User(
                username=f"handler-{unit.code.lower()}", role=Role.HANDLER, unit=unit, display_name=f"{unit.name}办理人"
            )
            for unit in self.bureaus
        )
        existing = set(
            User.objects.filter(username__in=[user.username for user in users]).values_list("username", flat=True)
        )
        fresh = [user for user in users if user.username not in existing]
        for user in fresh:
            user.password = password
            user.full_clean()
        User.objects.bulk_create(fresh, batch_size=200)
        return len(fresh), len(users) - len(fresh)

    def _showcase(self) -> list[tuple[_ParkPlan, int | None]]:
        """About five parks for park-operator accounts (the largest of each type first), each with
        one 规上 firm for an enterprise account."""
        chosen: list[_ParkPlan] = []
        for park_type in (ParkType.MODERN, ParkType.FEATURED, ParkType.URBAN, ParkType.MODERN, ParkType.FEATURED):
            for plan in self.plans:
                if plan.park_type == park_type and plan not in chosen:
                    chosen.append(plan)
                    break
        result: list[tuple[_ParkPlan, int | None]] = []
        for plan in chosen:
            members = np.flatnonzero((self.park_index == plan.index) & self.above[2025] & self.chain)
            if members.size == 0:
                members = np.flatnonzero((self.park_index == plan.index) & self.above[2025])
            if members.size == 0:
                members = np.flatnonzero(self.park_index == plan.index)
            firm = (
                int(members[np.argsort(-self.full_revenue[2025][members], kind="stable")[members.size // 2]])
                if members.size
                else None
            )
            result.append((plan, firm))
        return result
