"""The demo city generator: a small city (scale 0.03) built once per module inside a transaction that
is rolled back afterwards, and the properties a user of the demo relies on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from itertools import combinations
from typing import Any

import pytest
from django.db import transaction

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.core.uscc import is_valid
from yuanqu.demo.generator import (
    DEMO_NOTE,
    DEMO_PASSWORD,
    ERR_ALREADY_LOADED,
    DemoError,
    DemoSummary,
    demo_accounts,
    demo_clear,
    demo_generate,
)
from yuanqu.registry import geo
from yuanqu.registry.models import (
    ChainNode,
    District,
    Enterprise,
    EnterpriseLabel,
    IndustryChain,
    IndustryClass,
    LabelKind,
    LandParcel,
    Park,
    ParkFacility,
    ParkType,
    ResponsibleUnit,
)
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat

SEED = 11
SCALE = 0.03
FLOW_MEASURES = ("revenue", "output", "value_added", "profit", "tax", "rd_expense", "energy_tce", "export_value")

# A few chains as the policy pack would load them: two with the pack's codes, one whose nodes are
# missing (the generator falls back on GB/T divisions) and one the catalogue does not know.
CHAINS = {
    "automotive": ("汽车制造及服务", {"整车": ["C3611", "C3612"], "零部件": ["C3670"]}),
    "optical_communication": ("光通信", {"光器件": ["C3976"], "光纤": ["C3832"], "系统设备": ["C3921"]}),
    "biomedicine": ("生物医药", {}),
    "test_software": ("软件（测试）", {"软件开发": ["I6511", "I6513"]}),
}
UNITS = (
    ("jxj", "市经信局", ResponsibleUnit.Kind.BUREAU),
    ("kcj", "市科创局", ResponsibleUnit.Kind.BUREAU),
    ("gqzf-420102", "江岸区人民政府", ResponsibleUnit.Kind.DISTRICT_GOVERNMENT),
)


def _policy_pack_rows() -> None:
    for order, (code, (name, nodes)) in enumerate(CHAINS.items()):
        chain = IndustryChain.objects.create(
            code=code, name=name, kind=IndustryChain.Kind.KEY_CHAIN, illustrative=True, sort_order=order
        )
        for node_name, classes in nodes.items():
            node = ChainNode.objects.create(chain=chain, name=node_name, stage=ChainNode.Stage.MIDSTREAM)
            node.industry_classes.set(IndustryClass.objects.filter(pk__in=classes))
    for code, name, kind in UNITS:
        district = District.objects.get(code="420102") if kind == ResponsibleUnit.Kind.DISTRICT_GOVERNMENT else None
        ResponsibleUnit.objects.create(code=code, name=name, kind=kind, district=district)


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """One generated city for the whole module; the outer transaction is rolled back at the end so
    that other modules start from the shared reference data only."""
    with django_db_blocker.unblock(), transaction.atomic():
        _policy_pack_rows()
        yield demo_generate(seed=SEED, scale=SCALE)
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _dump() -> str:
    """The generated content by natural keys (no ids, no timestamps), hashed."""
    parts: list[Any] = [
        list(
            Park.objects.order_by("code").values_list(
                "code",
                "name",
                "district__code",
                "park_type",
                "status",
                "status_since",
                "recognised_on",
                "planned_area_km2",
                "boundary",
                "boundary_area_km2",
                "centroid_lon",
                "centroid_lat",
                "operator_name",
                "operator_uscc",
                "management_model",
                "smart_platform",
                "smart_subsystems",
                "green_level",
            )
        ),
        list(
            Park.lead_chains.through.objects.order_by("park__code", "industrychain__code").values_list(
                "park__code", "industrychain__code"
            )
        ),
        list(
            Enterprise.objects.order_by("uscc").values_list(
                "uscc",
                "name",
                "industry_id",
                "address",
                "lon",
                "lat",
                "district__code",
                "park__code",
                "park_assignment",
                "founded_on",
            )
        ),
        list(
            EnterpriseLabel.objects.order_by("enterprise__uscc", "kind", "level", "valid_from").values_list(
                "enterprise__uscc", "kind", "level", "valid_from", "valid_to", "certificate_no"
            )
        ),
        list(
            MonthlyStat.objects.order_by("enterprise__uscc", "period").values_list(
                "enterprise__uscc",
                "period",
                "months_covered",
                "revenue_month",
                "revenue_ytd",
                "value_added_ytd",
                "profit_ytd",
                "rd_expense_ytd",
                "energy_tce_ytd",
                "employees",
            )
        ),
        list(
            AnnualStat.objects.order_by("enterprise__uscc", "year").values_list(
                "enterprise__uscc",
                "year",
                "revenue",
                "output",
                "value_added",
                "profit",
                "tax",
                "rd_expense",
                "energy_tce",
                "export_value",
                "employees",
                "land_mu",
                "rd_staff",
            )
        ),
        list(
            ParkAnnualStat.objects.order_by("park__code", "year").values_list(
                "park__code",
                "year",
                "built_area_km2",
                "industrial_land_mu",
                "fixed_asset_investment",
                "new_project_land_mu",
                "smart_subsystems",
                "facility_kinds",
                "renewable_share",
                "safety_accidents",
            )
        ),
        list(
            LandParcel.objects.order_by("code").values_list(
                "code",
                "district__code",
                "park__code",
                "enterprise__uscc",
                "area_mu",
                "use",
                "supply_method",
                "supplied_on",
            )
        ),
        list(
            ParkFacility.objects.order_by("park__code", "kind", "name").values_list(
                "park__code", "kind", "name", "floor_area_m2", "opened_on", "shared"
            )
        ),
        list(
            User.objects.order_by("username").values_list(
                "username",
                "role",
                "display_name",
                "district__code",
                "park__code",
                "enterprise__uscc",
                "unit__code",
                "is_staff",
                "is_superuser",
            )
        ),
    ]
    text = json.dumps(parts, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_it_builds_parks_of_every_type_with_lead_chains(city: DemoSummary) -> None:
    parks = list(Park.objects.order_by("code"))
    assert city.parks == len(parks) == 4
    assert {park.park_type for park in parks} == set(ParkType.values)
    assert [park.code for park in parks] == ["P001", "P002", "P003", "P004"]
    for park in parks:
        park.full_clean()
        chains = list(park.lead_chains.all())
        assert 1 <= len(chains) <= 3, park
        assert park.operator_name and is_valid(park.operator_uscc)
        if park.status == Park.Status.RECOGNISED:
            assert park.recognised_on is not None and park.recognised_on <= dt.date(2026, 10, 31)
    modern = Park.objects.get(park_type=ParkType.MODERN)
    assert modern.name == "武汉经开区智能网联汽车产业园"
    assert modern.district.code == "Z02" and 10 <= modern.planned_area_km2 <= 40
    assert list(modern.lead_chains.values_list("code", flat=True)) == ["automotive"]
    urban = Park.objects.get(park_type=ParkType.URBAN)
    assert Decimal("0.1") <= urban.planned_area_km2 <= 1


def test_it_gives_every_enterprise_a_valid_record(city: DemoSummary) -> None:
    enterprises = list(Enterprise.objects.select_related("park", "district"))
    assert len(enterprises) == city.enterprises == 360
    assert len({enterprise.uscc for enterprise in enterprises}) == len(enterprises)
    assert len({enterprise.name for enterprise in enterprises}) == len(enterprises)
    for enterprise in enterprises:
        assert is_valid(enterprise.uscc), enterprise.uscc
        assert enterprise.uscc[2:6] == "4201"
        enterprise.full_clean()  # industry class exists, coordinates in Wuhan, park in its district
        assert enterprise.founded_on is not None and enterprise.founded_on < dt.date(2025, 7, 1)
    outside = [enterprise for enterprise in enterprises if enterprise.park_id is None]
    assert 0.15 < len(outside) / len(enterprises) < 0.25


def test_it_draws_valid_separate_park_outlines_inside_their_districts(city: DemoSummary) -> None:
    with open(geo.DEFAULT_BASEMAP, encoding="utf-8") as handle:
        features = {feature["id"]: feature["geometry"] for feature in json.load(handle)["features"]}
    from shapely.geometry import shape
    from shapely.validation import make_valid

    hosts = {"Z01": ["420111", "420115"], "Z02": ["420114", "420113"], "Z03": ["420112"], "Z04": ["420116", "420117"]}
    outlines = {}
    for park in Park.objects.select_related("district"):
        outline = geo.parse_boundary(park.boundary)  # valid and inside Wuhan, or it raises
        assert park.boundary_area_km2 is not None and park.planned_area_km2 is not None, park
        assert float(park.boundary_area_km2) == pytest.approx(geo.area_km2(outline), abs=0.001)
        assert 0.8 * float(park.planned_area_km2) <= float(park.boundary_area_km2) <= float(park.planned_area_km2)
        districts = [make_valid(shape(features[code])) for code in hosts.get(park.district.code, [park.district.code])]
        assert any(district.contains(outline) for district in districts), park
        outlines[park.code] = outline
    for (first, one), (second, other) in combinations(outlines.items(), 2):
        assert not one.intersects(other), (first, second)


def test_it_places_enterprises_where_the_park_locator_finds_them(city: DemoSummary) -> None:
    locator = geo.ParkLocator(
        (park_id, geo.parse_boundary(boundary)) for park_id, boundary in Park.objects.values_list("pk", "boundary")
    )
    kinds: defaultdict[str, int] = defaultdict(int)
    for enterprise in Enterprise.objects.select_related("park"):
        kinds[enterprise.park_assignment] += 1
        if enterprise.lon is None:
            assert enterprise.park_id is None
            assert enterprise.park_assignment == Enterprise.ParkAssignment.NO_COORDINATES
            continue
        assert enterprise.lat is not None, enterprise
        expected = [enterprise.park_id] if enterprise.park_id is not None else []
        assert locator.locate(enterprise.lon, enterprise.lat) == expected, enterprise
        if enterprise.park is not None:
            assert enterprise.park_assignment == Enterprise.ParkAssignment.AUTO
            assert enterprise.district_id == enterprise.park.district_id
        else:
            assert enterprise.park_assignment == Enterprise.ParkAssignment.OUTSIDE
    assert kinds[Enterprise.ParkAssignment.AUTO] == 288 and kinds[Enterprise.ParkAssignment.OUTSIDE] > 50


def test_it_follows_each_parks_lead_chains(city: DemoSummary) -> None:
    for park in Park.objects.prefetch_related("lead_chains__nodes__industry_classes"):
        classes = {
            cls.code
            for chain in park.lead_chains.all()
            for node in chain.nodes.all()
            for cls in node.industry_classes.all()
        }
        codes = list(park.enterprises.values_list("industry_id", flat=True))
        if not classes:  # the chain has no nodes: the park's firms come from its GB/T divisions
            continue
        share = sum(code in classes for code in codes) / len(codes)
        assert 0.6 <= share <= 0.9, (park, share)


def _monthly_rows() -> dict[tuple[int, int], list[MonthlyStat]]:
    rows: dict[tuple[int, int], list[MonthlyStat]] = defaultdict(list)
    for row in MonthlyStat.objects.order_by("enterprise_id", "period"):
        rows[(row.enterprise_id, row.period.year)].append(row)
    return rows


def test_it_keeps_monthly_ytd_the_running_sum_of_months(city: DemoSummary) -> None:
    rows = _monthly_rows()
    assert len(rows) > 100 and city.monthly_stats == MonthlyStat.objects.count()
    assert not MonthlyStat.objects.filter(period__month=1).exists()
    for (_, year), reports in rows.items():
        months = [report.period.month for report in reports]
        assert months == list(range(2, 11 if year == 2026 else 13))
        assert [report.months_covered for report in reports] == [2] + [1] * (len(reports) - 1)
        for measure in FLOW_MEASURES:
            running = Decimal(0)
            previous = Decimal(0)
            for report in reports:
                month, ytd = getattr(report, f"{measure}_month"), getattr(report, f"{measure}_ytd")
                running += month
                assert ytd == running and ytd >= previous and month >= 0, (report, measure)
                previous = ytd
        assert all(report.employees and report.employees > 0 for report in reports)


def test_it_makes_annual_revenue_of_above_scale_firms_the_sum_of_their_reports(city: DemoSummary) -> None:
    annual = {(row.enterprise_id, row.year): row for row in AnnualStat.objects.all()}
    checked = 0
    for (enterprise_id, year), reports in _monthly_rows().items():
        if year == 2026:
            assert (enterprise_id, year) not in annual
            continue
        row = annual[(enterprise_id, year)]
        for measure in FLOW_MEASURES:
            assert getattr(row, measure) == sum(getattr(report, f"{measure}_month") for report in reports)
            assert getattr(row, measure) == getattr(reports[-1], f"{measure}_ytd")
        assert row.employees == reports[-1].employees  # the December headcount is the year-end one
        checked += 1
    assert checked > 50
    assert set(AnnualStat.objects.values_list("year", flat=True)) == {2023, 2024, 2025}


def test_it_dates_above_scale_labels_by_the_previous_years_revenue(city: DemoSummary) -> None:
    revenue = {(row[0], row[1]): row[2] for row in AnnualStat.objects.values_list("enterprise_id", "year", "revenue")}
    reporting = set(MonthlyStat.objects.values_list("enterprise_id", "period__year").distinct())
    labels = defaultdict(list)
    for label in EnterpriseLabel.objects.filter(kind=LabelKind.ABOVE_SCALE):
        labels[label.enterprise_id].append(label)
    industrial = Enterprise.objects.filter(industry__code__regex=r"^[BCD]").values_list("pk", flat=True)
    above_years = 0
    for enterprise_id in industrial:
        for year in (2023, 2024, 2025, 2026):
            covered = [
                label
                for label in labels[enterprise_id]
                if label.valid_from <= dt.date(year, 1, 1)
                and (label.valid_to is None or label.valid_to >= dt.date(year, 12, 31))
            ]
            touched = [
                label
                for label in labels[enterprise_id]
                if label.valid_from <= dt.date(year, 12, 31)
                and (label.valid_to is None or label.valid_to >= dt.date(year, 1, 1))
            ]
            above = (enterprise_id, year) in reporting
            assert bool(covered) == bool(touched) == above, (enterprise_id, year)
            if year > 2023:
                # 规上 for year Y rests on year Y−1's revenue (the bureau's list for Y); 2022 is not stored.
                last_year = revenue.get((enterprise_id, year - 1)) or Decimal(0)
                assert above == (last_year >= 2000), (enterprise_id, year)
            above_years += above
    assert above_years > 100
    services = Enterprise.objects.exclude(industry__code__regex=r"^[BCD]")
    assert not EnterpriseLabel.objects.filter(kind=LabelKind.ABOVE_SCALE, enterprise__in=services).exists()


def test_it_sets_label_stocks_below_the_2027_targets_and_growing(city: DemoSummary) -> None:
    share = city.enterprises / 12_000

    def valid(kind: str, day: dt.date, levels: tuple[str, ...] | None = None) -> int:
        return Enterprise.objects.with_label(kind, on=day, levels=levels).count()

    end_2024, end_2025, end_2026 = dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(2026, 10, 31)
    assert valid(LabelKind.HIGH_TECH, end_2024) == round(5500 * share)
    assert valid(LabelKind.HIGH_TECH, end_2025) == round(6250 * share)
    assert valid(LabelKind.HIGH_TECH, end_2026) == round(7000 * share) < 8000 * share
    national = valid(LabelKind.SRDI, end_2024, ("national",))
    assert national == round(225 * share)
    assert valid(LabelKind.SRDI, end_2024, ("national", "provincial")) < 1800 * share
    # 高企 certificates run three years and are renewed: some firms hold several in a row.
    certificates = EnterpriseLabel.objects.filter(kind=LabelKind.HIGH_TECH)
    assert all(label.valid_to is not None for label in certificates)
    assert certificates.values("enterprise").distinct().count() < certificates.count()


def test_it_marks_every_generated_row_synthetic(city: DemoSummary) -> None:
    for model in (Park, Enterprise, LandParcel, ParkFacility):
        assert model.objects.exists() and not model.objects.filter(synthetic=False).exists(), model
    batches = ImportBatch.objects.all()
    assert batches.count() == city.batches
    assert not batches.exclude(synthetic=True, status=ImportBatch.Status.APPLIED, note=DEMO_NOTE).exists()
    for stat_model in (MonthlyStat, AnnualStat, ParkAnnualStat):
        assert stat_model.objects.exists(), stat_model
        assert not stat_model.objects.exclude(batch__synthetic=True).exists(), stat_model
    monthly = ImportBatch.objects.get(kind=ImportBatch.Kind.MONTHLY)
    assert monthly.rows_total == monthly.rows_ok == MonthlyStat.objects.count()
    assert ParkAnnualStat.objects.count() == 3 * city.parks


def test_it_generates_land_mostly_inside_parks(city: DemoSummary) -> None:
    industrial = LandParcel.objects.exclude(use__in=[LandParcel.Use.WAREHOUSE, LandParcel.Use.OTHER])
    total = sum(industrial.values_list("area_mu", flat=True))
    inside = sum(industrial.filter(park__isnull=False).values_list("area_mu", flat=True))
    assert 0.8 < inside / total < 0.9
    assert industrial.filter(enterprise__isnull=False).exists()
    for parcel in LandParcel.objects.select_related("park", "district")[:200]:
        parcel.full_clean()


def test_it_creates_demo_accounts_with_their_scope(city: DemoSummary) -> None:
    users = {user.username: user for user in User.objects.select_related("district", "park", "enterprise", "unit")}
    assert len(users) == city.accounts
    for user in users.values():
        user.full_clean()
        assert user.check_password(DEMO_PASSWORD) and user.display_name
    assert users["admin"].role == Role.CITY_ADMIN and users["admin"].is_staff
    assert users["sysadmin"].is_superuser and users["sysadmin"].is_staff
    assert users["viewer"].role == Role.CITY_VIEWER and users["auditor"].role == Role.AUDITOR
    for district in District.objects.all():
        user = users[f"district-{district.code.lower()}"]
        assert user.role == Role.DISTRICT and user.district == district
    district_z01 = users["district-z01"].district
    assert district_z01 is not None and district_z01.name == "东湖新技术开发区"
    park_users = [user for name, user in users.items() if name.startswith("park-")]
    enterprise_users = [user for name, user in users.items() if name.startswith("ent-")]
    assert len(park_users) == 3 and len(enterprise_users) == 3
    enterprise_parks = set()
    for user in enterprise_users:
        assert user.enterprise is not None, user
        enterprise_parks.add(user.enterprise.park_id)
    assert enterprise_parks <= {user.park_id for user in park_users}
    park_p001 = users["park-p001"].park
    assert park_p001 is not None and park_p001.code == "P001"
    handlers = sorted(name for name in users if name.startswith("handler-"))
    assert handlers == ["handler-jxj", "handler-kcj"]
    unit = users["handler-jxj"].unit
    assert unit is not None and unit.code == "jxj"
    listed = demo_accounts()
    assert [row[0] for row in listed][:5] == ["admin", "viewer", "auditor", "sysadmin", "district-420102"]
    assert ("district-z01", "区级用户", "东湖新技术开发区") in listed and len(listed) == city.accounts


def test_it_refuses_to_generate_over_existing_demo_data(city: DemoSummary) -> None:
    with pytest.raises(DemoError, match=ERR_ALREADY_LOADED):
        demo_generate(seed=SEED, scale=SCALE)


def test_it_is_deterministic_in_the_seed(city: DemoSummary) -> None:
    first = _dump()
    demo_clear()
    assert not Enterprise.objects.exists() and not User.objects.exists() and not ImportBatch.objects.exists()
    demo_generate(seed=SEED, scale=SCALE)
    assert _dump() == first
    demo_clear()
    demo_generate(seed=SEED + 1, scale=SCALE)
    assert _dump() != first


def test_it_falls_back_on_gbt_divisions_without_chains(city: DemoSummary) -> None:
    demo_clear()
    ChainNode.objects.all().delete()
    IndustryChain.objects.all().delete()
    summary = demo_generate(seed=SEED, scale=0.01)
    assert summary.parks == 4 and summary.enterprises == Enterprise.objects.count() > 0
    assert not Park.lead_chains.through.objects.exists()
    modern = Park.objects.get(park_type=ParkType.MODERN)  # 汽车: its firms come from GB/T divisions C36, C38, C39
    codes = list(modern.enterprises.values_list("industry_id", flat=True))
    assert sum(code[:3] in {"C36", "C38", "C39"} for code in codes) / len(codes) >= 0.6
